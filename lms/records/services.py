"""The ledger's writes: record an entry, reverse one, keep scoring policies.

Entries are never changed; `record_entry` is idempotent per (person, source, kind): a repeated
event returns the entry it already made. After its entry was reversed, the same event may be
recorded again (a new generation), so a result that flips and flips back still counts once.
"""

from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from lms.audit.services import audit_record
from lms.refusals import Refused

from . import notices, scoring
from .kinds import KINDS, Severity, category_of
from .models import (
    LedgerEntry,
    ScoringPolicy,
    Violation,
    ViolationEvidence,
    ViolationNature,
)


class EntryAlreadyReversed(Exception):
    """An entry is reversed once; reversing it again changes nothing."""


def platform_language():
    """The language entries' one-line summaries are written in (the platform's)."""
    return translation.override(settings.LANGUAGE_CODE)


def policy_for(*, organisation_id: int | None, year: int) -> ScoringPolicy | None:
    """The policy that scores `year` for an organisation: its latest version for the latest
    year up to `year`, else the platform default's likewise; None: the built-in rules."""
    candidates = ScoringPolicy.objects.filter(year__lte=year).order_by("-year", "-version")
    if organisation_id is not None:
        own = candidates.filter(organisation_id=organisation_id).first()
        if own is not None:
            return own
    return candidates.filter(organisation__isnull=True).first()


def rules_for(*, organisation_id: int | None, year: int) -> dict:
    policy = policy_for(organisation_id=organisation_id, year=year)
    return policy.rules if policy is not None else scoring.DEFAULT_RULES


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


# --- scoring policies ---------------------------------------------------------------------


def _curriculum_problems(organisation, rules: dict) -> list[str]:
    """The remedial curriculum must be one that applies to the organisation (a platform-wide
    one for the platform's default)."""
    from lms.learning.selectors import curricula_applying_to

    curriculum_id = (rules.get("remedial") or {}).get("curriculum")
    if curriculum_id in (None, ""):
        return []
    if organisation is None:
        from lms.learning.selectors import platform_curricula

        found = platform_curricula().filter(pk=curriculum_id).exists()
    else:
        found = curricula_applying_to(organisation=organisation).filter(pk=curriculum_id).exists()
    return [] if found else [_("Choose a remedial curriculum that applies to the organisation.")]


@transaction.atomic
def policy_save(
    *, organisation, year: int, rules: dict, actor=None, note: str = ""
) -> ScoringPolicy:
    """Store a new version of an organisation's (None: the platform's) policy for a year. Bad
    rules (thresholds overlapping or out of order, unknown kinds) are refused whole."""
    problems = scoring.policy_problems(rules) or _curriculum_problems(organisation, rules)
    if problems:
        raise ValidationError({"rules": problems})
    latest = (
        ScoringPolicy.objects.select_for_update()
        .filter(organisation=organisation, year=year)
        .order_by("-version")
        .first()
    )
    policy = ScoringPolicy(
        organisation=organisation,
        year=year,
        version=(latest.version + 1) if latest else 1,
        rules=rules,
        note=note,
        created_by=actor,
    )
    policy.full_clean()
    policy.save()
    audit_record(
        action="records.policy_save",
        target=policy,
        actor=actor,
        organisation=organisation,
        data={"year": year, "version": policy.version},
    )
    return policy


# --- violations (违规行为记录) --------------------------------------------------------------

STATEMENT_DAYS = 7  # the person's time to give a written statement (申辩)


class ViolationRefused(Refused):
    """A step the violation's state does not allow (a statement after the deadline, deciding
    twice); the message says why."""


def _notify(violation: Violation, *, step: str, params: dict) -> None:
    """Tell the person (after commit) what happened to a violation recorded for them."""
    from django.urls import reverse

    from lms.notifications.services import notification_send

    user = violation.staff.user
    link = reverse("records:violation", args=[violation.pk])
    key_step = "reported" if step == "reported" else "decided"
    transaction.on_commit(
        lambda: notification_send(
            user=user,
            key=f"records:violation:{violation.pk}:{key_step}",
            kind=notices.RECORDS,
            params={"step": step, **params},
            link=link,
        )
    )


