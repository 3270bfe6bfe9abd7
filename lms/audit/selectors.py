from django.db.models import QuerySet

from lms.organisations.access import access_for

from .models import AuditEntry


def audit_entries_visible_to(user) -> QuerySet[AuditEntry]:
    """Platform administrators read everything; compliance heads their organisation's log."""
    access = access_for(user)
    qs = AuditEntry.objects.select_related("actor", "organisation")
    if access.is_platform_admin:
        return qs
    return qs.filter(organisation_id__in=access.head_org_ids)
