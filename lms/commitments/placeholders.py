"""A letter's placeholders: which exist, which a body uses, and the body filled in. Pure."""

import string

from django.utils.translation import gettext_lazy as _

# placeholder: what it stands for (shown to the person writing a template)
PLACEHOLDERS = {
    "name": _("the person's full name"),
    "employee_number": _("the person's employee number"),
    "organisation": _("the organisation's name"),
    "position": _("the person's position"),
    "date": _("the date of signing"),
}


def used_placeholders(body: str) -> list[str]:
    """The placeholder names in `body` in order of first use. ValueError: unbalanced braces."""
    names: list[str] = []
    for _literal, name, _spec, _conversion in string.Formatter().parse(body):
        if name is not None and name not in names:
            names.append(name)
    return names


def unknown_placeholders(body: str) -> list[str]:
    return [name for name in used_placeholders(body) if name not in PLACEHOLDERS]


def fill(body: str, values: dict[str, str]) -> str:
    """The body with each {placeholder} replaced (only known names; `{{` writes a brace)."""
    return body.format_map({name: values.get(name, "") for name in PLACEHOLDERS})
