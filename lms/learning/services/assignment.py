"""Assignment: the enrolments curricula call for, and those an administrator makes or waives
by hand (one course, a post's courses, remedial training); a course people are enrolled in is
not deleted."""

from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from content.models import CoursePage, Curriculum
from lms.audit.services import audit_record
from lms.organisations.selectors import enterprises

from .. import selectors
from ..models import ONE_OFF_CYCLE, Enrolment

if TYPE_CHECKING:
    from lms.organisations.models import Organisation, Staff


def cycle_for(*, curriculum: Curriculum, today: date) -> int:
    return today.year if curriculum.refresh == Curriculum.Refresh.YEARLY else ONE_OFF_CYCLE


def assignment_run(
    *,
    organisation: "Organisation",
    staff_ids: list[int] | None = None,
    curriculum: Curriculum | None = None,
    today: date | None = None,
) -> int:
    """Create the enrolments the organisation's curricula call for; return how many were new.

    Idempotent: an enrolment that exists for the person, course and cycle is left alone, and a
    person who left an audience keeps every enrolment they had. Yearly curricula open a new
    cycle each calendar year.
    """
    today = today or timezone.localdate()
    curricula = selectors.curricula_applying_to(organisation=organisation)
    if curriculum is not None:
        curricula = curricula.filter(pk=curriculum.pk)
    created = 0
    now = timezone.now()
    for item in curricula.prefetch_related("audience_departments"):
        course_ids = selectors.curriculum_course_ids(curriculum=item)
        if not course_ids:
            continue
        audience = selectors.staff_in_curriculum_audience(
            curriculum=item, organisation=organisation, today=today
        )
        if staff_ids is not None:
            audience = audience.filter(pk__in=staff_ids)
        people = list(audience.values_list("pk", "user_id"))
        if not people:
            continue
        cycle = cycle_for(curriculum=item, today=today)
        due_on = today + timedelta(days=item.due_days)
        existing = set(
            Enrolment.objects.filter(
                course_id__in=course_ids,
                cycle=cycle,
                user_id__in=[user_id for _, user_id in people],
            ).values_list("user_id", "course_id")
        )
        new = [
            Enrolment(
                user_id=user_id,
                staff_id=staff_id,
                course_id=course_id,
                cycle=cycle,
                source=Enrolment.Source.CURRICULUM,
                curriculum=item,
                assigned_at=now,
                due_on=due_on,
            )
            for staff_id, user_id in people
            for course_id in course_ids
            if (user_id, course_id) not in existing
        ]
        if not new:
            continue
        with transaction.atomic():
            # A concurrent run may have inserted some: the unique constraint keeps one each.
            Enrolment.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
            audit_record(
                action="curriculum.assign",
                target=item,
                organisation=organisation,
                data={"enrolments": len(new), "cycle": cycle},
            )
        created += len(new)
    return created


def assignment_run_for_curriculum(*, curriculum: Curriculum, today: date | None = None) -> int:
    """After a curriculum is created or edited: assign it wherever it applies."""
    owner = curriculum.owner_organisation
    organisations = [owner] if owner is not None else list(enterprises().filter(is_active=True))
    return sum(
        assignment_run(organisation=org, curriculum=curriculum, today=today)
        for org in organisations
        if org.is_active
    )


def assignment_run_all(*, today: date | None = None) -> int:
    """The nightly run: every active enterprise (new hires age out, yearly cycles open)."""
    return sum(
        assignment_run(organisation=org, today=today)
        for org in enterprises().filter(is_active=True)
    )


def _require_manager(*, actor, staff: "Staff") -> None:
    """The person is on the actor's roster and ranks below them (never the actor themself)."""
    from lms.organisations.selectors import staff_changeable_by, staff_manageable_by

    if not staff_manageable_by(actor).filter(pk=staff.pk).exists():
        raise PermissionDenied
    if not staff_changeable_by(actor).filter(pk=staff.pk).exists():
        raise ValidationError(
            _(
                "You cannot assign or waive courses for yourself or for someone who ranks at or "
                "above you: someone who ranks above them does that."
            ),
            code="rank_outranked",
        )


@transaction.atomic
def enrolment_assign_manual(
    *, staff: "Staff", course: CoursePage, due_on: date | None, reason: str, actor
) -> Enrolment:
    """An administrator assigns a course to one person, with a reason."""
    _require_manager(actor=actor, staff=staff)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the assignment.")})
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": _("The due date cannot be in the past.")})
    if course.owner_organisation_id not in (None, staff.organisation_id):
        raise ValidationError({"course": _("This course belongs to another organisation.")})
    cycle = timezone.localdate().year
    if Enrolment.objects.filter(user_id=staff.user_id, course=course, cycle=cycle).exists():
        raise ValidationError(
            {"course": _("This person is already enrolled in this course this year.")}
        )
    enrolment = Enrolment(
        user_id=staff.user_id,
        staff=staff,
        course=course,
        cycle=cycle,
        source=Enrolment.Source.MANUAL,
        assigned_by=actor,
        reason=reason,
        due_on=due_on,
    )
    enrolment.full_clean()
    enrolment.save()
    audit_record(
        action="enrolment.assign",
        target=enrolment,
        actor=actor,
        organisation=staff.organisation,
        data={"course": course.title, "reason": reason, "due_on": str(due_on or "")},
    )
    return enrolment


