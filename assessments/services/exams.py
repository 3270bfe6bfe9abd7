"""Exams: creating them, who takes them (audience, named people, overrides), the annual cycle
and its reminders."""

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms import display
from lms.audit.services import audit_record, audited_save
from lms.notifications.services import notification_send
from lms.organisations.models import ENTERPRISE_COMPLIANCE_ROLES
from lms.organisations.selectors import staff_active

from .. import notices
from ..models import (
    AnnualExamTemplate,
    Attempt,
    Blueprint,
    Exam,
    ExamCandidate,
    ExamKind,
    ExamReminder,
)
from .banks import blueprint_problems
from .integrity import exam_integrity_defaults


@transaction.atomic
def exam_save(*, exam: Exam, actor=None) -> Exam:
    """Create or change an exam (checked against its bank), audited with what changed."""
    if exam.pk is None and exam.created_by_id is None and actor is not None:
        exam.created_by = actor

    def blueprint_fills() -> None:
        problems = blueprint_problems(blueprint=exam.blueprint)
        if problems:
            raise ValidationError({"blueprint": problems})

    audited_save(
        exam,
        actor=actor,
        organisation=exam.organisation,
        validate=blueprint_fills,
    )
    return exam


def exam_create(
    *,
    organisation,
    title: str,
    kind: str,
    blueprint: Blueprint,
    opens_at: datetime,
    closes_at: datetime,
    actor=None,
    **options,
) -> Exam:
    """Create an exam. Other apps (spot checks) call this with kind=ExamKind.SPOT_CHECK and a
    blueprint on the regulator's sealed bank, then `exam_assign` the people drawn.

    options: any other Exam field (time_limit_minutes, attempts_allowed, pass_mark,
    grading_method, review_policy, shuffle_questions, shuffle_options, course, instructions,
    audience_roles, validity_months, annual_template, cycle_year, and the integrity_* rules,
    on by default for a spot check: integrity.SPOT_CHECK_DEFAULTS).
    """
    exam = Exam(
        organisation=organisation,
        title=title,
        kind=kind,
        blueprint=blueprint,
        opens_at=opens_at,
        closes_at=closes_at,
        **exam_integrity_defaults(kind=kind, options=options),
    )
    exam = exam_save(exam=exam, actor=actor)
    if exam.audience_roles or exam.audience_curriculum_id:
        exam_sync_audience(exam=exam, actor=actor)
    return exam


@transaction.atomic
def exam_assign(
    *, exam: Exam, users: Iterable, actor=None, source: str = ExamCandidate.Source.NAMED
) -> list[ExamCandidate]:
    """Put named people in an exam (idempotent: people already in it keep their overrides).

    Returns the candidates newly added.
    """
    users = list(users)
    existing = set(
        ExamCandidate.objects.filter(exam=exam, user__in=users).values_list("user_id", flat=True)
    )
    added = ExamCandidate.objects.bulk_create(
        [ExamCandidate(exam=exam, user=u, source=source) for u in users if u.pk not in existing],
        ignore_conflicts=True,
    )
    if added:
        audit_record(
            action="exam.assign",
            target=exam,
            actor=actor,
            organisation=exam.organisation,
            data={"user_ids": [c.user_id for c in added], "source": source},
        )
    return added


def audience_staff(*, exam: Exam):
    """Active staff of the exam's organisation whom its audience (roles, positions) covers."""
    positions = list(exam.audience_positions.values_list("pk", flat=True)) if exam.pk else []
    qs = staff_active().filter(organisation=exam.organisation)
    q = Q(pk__in=[])
    if exam.audience_roles:
        q |= Q(position__compliance_role__in=exam.audience_roles)
    if positions:
        q |= Q(position_id__in=positions)
    if exam.audience_curriculum is not None:
        from lms.learning.selectors import staff_in_curriculum_audience

        q |= Q(
            pk__in=staff_in_curriculum_audience(
                curriculum=exam.audience_curriculum, organisation=exam.organisation
            ).values("pk")
        )
    return qs.filter(q).select_related("user")


def exam_sync_audience(*, exam: Exam, actor=None, staff_ids=None) -> int:
    """Add everyone the audience now covers (of `staff_ids` only, if given). Nobody is removed:
    history stays."""
    staff = audience_staff(exam=exam)
    if staff_ids is not None:
        staff = staff.filter(pk__in=staff_ids)
    users = [s.user for s in staff]
    return len(
        exam_assign(exam=exam, users=users, actor=actor, source=ExamCandidate.Source.AUDIENCE)
    )