@transaction.atomic
def violation_report(
    *,
    actor,
    staff,
    occurred_on: date,
    nature: str,
    severity: str,
    description: str,
    harm: str = "",
    loss_amount=None,
    files=(),
    today: date | None = None,
) -> Violation:
    """Record a violation of someone the actor may act on (in their scope, ranking below them,
    never themselves; anyone else: PermissionDenied, which views turn into a 404). The person
    is notified and may give a statement within STATEMENT_DAYS. Nothing is saved if any field
    or file is refused."""
    from lms.attachments import attachment_problems
    from lms.organisations.selectors import staff_changeable_by

    if not staff_changeable_by(actor).filter(pk=staff.pk).exists():
        raise PermissionDenied
    today = today or timezone.localdate()
    errors: dict[str, Any] = {}
    nature = (nature or "").strip()[:100]
    if not nature:
        errors["nature"] = _("Give the nature of the violation.")
    if severity not in dict(Severity.choices):
        errors["severity"] = _("Choose a severity.")
    if occurred_on > today:
        errors["occurred_on"] = _("The date of the violation cannot be in the future.")
    if not (description or "").strip():
        errors["description"] = _("Describe what happened.")
    files = list(files)
    problems = attachment_problems(files)
    if problems:
        errors["files"] = problems
    if errors:
        raise ValidationError(errors)
    # the organisation's list of natures grows as they are used; the form offers it
    nature_kept, _created = ViolationNature.objects.get_or_create(
        organisation_id=staff.organisation_id, name=nature
    )
    violation = Violation(
        organisation_id=staff.organisation_id,
        staff=staff,
        occurred_on=occurred_on,
        nature=nature_kept,
        severity=severity,
        harm=(harm or "").strip(),
        loss_amount=loss_amount,
        description=description.strip(),
        reported_by=actor,
        statement_due=today + timedelta(days=STATEMENT_DAYS),
    )
    violation.full_clean()
    violation.save()
    for upload in files:
        upload.seek(0)
        ViolationEvidence.objects.create(violation=violation, file=upload, name=upload.name[:255])
    audit_record(
        action="records.violation_report",
        target=violation,
        actor=actor,
        data={
            "staff": staff.pk,
            "nature": nature_kept.name,
            "severity": severity,
            "evidence": [f.name for f in files],
        },
    )
    _notify(
        violation,
        step="reported",
        params={
            "nature": nature_kept.name,
            "date": occurred_on.isoformat(),
            "due": violation.statement_due.isoformat(),
        },
    )
    return violation


@transaction.atomic
def violation_statement_give(
    *, user, violation: Violation, statement: str, today: date | None = None
) -> Violation:
    """The person's written statement (申辩), once, by the deadline."""
    violation = Violation.objects.select_for_update().get(pk=violation.pk)
    if violation.staff.user_id != user.pk:
        raise PermissionDenied
    today = today or timezone.localdate()
    statement = (statement or "").strip()
    if not statement:
        raise ValidationError({"statement": _("Write your statement.")})
    if violation.status != Violation.Status.AWAITING_STATEMENT:
        raise ViolationRefused(_("A statement can no longer be given for this violation."))
    if today > violation.statement_due:
        raise ViolationRefused(
            _("The time for a statement ended on %(due)s.")
            % {"due": violation.statement_due.isoformat()}
        )
    violation.statement = statement
    violation.statement_at = timezone.now()
    violation.status = Violation.Status.AWAITING_DECISION
    violation.save(update_fields=["statement", "statement_at", "status"])
    audit_record(action="records.violation_statement", target=violation, actor=user)
    return violation


def violations_decidable_q(user):
    from django.db.models import Q

    from lms.organisations.access import access_for

    access = access_for(user)
    if access.is_platform_admin:
        return Q()
    return Q(organisation_id__in=access.head_org_ids)


@transaction.atomic
def violation_decide(
    *, actor, violation: Violation, confirm: bool, reason: str, today: date | None = None
) -> Violation:
    """The compliance head confirms or dismisses, with reasons, once. While the person may
    still give a statement, no decision. Confirmed: the violation enters the ledger."""
    from lms.organisations.selectors import staff_changeable_by

    violation = Violation.objects.select_for_update().get(pk=violation.pk)
    may_decide = (
        Violation.objects.filter(violations_decidable_q(actor), pk=violation.pk).exists()
        and staff_changeable_by(actor).filter(pk=violation.staff_id).exists()
    )
    if not may_decide:
        raise PermissionDenied
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reasons for the decision.")})
    if not violation.is_open:
        raise ViolationRefused(_("This violation has already been decided."))
    if violation.status == Violation.Status.AWAITING_STATEMENT and today <= violation.statement_due:
        raise ViolationRefused(
            _(
                "The person may give a statement until %(due)s; decide after that or after the statement."
            )
            % {"due": violation.statement_due.isoformat()}
        )
    violation.status = Violation.Status.CONFIRMED if confirm else Violation.Status.DISMISSED
    violation.decided_by = actor
    violation.decided_at = timezone.now()
    violation.decision_reason = reason
    rules = rules_for(organisation_id=violation.organisation_id, year=violation.occurred_on.year)
    months = scoring.gate_months_for(rules, violation.severity) if confirm else 0
    if months:
        violation.barred_until = scoring.add_months(today, months)
    violation.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "barred_until"]
    )
    audit_record(
        action="records.violation_confirm" if confirm else "records.violation_dismiss",
        target=violation,
        actor=actor,
        data={"reason": reason},
    )
    staff = violation.staff
    with platform_language():
        severity = dict(Severity.choices)[violation.severity]
        if confirm:
            record_entry(
                staff=staff,
                kind="violation",
                severity=violation.severity,
                source=violation,
                occurred_at=violation.decided_at,
                year=violation.occurred_on.year,
                summary=_("Violation (%(severity)s): %(nature)s")
                % {
                    "severity": severity,
                    "nature": violation.nature.name,
                },
                entered_by=actor,
            )
        if confirm:
            _consequences_apply(violation, rules=rules, actor=actor, today=today)
    _notify(violation, step="confirmed" if confirm else "dismissed", params={"reason": reason})
    if confirm:
        from . import signals

        transaction.on_commit(
            lambda: signals.violation_confirmed.send(sender=Violation, violation=violation)
        )
    return violation


