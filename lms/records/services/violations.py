"""Violations (违规行为记录): reported, answered by the person's statement, decided by the
compliance head; a confirmed one enters the ledger, brings its consequences and may bar the
person from key and compliance positions."""

from datetime import date, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.services import audit_record
from lms.refusals import Refused

from .. import notices, scoring
from ..kinds import Severity
from ..models import Violation, ViolationEvidence, ViolationNature
from .ledger import platform_language, record_entry
from .policies import rules_for

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
        from .. import signals

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