def exams_sync_audiences_for_organisation(*, organisation_id: int, staff_ids=None, now=None) -> int:
    """After a roster change: put people who now fall in an open exam's audience into it;
    `staff_ids` limits the work to the people who changed (None: everyone).

    Only exams whose window has not closed, and not spot checks (the regulator's draw decides
    who sits those). Returns how many people were added in all.
    """
    now = now or timezone.now()
    exams = (
        Exam.objects.filter(organisation_id=organisation_id, closes_at__gt=now)
        .exclude(kind=ExamKind.SPOT_CHECK)
        .filter(
            ~Q(audience_roles=[])
            | Q(audience_curriculum__isnull=False)
            | Q(audience_positions__isnull=False)
        )
        .distinct()
    )
    return sum(exam_sync_audience(exam=exam, staff_ids=staff_ids) for exam in exams)


@transaction.atomic
def exam_set_override(
    *, exam: Exam, user, extra_minutes: int = 0, extra_attempts: int = 0, actor=None
) -> ExamCandidate:
    """Per-person extra time and extra attempts (audited). Adds the person if needed."""
    if extra_minutes < 0 or extra_attempts < 0:
        raise ValidationError(_("Extra time and attempts cannot be negative."))
    candidate, _created = ExamCandidate.objects.get_or_create(
        exam=exam, user=user, defaults={"source": ExamCandidate.Source.NAMED}
    )
    before = [candidate.extra_minutes, candidate.extra_attempts]
    candidate.extra_minutes, candidate.extra_attempts = extra_minutes, extra_attempts
    candidate.save(update_fields=["extra_minutes", "extra_attempts"])
    audit_record(
        action="exam.override",
        target=exam,
        actor=actor,
        organisation=exam.organisation,
        data={"user": user.pk, "before": before, "after": [extra_minutes, extra_attempts]},
    )
    return candidate


# --- pre-appointment --------------------------------------------------------------------------


def pre_appointment_pass(*, user, organisation, now=None) -> Attempt | None:
    """The person's latest passed pre-appointment attempt still within its exam's validity."""
    now = now or timezone.now()
    for attempt in (
        Attempt.objects.filter(
            user=user,
            exam__organisation=organisation,
            exam__kind=ExamKind.PRE_APPOINTMENT,
            status=Attempt.Status.GRADED,
            passed=True,
        )
        .select_related("exam")
        .order_by("-submitted_at")
    ):
        submitted_at = attempt.submitted_at
        if submitted_at and submitted_at + _months(attempt.exam.validity_months) > now:
            return attempt
    return None


def _months(n: int) -> timedelta:
    return timedelta(days=round(n * 365.25 / 12))


def pre_appointment_refusal(appointment) -> str | None:
    """The appointment gate: why the appointment may not be approved yet, or None."""
    if not appointment.position.needs_pre_appointment_exam:
        return None
    staff = appointment.staff
    if pre_appointment_pass(user=staff.user, organisation=staff.organisation):
        return None
    last = (
        Attempt.objects.filter(
            user=staff.user,
            exam__organisation=staff.organisation,
            exam__kind=ExamKind.PRE_APPOINTMENT,
        )
        .exclude(status=Attempt.Status.OPEN)
        .order_by("-started_at")
        .first()
    )
    name = staff.user.full_name or staff.user.email
    exam = pre_appointment_exam_for(organisation=staff.organisation)
    months = exam.validity_months if exam else 12
    # Whole sentences, one per case: a translation cannot be assembled from fragments.
    values = {"position": appointment.position.name, "months": months, "name": name}
    if last is None:
        return (
            _(
                "The position %(position)s needs a passed pre-appointment exam from the last "
                "%(months)d months, but %(name)s has not taken it yet."
            )
            % values
        )
    if last.status == Attempt.Status.AWAITING_GRADING:
        return (
            _(
                "The position %(position)s needs a passed pre-appointment exam from the last "
                "%(months)d months, but the attempt of %(name)s is still being graded."
            )
            % values
        )
    if not last.passed:
        return _(
            "The position %(position)s needs a passed pre-appointment exam from the last "
            "%(months)d months, but the last attempt of %(name)s (%(percent)s%%) did not "
            "reach the pass mark."
        ) % {**values, "percent": display.number(last.percent)}
    return _(
        "The position %(position)s needs a passed pre-appointment exam from the last "
        "%(months)d months, but the pass of %(name)s on %(date)s is no longer valid."
    ) % {**values, "date": timezone.localtime(last.submitted_at).date().isoformat()}


def pre_appointment_exam_for(*, organisation, now=None) -> Exam | None:
    now = now or timezone.now()
    return (
        Exam.objects.filter(
            organisation=organisation, kind=ExamKind.PRE_APPOINTMENT, closes_at__gt=now
        )
        .order_by("-opens_at")
        .first()
    )


