"""The ledger's entries: record one, reverse one.

Entries are never changed; `record_entry` is idempotent per (person, source, kind): a repeated
event returns the entry it already made. After its entry was reversed, the same event may be
recorded again (a new generation), so a result that flips and flips back still counts once.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.audit.services import audit_record

from .. import scoring
from ..kinds import KINDS, category_of
from ..models import LedgerEntry
from .policies import rules_for


class EntryAlreadyReversed(Exception):
    """An entry is reversed once; reversing it again changes nothing."""


def platform_language():
    """The language entries' one-line summaries are written in (the platform's)."""
    return translation.override(settings.LANGUAGE_CODE)


def _year_of(moment: datetime) -> int:
    return timezone.localtime(moment).year if timezone.is_aware(moment) else moment.year


def record_entry(
    *,
    staff,
    kind: str,
    source,
    occurred_at: datetime,
    summary: str,
    points=None,
    severity: str = "",
    year: int | None = None,
    entered_by=None,
    rules: dict | None = None,
) -> LedgerEntry:
    """Append the entry for this event, or return the one already made for it. Points default
    to what the organisation's policy for the year gives the kind (PolicyError if none)."""
    if kind not in KINDS:
        raise scoring.PolicyError(
            _("“%(kind)s” is not a kind of event the ledger counts.") % {"kind": kind}
        )
    year = year or _year_of(occurred_at)
    source_type = ContentType.objects.get_for_model(source)
    existing = (
        LedgerEntry.objects.filter(
            user_id=staff.user_id,
            source_type=source_type,
            source_id=source.pk,
            kind=kind,
            reverses__isnull=True,
        )
        .select_related("reversed_by")
        .order_by("-generation")
        .first()
    )
    generation = 1
    if existing is not None:
        if not _is_reversed(existing):
            return existing
        generation = existing.generation + 1
    if points is None or kind not in scoring.ENTRY_POINT_KINDS:
        points = scoring.entry_points(
            kind=kind,
            rules=rules or rules_for(organisation_id=staff.organisation_id, year=year),
            severity=severity,
            points=points,
        )
    entry = LedgerEntry(
        user_id=staff.user_id,
        staff=staff,
        organisation_id=staff.organisation_id,
        department_id=staff.department_id,
        department_name=staff.department.name if staff.department_id else "",
        year=year,
        category=category_of(kind),
        kind=kind,
        severity=severity,
        source_type=source_type,
        source_id=source.pk,
        generation=generation,
        points=points,
        summary=summary[:300],
        occurred_at=occurred_at,
        entered_by=entered_by,
    )
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        # the same event recorded concurrently: the other entry stands
        return LedgerEntry.objects.get(
            user_id=staff.user_id,
            source_type=source_type,
            source_id=source.pk,
            kind=kind,
            generation=generation,
            reverses__isnull=True,
        )
    return entry


def _is_reversed(entry: LedgerEntry) -> bool:
    try:
        return entry.reversed_by is not None
    except LedgerEntry.reversed_by.RelatedObjectDoesNotExist:
        return False


@transaction.atomic
def reverse_entry(*, entry: LedgerEntry, reason: str, actor=None, now=None) -> LedgerEntry:
    """Cancel an entry by a reversing one (negated points, same source, the reason). An entry is
    reversed at most once, and a reversal is never itself reversed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    if entry.reverses_id is not None:
        raise ValidationError(_("A correction cannot itself be reversed."))
    if LedgerEntry.objects.filter(reverses=entry).exists():
        raise EntryAlreadyReversed(entry)
    with platform_language():
        summary = _("Correction: %(summary)s") % {"summary": entry.summary}
    reversal = LedgerEntry(
        user_id=entry.user_id,
        staff_id=entry.staff_id,
        organisation_id=entry.organisation_id,
        department_id=entry.department_id,
        department_name=entry.department_name,
        year=entry.year,
        category=entry.category,
        kind=entry.kind,
        severity=entry.severity,
        source_type_id=entry.source_type_id,
        source_id=entry.source_id,
        generation=entry.generation,
        points=-entry.points,
        summary=summary[:300],
        occurred_at=now or timezone.now(),
        entered_by=actor,
        reverses=entry,
        reason=reason,
    )
    try:
        with transaction.atomic():
            reversal.save()
    except IntegrityError:
        raise EntryAlreadyReversed(entry) from None
    audit_record(
        action="records.entry_reverse",
        target=entry,
        actor=actor,
        organisation=entry.organisation,
        data={"entry": entry.pk, "reversal": reversal.pk, "reason": reason},
    )
    return reversal


def reverse_live_entries(*, user_id: int, source, kinds, reason: str) -> int:
    """Reverse the person's live entries of these kinds for this source (a result that changed:
    a regrade, a later attempt). Returns how many."""
    source_type = ContentType.objects.get_for_model(source)
    live = LedgerEntry.objects.filter(
        user_id=user_id,
        source_type=source_type,
        source_id=source.pk,
        kind__in=list(kinds),
        reverses__isnull=True,
        reversed_by__isnull=True,
    ).select_related("organisation")
    count = 0
    for entry in live:
        try:
            reverse_entry(entry=entry, reason=reason)
        except EntryAlreadyReversed:
            continue
        count += 1
    return count
