"""Demo HR integration at 云集优选: a read-and-write API key for its HR system, made by the
compliance head (the key is printed once, when it is made, as the admin shows it once), and a
webhook endpoint registered for every event and paused (the demo has no receiver to reach).
Safe to run again."""

from lms.organisations.models import Staff

from . import events, services
from .models import ApiKey, WebhookEndpoint

KEY_NAME = "HR 系统（演示）"
WEBHOOK_URL = "https://hr.yunji.example.cn/hegui/webhooks"


def seed(*, stdout=None) -> None:
    head = (
        Staff.objects.filter(user__email="head@yunji.demo").select_related("organisation").first()
    )
    if head is None:
        return
    organisation = head.organisation
    if not ApiKey.objects.filter(organisation=organisation, name=KEY_NAME).exists():
        _api_key, raw = services.api_key_create(
            actor=head.user, organisation=organisation, name=KEY_NAME, scope=ApiKey.Scope.WRITE
        )
        if stdout is not None:
            stdout.write(f"HR API key for {organisation.name} (shown once): {raw}")
    if not WebhookEndpoint.objects.filter(organisation=organisation, url=WEBHOOK_URL).exists():
        endpoint = services.webhook_endpoint_create(
            actor=head.user,
            organisation=organisation,
            url=WEBHOOK_URL,
            event_names=list(events.ALL),
        )
        services.webhook_endpoint_set_active(actor=head.user, endpoint=endpoint, active=False)
