"""Consultations (合规咨询), the FAQ, and reports of violations (举报). Audited; notices through
lms.notifications. A report's reporter is never written where anyone but the compliance head and
CCO could read it: its audit entries withhold the actor, its notices do not name them, and an
anonymous report stores no reporter at all."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.attachments import attachment_problems
from lms.audit.services import audit_record
from lms.notifications.services import notification_send
from lms.organisations.selectors import compliance_heads_of
from lms.refusals import Refused

from . import selectors, workdays
from .models import (
    ConsultationSettings,
    FaqEntry,
    Question,
    QuestionAttachment,
    Report,
    ReportAttachment,
)

MAX_TEXT = 5000


class ConsultationRefused(Refused):
    """Asking, answering or reporting is refused (not a member, already answered)."""

    status = 403


def _membership(actor, organisation_id: int | None):
    memberships = selectors.asking_memberships_of(actor)
    if organisation_id is None:
        return memberships[0] if memberships else None
    return next((m for m in memberships if m.organisation_id == organisation_id), None)


def _save_files(model, owner_field: str, owner, files) -> None:
    for upload in files:
        upload.seek(0)
        model.objects.create(**{owner_field: owner}, file=upload, name=upload.name[:255])


@transaction.atomic
def question_ask(
    *,
    actor,
    text: str,
    organisation_id: int | None = None,
    lesson_id: int | None = None,
    files=(),
) -> Question:
    """A staff member asks a compliance question, from anywhere or from a lesson (linked). It is
    routed to the part-time administrator of their department (walking up the tree), else to
    the compliance department, who are told."""
    from content.selectors import lesson_and_course_for

    asker = _membership(actor, organisation_id)
    if asker is None:
        raise ConsultationRefused(_("Only staff of an organisation ask its compliance department."))
    lesson = course = None
    if lesson_id is not None:
        found = lesson_and_course_for(user=actor, lesson_id=lesson_id)
        if found is None:
            raise PermissionDenied
        lesson, course = found
    errors: dict[str, Any] = {}
    text = (text or "").strip()
    if not text:
        errors["text"] = _("Write your question.")
    elif len(text) > MAX_TEXT:
        errors["text"] = _("Keep the question under %(n)d characters.") % {"n": MAX_TEXT}
    files = list(files)
    problems = attachment_problems(files)
    if problems:
        errors["files"] = problems
    if errors:
        raise ValidationError(errors)
    routed_to = selectors.part_time_admin_for(
        organisation_id=asker.organisation_id,
        department=asker.department,
        exclude_user_id=actor.pk,
    )
    question = Question(
        organisation_id=asker.organisation_id,
        asker=asker,
        department_id=asker.department_id,
        routed_to=routed_to,
        lesson=lesson,
        course=course,
        text=text,
    )
    question.full_clean()
    question.save()
    _save_files(QuestionAttachment, "question", question, files)
    audit_record(
        action="consultations.question_ask",
        target=question,
        actor=actor,
        organisation=question.organisation,
        data={
            "routed_to": str(routed_to) if routed_to else None,
            "lesson": lesson.title if lesson else None,
            "attachments": [f.name for f in files],
        },
    )
    link = reverse("consultations:question", args=[question.pk])
    recipients = selectors.answerers_of(question)
    transaction.on_commit(
        lambda: [
            notification_send(
                user=user,
                key=f"consultation:{question.pk}:asked:{user.pk}",
                kind="consultation_asked",
                params={"number": question.pk, "asker": actor.full_name or actor.email},
                link=link,
            )
            for user in recipients
        ]
    )
    return question


@transaction.atomic
def question_answer(*, actor, question_id: int, answer: str, clause_ids=()) -> Question:
    """Who may answer the question (its scope: selectors.questions_answerable_by) answers it,
    citing clauses of the regulation library. Anyone else: PermissionDenied (a 404)."""
    from content.selectors import clauses_of_live_regulations

    question = (
        selectors.questions_answerable_by(actor)
        .select_for_update(of=("self",))
        .filter(pk=question_id)
        .first()
    )
    if question is None:
        raise PermissionDenied
    if question.status == Question.Status.ANSWERED:
        raise ConsultationRefused(_("This question is already answered."), status=409)
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": _("Write the answer.")})
    clause_ids = list(clause_ids)
    clauses = list(clauses_of_live_regulations(ids=clause_ids))
    if len(clauses) != len(set(clause_ids)):
        raise ValidationError({"clauses": _("Cite clauses of regulations in the library.")})
    question.answer = answer
    question.answered_by = actor
    question.answered_at = timezone.now()
    question.status = Question.Status.ANSWERED
    question.save(update_fields=["answer", "answered_by", "answered_at", "status"])
    question.clauses.set(clauses)
    audit_record(
        action="consultations.question_answer",
        target=question,
        actor=actor,
        organisation=question.organisation,
        data={"clauses": [str(c) for c in clauses]},
    )
    asker = question.asker.user
    link = reverse("consultations:question", args=[question.pk])
    transaction.on_commit(
        lambda: notification_send(
            user=asker,
            key=f"consultation:{question.pk}:answered",
            kind="consultation_answered",
            params={"number": question.pk},
            link=link,
        )
    )
    return question


def _head_of(actor, organisation_id: int) -> bool:
    from lms.organisations.access import access_for

    return organisation_id in access_for(actor).head_org_ids


@transaction.atomic
def faq_publish(
    *, actor, question_id: int, question_text: str = "", answer_text: str = ""
) -> FaqEntry:
    """The compliance head (or CCO) publishes an answered question to the organisation's FAQ,
    the wording edited if they wish (the asker is not named). Others: PermissionDenied."""
    question = selectors.questions_visible_to(actor).filter(pk=question_id).first()
    if question is None or not _head_of(actor, question.organisation_id):
        raise PermissionDenied
    if question.status != Question.Status.ANSWERED:
        raise ConsultationRefused(_("Only an answered question is published."), status=409)
    if FaqEntry.objects.filter(source=question).exists():
        raise ConsultationRefused(_("This answer is already in the FAQ."), status=409)
    entry = FaqEntry(
        organisation_id=question.organisation_id,
        source=question,
        question=(question_text or "").strip() or question.text,
        answer=(answer_text or "").strip() or question.answer,
        course=question.course,
        published_by=actor,
    )
    entry.full_clean()
    entry.save()
    entry.clauses.set(question.clauses.all())
    audit_record(
        action="consultations.faq_publish",
        target=entry,
        actor=actor,
        organisation=entry.organisation,
        data={"question": question.pk, "course": entry.course.title if entry.course else None},
    )
    return entry


@transaction.atomic
def faq_withdraw(*, actor, entry_id: int) -> None:
    entry = selectors.faq_visible_to(actor).filter(pk=entry_id).first()
    if entry is None or not _head_of(actor, entry.organisation_id):
        raise PermissionDenied
    audit_record(
        action="consultations.faq_withdraw",
        target=entry,
        actor=actor,
        organisation=entry.organisation,
        data={"question": entry.question[:200]},
    )
    entry.delete()


@transaction.atomic
def settings_save(*, actor, organisation_id: int, reminder_working_days: int | None):
    if not _head_of(actor, organisation_id):
        raise PermissionDenied
    kept, _created = ConsultationSettings.objects.get_or_create(organisation_id=organisation_id)
    before = kept.reminder_working_days
    kept.reminder_working_days = reminder_working_days  # type: ignore[assignment]
    try:
        kept.full_clean()
    except ValidationError as exc:
        raise ValidationError(
            {"reminder_working_days": _("Give a number of working days from 1 to 30.")}
        ) from exc
    kept.save()
    audit_record(
        action="consultations.settings_save",
        target=kept,
        actor=actor,
        organisation=kept.organisation,
        data={"changes": {"reminder_working_days": [before, kept.reminder_working_days]}},
    )
    return kept


def unanswered_questions_remind(*, today: date | None = None) -> dict[str, int]:
    """Remind who answers an open question after N working days (the organisation's setting,
    else the default) and escalate it to the compliance head and CCO after 2N. Each step is
    taken once per question (a conditional update and the notices' keys), so the daily task
    may run again or be retried."""
    today = today or timezone.localdate()
    holidays, extra = selectors.holidays()
    done = {"reminded": 0, "escalated": 0}
    for question in selectors.open_questions_all():
        asked_on = timezone.localtime(question.asked_at).date()
        stage = workdays.stage_due(
            asked_on,
            today,
            working_days=selectors.reminder_working_days(question.organisation_id),
            holidays=holidays,
            extra_workdays=extra,
        )
        if stage >= workdays.Stage.REMIND and _step(question, "reminded_at", "remind"):
            done["reminded"] += 1
        if stage >= workdays.Stage.ESCALATE and _step(question, "escalated_at", "escalate"):
            done["escalated"] += 1
    return done


@transaction.atomic
def _step(question: Question, field: str, step: str) -> bool:
    updated = Question.objects.filter(
        pk=question.pk, status=Question.Status.OPEN, **{f"{field}__isnull": True}
    ).update(**{field: timezone.now()})
    if not updated:
        return False
    audit_record(
        action=f"consultations.question_{step}",
        target=question,
        actor_label="system",
        organisation=question.organisation,
    )
    if step == "remind":
        recipients = selectors.answerers_of(question)
    else:
        recipients = compliance_heads_of(organisation_id=question.organisation_id)
    link = reverse("consultations:question", args=[question.pk])

    def send() -> None:
        for user in recipients:
            notification_send(
                user=user,
                key=f"consultation:{question.pk}:{step}:{user.pk}",
                kind=f"consultation_{step}",
                params={"number": question.pk},
                link=link,
            )

    transaction.on_commit(send)
    return True


# --- reports of violations (举报) --------------------------------------------------------------


@transaction.atomic
def report_submit(
    *,
    actor,
    subject: str,
    description: str,
    anonymous: bool,
    organisation_id: int | None = None,
    files=(),
    today: date | None = None,
) -> Report:
    """A staff member reports a violation to their organisation's compliance head and CCO,
    anonymously if they choose: then nothing ties the report to them (no reporter, only the
    date, an audit entry without actor or address). Named or not, the audit entry and the
    notices withhold who reported."""
    member = _membership(actor, organisation_id)
    if member is None:
        raise ConsultationRefused(_("Only staff of an organisation report to its compliance head."))
    errors: dict[str, Any] = {}
    subject = (subject or "").strip()
    description = (description or "").strip()
    if not subject:
        errors["subject"] = _("Give the report a subject.")
    elif len(subject) > 200:
        errors["subject"] = _("Keep the subject under 200 characters.")
    if not description:
        errors["description"] = _("Describe what happened.")
    elif len(description) > MAX_TEXT:
        errors["description"] = _("Keep the description under %(n)d characters.") % {"n": MAX_TEXT}
    files = list(files)
    problems = attachment_problems(files)
    if problems:
        errors["files"] = problems
    if errors:
        raise ValidationError(errors)
    report = Report(
        organisation_id=member.organisation_id,
        reporter=None if anonymous else actor,
        subject=subject,
        description=description,
        received_on=today or timezone.localdate(),
    )
    report.full_clean()
    report.save()
    _save_files(ReportAttachment, "report", report, files)
    audit_record(
        action="consultations.report_submit",
        target=report,
        organisation=report.organisation,
        withhold_actor=True,
    )
    link = reverse("consultations:report", args=[report.pk])
    heads = compliance_heads_of(organisation_id=report.organisation_id)
    transaction.on_commit(
        lambda: [
            notification_send(
                user=user,
                key=f"report:{report.pk}:received:{user.pk}",
                kind="report_received",
                params={"number": report.pk},
                link=link,
            )
            for user in heads
        ]
    )
    return report


def _report_for_head(actor, report_id: int) -> Report:
    report = (
        selectors.reports_visible_to(actor)
        .select_for_update(of=("self",))
        .filter(pk=report_id)
        .first()
    )
    if report is None:
        raise PermissionDenied
    if report.status != Report.Status.RECEIVED:
        raise ConsultationRefused(_("This report is already dealt with."), status=409)
    return report


@transaction.atomic
def report_close(*, actor, report_id: int, outcome: str) -> Report:
    report = _report_for_head(actor, report_id)
    outcome = (outcome or "").strip()
    if not outcome:
        raise ValidationError(
            {"outcome": _("Say what was found and why no violation is recorded.")}
        )
    report.status = Report.Status.CLOSED
    report.outcome = outcome
    report.save(update_fields=["status", "outcome"])
    audit_record(
        action="consultations.report_close",
        target=report,
        actor=actor,
        organisation=report.organisation,
    )
    return report


@transaction.atomic
def report_record_violation(
    *,
    actor,
    report_id: int,
    staff,
    occurred_on: date,
    nature: str,
    severity: str,
    description: str = "",
    today: date | None = None,
):
    """The head turns a report into a violation record of the person concerned (records'
    service: its rules of scope and rank apply). The violation is reported by the head; the
    reporter is not on it."""
    from lms.records.services import violation_report

    report = _report_for_head(actor, report_id)
    if staff.organisation_id != report.organisation_id:
        raise PermissionDenied
    violation = violation_report(
        actor=actor,
        staff=staff,
        occurred_on=occurred_on,
        nature=nature,
        severity=severity,
        description=(description or "").strip() or report.description,
        today=today,
    )
    report.status = Report.Status.RECORDED
    report.violation = violation
    report.outcome = _("Violation record %(number)d") % {"number": violation.pk}
    report.save(update_fields=["status", "violation", "outcome"])
    audit_record(
        action="consultations.report_record",
        target=report,
        actor=actor,
        organisation=report.organisation,
        data={"violation": violation.pk},
    )
    return violation