@transaction.atomic
def enrolment_waive(*, enrolment: Enrolment, reason: str, actor) -> Enrolment:
    """Excuse a person from a course (e.g. already trained elsewhere), with a reason."""
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    _require_manager(actor=actor, staff=enrolment.staff)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the waiver.")})
    if enrolment.status == Enrolment.Status.COMPLETED:
        raise ValidationError(_("A completed course cannot be waived."))
    if enrolment.status == Enrolment.Status.WAIVED:
        raise ValidationError(_("This enrolment is already waived."))
    enrolment.status = Enrolment.Status.WAIVED
    enrolment.waived_at = timezone.now()
    enrolment.waived_by = actor
    enrolment.waiver_reason = reason
    enrolment.save(update_fields=["status", "waived_at", "waived_by", "waiver_reason"])
    audit_record(
        action="enrolment.waive",
        target=enrolment,
        actor=actor,
        organisation=enrolment.staff.organisation,
        data={"course": enrolment.course.title, "reason": reason},
    )
    return enrolment


def _enrol_in_courses(*, staff: "Staff", course_ids, actor, reason: str, due_on: date):
    """Enrol the person, for this year, in the named courses that are live, unarchived and open
    to their organisation and that they do not have this year yet. Returns the new enrolments."""
    from django.db.models import Q

    wanted = list(dict.fromkeys(course_ids))
    available = set(
        CoursePage.objects.live()
        .filter(pk__in=wanted, is_archived=False)
        .filter(Q(owner_organisation__isnull=True) | Q(owner_organisation_id=staff.organisation_id))
        .values_list("pk", flat=True)
    )
    cycle = timezone.localdate().year
    taken = set(
        Enrolment.objects.filter(
            user_id=staff.user_id, course_id__in=available, cycle=cycle
        ).values_list("course_id", flat=True)
    )
    new = [
        Enrolment(
            user_id=staff.user_id,
            staff=staff,
            course_id=course_id,
            cycle=cycle,
            source=Enrolment.Source.MANUAL,
            assigned_by=actor,
            reason=reason,
            due_on=due_on,
        )
        for course_id in wanted
        if course_id in available and course_id not in taken
    ]
    if new:
        Enrolment.objects.bulk_create(new, ignore_conflicts=True)
    return new


@transaction.atomic
def enrolment_assign_post_courses(
    *, staff: "Staff", course_ids, reason: str, due_on: date, actor=None
) -> list[Enrolment]:
    """The courses a post carries (its duty list's compliance domains): enrol the person who
    holds it, for this year, in those they do not have yet. With an actor, the person must be
    on their roster and rank below them; without one it is the platform, enrolling whoever moved
    into the post. Returns the new enrolments; running it again enrols nobody twice."""
    if actor is not None:
        _require_manager(actor=actor, staff=staff)
    new = _enrol_in_courses(
        staff=staff, course_ids=course_ids, actor=actor, reason=reason, due_on=due_on
    )
    if new:
        audit_record(
            action="enrolment.assign_post_courses",
            target=staff,
            actor=actor,
            organisation=staff.organisation,
            data={
                "courses": [e.course_id for e in new],
                "reason": reason,
                "due_on": due_on.isoformat(),
            },
        )
    return new


@transaction.atomic
def enrolment_assign_remedial(
    *,
    staff: "Staff",
    actor,
    reason: str,
    due_on: date,
    curriculum_id: int | None = None,
    course_ids=(),
) -> list[Enrolment]:
    """Remedial training (整改学习), e.g. after a confirmed violation: enrol the person in the
    courses of the named curriculum (one that applies to their organisation) and in the named
    courses, for this year, due on `due_on`. Courses that are not live, archived or another
    organisation's are skipped, and so are those the person already has this year: running it
    again enrols nobody twice. Returns the new enrolments."""
    _require_manager(actor=actor, staff=staff)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason for the assignment.")})
    wanted = list(course_ids)
    if curriculum_id:
        curriculum = (
            selectors.curricula_applying_to(organisation=staff.organisation)
            .filter(pk=curriculum_id)
            .first()
        )
        if curriculum is not None:
            wanted += selectors.curriculum_course_ids(curriculum=curriculum)
    new = _enrol_in_courses(
        staff=staff, course_ids=wanted, actor=actor, reason=reason, due_on=due_on
    )
    if not new:
        return []
    audit_record(
        action="enrolment.assign_remedial",
        target=staff,
        actor=actor,
        organisation=staff.organisation,
        data={
            "courses": [e.course_id for e in new],
            "reason": reason,
            "due_on": due_on.isoformat(),
        },
    )
    return new


def course_deletion_refusal(*, page_ids: list[int]) -> str | None:
    """Why these pages (a course or a subtree holding courses) may not be deleted, if so."""
    enrolled = selectors.courses_with_enrolments(page_ids=page_ids)
    if not enrolled:
        return None
    titles = "、".join(
        CoursePage.objects.filter(pk__in=enrolled).order_by("title").values_list("title", flat=True)
    )
    return _(
        "%(titles)s cannot be deleted: people are enrolled. Archive the course instead "
        "(tick “archived” and publish): it will no longer be assigned and its history is kept."
    ) % {"titles": titles}