def _consequences_apply(violation: Violation, *, rules: dict, actor, today: date) -> None:
    """A confirmed violation's consequences under the policy of its year: remedial training
    (enrolled through learning's services) and the appointment bar (`barred_until`, read by
    `appointment_gate`). Audited with what they were."""
    from lms.learning.services import enrolment_assign_remedial

    remedial = scoring.remedial_for(rules, violation.severity)
    enrolled = []
    if remedial is not None:
        enrolled = enrolment_assign_remedial(
            staff=violation.staff,
            actor=actor,
            reason=_("Remedial training after the violation of %(date)s: %(nature)s")
            % {"date": violation.occurred_on.isoformat(), "nature": violation.nature.name},
            due_on=today + timedelta(days=remedial.due_days),
            curriculum_id=remedial.curriculum_id,
            course_ids=remedial.course_ids,
        )
    if enrolled or violation.barred_until:
        audit_record(
            action="records.violation_consequences",
            target=violation,
            actor=actor,
            data={
                "remedial_courses": [e.course_id for e in enrolled],
                "barred_until": violation.barred_until.isoformat()
                if violation.barred_until
                else "",
            },
        )


def appointment_gate(appointment) -> str | None:
    """Registered in `organisations.gates`: a key position or one with a compliance role is
    refused while a confirmed violation of the person in that organisation bars them."""
    position = appointment.position
    if not (position.is_key or position.compliance_role not in ("", "none")):
        return None
    staff = appointment.staff
    violation = (
        Violation.objects.filter(
            staff__user_id=staff.user_id,
            organisation_id=staff.organisation_id,
            status=Violation.Status.CONFIRMED,
            barred_until__gt=timezone.localdate(),
        )
        .order_by("-barred_until")
        .first()
    )
    if violation is None:
        return None
    return _(
        "%(name)s has a confirmed violation of %(date)s (%(severity)s): the bar on key and "
        "compliance positions lifts on %(until)s."
    ) % {
        "name": staff.user.full_name or staff.user.email,
        "date": violation.occurred_on.isoformat(),
        "severity": violation.get_severity_display(),
        "until": violation.barred_until.isoformat() if violation.barred_until else "",
    }


# --- closing a year (年度合规考核) ------------------------------------------------------------


class YearAlreadyClosed(Exception):
    """A year is closed once; its appraisals change only by amendment."""


def _entries_hashes(*, organisation_id: int, year: int) -> dict[int, str]:
    import hashlib

    digests: dict[int, Any] = {}
    rows = (
        LedgerEntry.objects.filter(organisation_id=organisation_id, year=year)
        .order_by("user_id", "pk")
        .values_list("user_id", "pk", "kind", "points", "severity", "reverses_id")
    )
    for user_id, *fields in rows.iterator(chunk_size=5000):
        digest = digests.setdefault(user_id, hashlib.sha256())
        digest.update(("|".join(str(f) for f in fields) + "\n").encode())
    return {user_id: digest.hexdigest() for user_id, digest in digests.items()}


