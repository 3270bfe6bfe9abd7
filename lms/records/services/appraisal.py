"""Closing a year (年度合规考核): every person's appraisal frozen with the policy used, and a
closed year's appraisal amended by a new version."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.services import audit_record

from .. import scoring
from ..models import LedgerEntry
from .policies import policy_for


class YearAlreadyClosed(Exception):
    """A year is closed once; its appraisals change only by amendment."""


@transaction.atomic
def year_close(*, actor, organisation, year: int):
    """Freeze every active person's appraisal of the year with the policy used and a hash of
    the entries counted. Only the organisation's compliance head (or CCO); once. The people are
    scored and frozen a chunk at a time (`roster_scoring`), their entries hashed per chunk:
    memory bounded by the chunk whatever the roster."""
    import hashlib

    from lms.organisations.access import access_for
    from lms.organisations.selectors import staff_active, staff_manageable_by

    from .. import bulk, hashing, signals
    from ..models import Appraisal, ClosedYear
    from ..roster_scoring import roster_appraisals

    access = access_for(actor)
    if not (access.is_platform_admin or organisation.pk in access.head_org_ids):
        raise PermissionDenied
    if year > timezone.localdate().year:
        raise ValidationError(_("A year that has not begun cannot be closed."))
    if ClosedYear.objects.select_for_update().filter(organisation=organisation, year=year).first():
        raise YearAlreadyClosed(year)
    from ..year_end import year_end_entries

    year_end_entries(organisation=organisation, year=year)
    policy = policy_for(organisation_id=organisation.pk, year=year)
    closed = ClosedYear(
        organisation=organisation,
        year=year,
        policy=policy,
        rules=policy.rules if policy is not None else scoring.DEFAULT_RULES,
        closed_by=actor,
    )
    try:
        with transaction.atomic():
            closed.save()
    except IntegrityError:
        raise YearAlreadyClosed(year) from None
    empty = hashlib.sha256().hexdigest()
    now = timezone.now()
    frozen = 0
    try:
        for scored in roster_appraisals(
            organisation_id=organisation.pk,
            year=year,
            roster=staff_active(staff_manageable_by(actor)).filter(organisation=organisation),
            rules=closed.rules,
        ):
            hashes = hashing.entries_hashes(
                organisation_id=organisation.pk,
                year=year,
                user_ids=[row.user_id for row in scored],
            )
            frozen += bulk.insert_rows(
                Appraisal,
                APPRAISAL_FIELDS,
                [
                    (
                        closed.pk,
                        row.staff_id,
                        1,
                        row.appraisal.score,
                        row.appraisal.grade,
                        breakdown_of(row.appraisal),
                        hashes.get(row.user_id, empty),
                        "",
                        now,
                    )
                    for row in scored
                ],
            )
    except scoring.PolicyError as exc:
        raise ValidationError(str(exc)) from None
    audit_record(
        action="records.year_close",
        target=closed,
        actor=actor,
        organisation=organisation,
        data={"year": year, "people": frozen},
    )
    transaction.on_commit(lambda: signals.year_closed.send(sender=ClosedYear, closed_year=closed))
    return closed


APPRAISAL_FIELDS = (
    "closed_year",
    "staff",
    "version",
    "score",
    "grade",
    "breakdown",
    "entries_hash",
    "reason",
    "created_at",
)


def breakdown_of(appraisal: scoring.Appraisal) -> dict:
    """What an appraisal keeps of how the score came about."""
    return {
        "by_category": {k: str(v) for k, v in appraisal.by_category.items()},
        "violations": appraisal.violations_by_severity,
        "hard_rules": appraisal.hard_rules,
    }


class AmendmentRefused(Exception):
    """An amendment the year's state does not allow (the year is open, nothing changed)."""


def _person_hash(*, user_id: int, organisation_id: int, year: int) -> str:
    import hashlib

    digest = hashlib.sha256()
    for fields in (
        LedgerEntry.objects.filter(user_id=user_id, organisation_id=organisation_id, year=year)
        .order_by("pk")
        .values_list("pk", "kind", "points", "severity", "reverses_id")
    ):
        digest.update(("|".join(str(f) for f in fields) + "\n").encode())
    return digest.hexdigest()


@transaction.atomic
def appraisal_amend(*, actor, staff, year: int, reason: str):
    """Amend a person's appraisal of a closed year (a correction or a late entry in the ledger
    since): a new version, scored from the ledger as it is now under the rules the year was
    closed with, with the reason; audited. Earlier versions stay as they were. Only the
    organisation's compliance head (or CCO), for someone below them, never themselves."""
    from lms.organisations.access import access_for
    from lms.organisations.selectors import staff_changeable_by

    from ..models import Appraisal, ClosedYear
    from ..selectors import facts_of

    access = access_for(actor)
    organisation_id = staff.organisation_id
    if not (access.is_platform_admin or organisation_id in access.head_org_ids):
        raise PermissionDenied
    if not staff_changeable_by(actor).filter(pk=staff.pk).exists():
        raise PermissionDenied
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for the amendment.")})
    closed = ClosedYear.objects.filter(organisation_id=organisation_id, year=year).first()
    if closed is None:
        raise AmendmentRefused(
            _("%(year)s is not closed: its appraisal is live and needs no amendment.")
            % {"year": year}
        )
    latest = (
        Appraisal.objects.select_for_update()
        .filter(closed_year=closed, staff=staff)
        .order_by("-version")
        .first()
    )
    if latest is None:
        raise AmendmentRefused(_("This person has no appraisal in the closed year."))
    entries_hash = _person_hash(user_id=staff.user_id, organisation_id=organisation_id, year=year)
    if entries_hash == latest.entries_hash:
        raise AmendmentRefused(
            _(
                "Nothing in the record changed since version %(version)s: correct or add the "
                "entry first, then amend."
            )
            % {"version": latest.version}
        )
    entries = LedgerEntry.objects.filter(
        user_id=staff.user_id, organisation_id=organisation_id, year=year
    ).only("pk", "kind", "points", "severity", "occurred_at", "reverses_id")
    result = scoring.appraise(facts_of(entries), closed.rules)
    amended = Appraisal.objects.create(
        closed_year=closed,
        staff=staff,
        version=latest.version + 1,
        score=result.score,
        grade=result.grade,
        breakdown=breakdown_of(result),
        entries_hash=entries_hash,
        reason=reason,
        amended_by=actor,
    )
    audit_record(
        action="records.appraisal_amend",
        target=amended,
        actor=actor,
        organisation=closed.organisation,
        data={
            "year": year,
            "version": amended.version,
            "reason": reason,
            "before": {"score": str(latest.score), "grade": latest.grade},
            "after": {"score": str(amended.score), "grade": amended.grade},
        },
    )
    return amended
