"""Reads of the HR integration, scoped through lms/organisations/access.py: an organisation's
keys, webhooks and deliveries are seen by its compliance head and full-time administrators
(and platform administrators); an API key reads only its own organisation."""

from django.db.models import QuerySet

from assessments.selectors import exam_results_of_organisation
from certificates.selectors import certificates_of_organisation
from lms.learning.selectors import enrolments_of_organisation
from lms.organisations.selectors import roster_organisations_for
from lms.records.selectors import appraisals_of_organisation, ledger_entries_of_organisation

from . import keys
from .models import ApiKey, WebhookDelivery, WebhookEndpoint


def integration_organisations_for(user):
    """The organisations whose HR integration the user manages: those whose roster they
    administer (the API's other door to the same roster)."""
    return roster_organisations_for(user)


def api_keys_manageable_by(user) -> QuerySet[ApiKey]:
    return ApiKey.objects.filter(
        organisation__in=integration_organisations_for(user)
    ).select_related("organisation", "created_by", "revoked_by")


def webhook_endpoints_manageable_by(user) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(
        organisation__in=integration_organisations_for(user)
    ).select_related("organisation")


def webhook_deliveries_manageable_by(user) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(
        endpoint__organisation__in=integration_organisations_for(user)
    ).select_related("endpoint", "endpoint__organisation")


def endpoints_subscribed(*, organisation_id: int, event: str) -> list[WebhookEndpoint]:
    """The organisation's active endpoints that want `event` (an organisation has a few: the
    list of events is checked here, which every database can do; SQLite has no JSON
    `contains`)."""
    active = WebhookEndpoint.objects.filter(organisation_id=organisation_id, is_active=True)
    return [endpoint for endpoint in active if event in endpoint.events]


def api_key_for(raw_key: str) -> ApiKey | None:
    """The key a caller presented, revoked or not (the caller tells them apart); None when it
    is no key of ours."""
    prefix = keys.key_prefix(raw_key)
    if prefix is None:
        return None
    api_key = ApiKey.objects.select_related("organisation").filter(prefix=prefix).first()
    if api_key is None or not keys.key_matches(raw_key, api_key.key_hash):
        return None
    return api_key


# --- what an API key reads: its own organisation's records ----------------------------------


def enrolments_for_key(api_key: ApiKey):
    return enrolments_of_organisation(organisation_id=api_key.organisation_id)


def results_for_key(api_key: ApiKey):
    return exam_results_of_organisation(organisation_id=api_key.organisation_id)


def certificates_for_key(api_key: ApiKey):
    return certificates_of_organisation(organisation_id=api_key.organisation_id)


def appraisals_for_key(api_key: ApiKey):
    return appraisals_of_organisation(organisation_id=api_key.organisation_id)


def ledger_entries_for_key(api_key: ApiKey):
    return ledger_entries_of_organisation(organisation_id=api_key.organisation_id)
