from django import template

from .. import selectors

register = template.Library()


@register.inclusion_tag("sso/buttons.html", takes_context=True)
def sso_buttons(context):
    """“Sign in with …” for the organisation named on the sign-in address (?org=<credit code>)."""
    request = context.get("request")
    org = request.GET.get("org", "") if request is not None else ""
    return {
        "providers": selectors.sign_in_providers_for(org=org),
        "next": request.GET.get("next", "") if request is not None else "",
        "csrf_token": context.get("csrf_token"),
    }