@transaction.atomic
def year_close(*, actor, organisation, year: int):
    """Freeze every active person's appraisal of the year with the policy used and a hash of
    the entries counted. Only the organisation's compliance head (or CCO); once."""
    import hashlib

    from lms.organisations.access import access_for

    from . import hashing, selectors, signals
    from .models import Appraisal, ClosedYear

    access = access_for(actor)
    if not (access.is_platform_admin or organisation.pk in access.head_org_ids):
        raise PermissionDenied
    if year > timezone.localdate().year:
        raise ValidationError(_("A year that has not begun cannot be closed."))
    if ClosedYear.objects.select_for_update().filter(organisation=organisation, year=year).first():
        raise YearAlreadyClosed(year)
    from .year_end import year_end_entries

    year_end_entries(organisation=organisation, year=year)
    result = selectors.organisation_appraisal(
        actor, organisation=organisation, year=year, live=True
    )
    if result.problem:
        raise ValidationError(result.problem)
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
    hashes = hashing.entries_hashes(organisation_id=organisation.pk, year=year)
    empty = hashlib.sha256().hexdigest()
    frozen = Appraisal.objects.bulk_create(
        [
            Appraisal(
                closed_year=closed,
                staff=row.staff,
                score=row.appraisal.score,
                grade=row.appraisal.grade,
                breakdown={
                    "by_category": {k: str(v) for k, v in row.appraisal.by_category.items()},
                    "violations": row.appraisal.violations_by_severity,
                    "hard_rules": row.appraisal.hard_rules,
                },
                entries_hash=hashes.get(row.staff.user_id, empty),
            )
            for department in result.departments
            for row in department.people
        ],
        batch_size=2000,
    )
    audit_record(
        action="records.year_close",
        target=closed,
        actor=actor,
        organisation=organisation,
        data={"year": year, "people": len(frozen)},
    )
    transaction.on_commit(lambda: signals.year_closed.send(sender=ClosedYear, closed_year=closed))
    return closed


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

    from .models import Appraisal, ClosedYear
    from .selectors import facts_of

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
        breakdown={
            "by_category": {k: str(v) for k, v in result.by_category.items()},
            "violations": result.violations_by_severity,
            "hard_rules": result.hard_rules,
        },
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


# --- commendations and penalties (表彰奖励 / 惩戒) ----------------------------------------------


MAX_AWARD_POINTS = 100


@transaction.atomic
def award_give(
    *,
    actor,
    kind: str,
    reason: str,
    staff=None,
    department=None,
    points=None,
    violation=None,
    today: date | None = None,
):
    """The compliance head commends or penalises a person (in their scope, below their rank) or
    a department of their organisation. A person's award enters the ledger: commendations with
    positive points, penalties with negative ones. Audited."""
    from decimal import Decimal, InvalidOperation

    from lms.organisations.access import access_for
    from lms.organisations.selectors import departments_manageable_by, staff_changeable_by

    from .models import Award

    access = access_for(actor)
    if (staff is None) == (department is None):
        raise ValidationError(_("Choose either a person or a department."))
    organisation_id = staff.organisation_id if staff else department.organisation_id
    if not (access.is_platform_admin or organisation_id in access.head_org_ids):
        raise PermissionDenied
    if staff is not None and not staff_changeable_by(actor).filter(pk=staff.pk).exists():
        raise PermissionDenied
    if department is not None and not (
        departments_manageable_by(actor).filter(pk=department.pk).exists()
    ):
        raise PermissionDenied
    errors = {}
    if kind not in Award.Kind.values:
        errors["kind"] = _("Choose a kind of commendation or penalty.")
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Give the reason.")
    try:
        amount = abs(Decimal(str(points or 0).strip() or 0))
    except InvalidOperation:
        errors["points"] = _("Give the points as a number.")
        amount = Decimal(0)
    if (
        not amount.is_finite()
        or amount > MAX_AWARD_POINTS
        or amount != amount.quantize(Decimal("0.01"))
    ):
        errors["points"] = _("Give the points as a number from 0 to %(max)s, to two decimals.") % {
            "max": MAX_AWARD_POINTS
        }
    if kind == Award.Kind.MODEL_DEPARTMENT and staff is not None:
        errors["kind"] = _("A model compliance department is a department, not a person.")
    if kind in (Award.Kind.ADVANCED_PERSON, Award.Kind.BACKBONE) and department is not None:
        errors["kind"] = _("This commendation is for a person, not a department.")
    if violation is not None:
        if kind not in Award.PENALTIES:
            errors["violation"] = _("Only a penalty is linked to a violation.")
        elif staff is None or violation.staff_id != staff.pk:
            errors["violation"] = _("The violation must be the same person's.")
        elif violation.status != Violation.Status.CONFIRMED:
            errors["violation"] = _("Only a confirmed violation can be linked.")
    if errors:
        raise ValidationError(errors)
    award = Award(
        organisation_id=organisation_id,
        kind=kind,
        staff=staff,
        department=department,
        reason=reason,
        points=-amount if kind in Award.PENALTIES else amount,
        violation=violation,
        decided_by=actor,
        decided_on=today or timezone.localdate(),
    )
    award.full_clean()
    award.save()
    audit_record(
        action="records.penalty" if award.is_penalty else "records.commendation",
        target=award,
        actor=actor,
        data={"kind": kind, "reason": reason, "points": str(award.points)},
    )
    if staff is not None:
        with platform_language():
            summary = f"{award.get_kind_display()}：{reason}"
        record_entry(
            staff=staff,
            kind="penalty" if award.is_penalty else "commendation",
            source=award,
            occurred_at=timezone.now(),
            year=award.decided_on.year,
            summary=summary,
            points=award.points,
            entered_by=actor,
        )
    return award
