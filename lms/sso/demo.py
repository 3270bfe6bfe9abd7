"""Demo enterprise sign-in at 云集优选: one OpenID Connect provider, inactive (its issuer is a
placeholder nobody answers at), so the admin's page shows what a configured provider looks like
and the sign-in page stays as it is. Safe to run again."""

from lms.organisations.models import Staff

from . import services
from .models import IdentityProvider

PROVIDER_NAME = "云集统一身份认证（演示）"


def seed(*, stdout=None) -> None:
    head = (
        Staff.objects.filter(user__email="head@yunji.demo").select_related("organisation").first()
    )
    if head is None:
        return
    organisation = head.organisation
    if IdentityProvider.objects.filter(organisation=organisation, name=PROVIDER_NAME).exists():
        return
    services.identity_provider_save(
        actor=head.user,
        provider=IdentityProvider(),
        data={
            "organisation": organisation,
            "kind": IdentityProvider.Kind.OIDC,
            "name": PROVIDER_NAME,
            "client_id": "hegui-academy",
            "server_url": "https://sso.yunji.example.cn/oidc",
            "settings": {"employee_number_claim": "employee_number"},
            "is_active": False,
        },
        secret="demo-placeholder-secret",
    )