def appointment_enrol_candidate(*, appointment) -> ExamCandidate | None:
    """On an appointment request to a position that needs it, put the candidate in the
    organisation's current pre-appointment exam."""
    if not appointment.position.needs_pre_appointment_exam:
        return None
    exam = pre_appointment_exam_for(organisation=appointment.staff.organisation)
    if exam is None:
        audit_record(
            action="exam.no_pre_appointment_exam",
            target=appointment,
            organisation=appointment.staff.organisation,
        )
        return None
    user = appointment.staff.user
    exam_assign(exam=exam, users=[user], source=ExamCandidate.Source.APPOINTMENT)
    if not pre_appointment_pass(user=user, organisation=appointment.staff.organisation):
        _pre_appointment_notice(appointment=appointment, exam=exam)
    return ExamCandidate.objects.get(exam=exam, user=user)


def _pre_appointment_notice(*, appointment, exam: Exam) -> None:
    """Tell the candidate (once per appointment) that the exam awaits them; it stands for the
    exam's "opened" reminder, so the reminder run does not say it again."""
    user = appointment.staff.user
    ExamReminder.objects.get_or_create(exam=exam, user=user, kind="opened")
    params = {
        "title": exam.title,
        "position": appointment.position.name,
        "closes": _local_minute(exam.closes_at),
    }
    link = reverse("assessments:my_exams")
    transaction.on_commit(
        lambda: notification_send(
            user=user,
            key=f"appointment:{appointment.pk}:pre-appointment-exam",
            kind=notices.PRE_APPOINTMENT_EXAM,
            params=params,
            link=link,
        )
    )


def _local_minute(moment: datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


# --- annual cycle -----------------------------------------------------------------------------


@transaction.atomic
def annual_template_save(*, template: AnnualExamTemplate, actor=None) -> AnnualExamTemplate:

    def blueprint_fills() -> None:
        problems = blueprint_problems(blueprint=template.blueprint)
        if problems:
            raise ValidationError({"blueprint": problems})

    audited_save(
        template,
        actor=actor,
        organisation=template.organisation,
        label="annual_exam_template",
        validate=blueprint_fills,
    )
    return template


def annual_exam_open(*, template: AnnualExamTemplate, year: int) -> Exam | None:
    """Open the template's exam for the year, for everyone in a compliance role (idempotent)."""
    existing = Exam.objects.filter(annual_template=template, cycle_year=year).first()
    if existing:
        exam_sync_audience(exam=existing)
        return existing
    opens_at = timezone.make_aware(
        datetime.combine(
            datetime(year, template.opens_month, template.opens_day).date(), time(0, 0)
        )
    )
    try:
        with transaction.atomic():
            exam = exam_create(
                organisation=template.organisation,
                title=f"{template.title} {year}",
                kind=ExamKind.ANNUAL,
                blueprint=template.blueprint,
                opens_at=opens_at,
                closes_at=opens_at + timedelta(days=template.window_days),
                time_limit_minutes=template.time_limit_minutes,
                attempts_allowed=template.attempts_allowed,
                pass_mark=template.pass_mark,
                audience_roles=sorted(str(r) for r in ENTERPRISE_COMPLIANCE_ROLES),
                annual_template=template,
                cycle_year=year,
            )
    except IntegrityError:
        return Exam.objects.get(annual_template=template, cycle_year=year)
    return exam


def annual_exams_open_due(*, today=None) -> list[Exam]:
    """The beat job: open this year's annual exam of every active template whose date came."""
    today = today or timezone.localdate()
    opened = []
    for template in AnnualExamTemplate.objects.filter(is_active=True).select_related(
        "organisation", "blueprint__bank"
    ):
        if (today.month, today.day) >= (template.opens_month, template.opens_day):
            exam = annual_exam_open(template=template, year=today.year)
            if exam is not None:
                opened.append(exam)
    return opened


def exam_reminders_send(*, now=None) -> int:
    """Remind candidates of open annual and pre-appointment exams they have not passed:
    once when the exam opens and once some days before it closes. Never twice."""
    now = now or timezone.now()
    sent = 0
    exams = Exam.objects.filter(
        kind__in=[ExamKind.ANNUAL, ExamKind.PRE_APPOINTMENT], opens_at__lte=now, closes_at__gt=now
    ).select_related("annual_template")
    for exam in exams:
        days = exam.annual_template.reminder_days_before_close if exam.annual_template else 7
        kind = "closing" if exam.closes_at - now <= timedelta(days=days) else "opened"
        passed = Attempt.objects.filter(exam=exam, passed=True).values("user_id")
        reminded = ExamReminder.objects.filter(exam=exam, kind=kind).values("user_id")
        for candidate in (
            exam.candidates.exclude(user_id__in=passed)
            .exclude(user_id__in=reminded)
            .select_related("user")
        ):
            try:
                with transaction.atomic():
                    ExamReminder.objects.create(exam=exam, user=candidate.user, kind=kind)
            except IntegrityError:
                continue
            notification_send(
                user=candidate.user,
                key=f"exam:{exam.pk}:{kind}:{candidate.user_id}",
                kind=notices.EXAM,
                params={"title": exam.title, "closes": _local_minute(exam.closes_at)},
                link=reverse("assessments:my_exams"),
            )
            sent += 1
    return sent
