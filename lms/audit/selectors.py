"""Reads of the audit log for other apps (the inspection archive's extract)."""

import datetime

from django.db.models import QuerySet

from .models import AuditEntry


def entries_of_organisation(
    *, organisation_id: int, start: datetime.datetime, end: datetime.datetime
) -> QuerySet[AuditEntry]:
    """An organisation's entries from `start` (inclusive) to `end` (exclusive), oldest first;
    the caller has checked who may read them."""
    return (
        AuditEntry.objects.filter(organisation_id=organisation_id, at__gte=start, at__lt=end)
        .select_related("actor")
        .order_by("at", "pk")
    )
