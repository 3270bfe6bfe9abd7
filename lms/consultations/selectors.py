"""Reads of consultations, FAQ and reports, scoped through organisations' access rules.

A question is read by whoever asked it and by who may answer it: the organisation's compliance
department (full-time administrators, the head, the CCO) and the part-time administrators of
the asker's department or one above it. A report is read only by the organisation's compliance
head and CCO: not a full-time administrator, not a platform administrator."""

from datetime import date

from django.conf import settings
from django.db.models import Q, QuerySet

from lms.organisations.access import (
    DEPARTMENT_ADMIN_ROLES,
    access_for,
    is_enterprise_member,
)
from lms.organisations.selectors import compliance_heads_of, memberships_of, staff_active

from .models import (
    DEFAULT_REMINDER_WORKING_DAYS,
    ConsultationSettings,
    FaqEntry,
    Question,
    QuestionAttachment,
    Report,
    ReportAttachment,
)


def asking_memberships_of(user) -> list:
    """The user's active memberships in enterprises, where they may ask and report."""
    if not user or not user.is_authenticated:
        return []
    access = access_for(user)
    return [
        m
        for m in memberships_of(user).filter(organisation__kind="enterprise")
        if m.organisation_id in access.member_org_ids
    ]


def may_consult(user) -> bool:
    return is_enterprise_member(user)


def _answerable_q(access) -> Q:
    return (
        Q(organisation_id__in=access.admin_org_ids)
        | Q(department_id__in=access.admin_department_ids)
    ) & ~Q(asker__user_id=access.user_id)


def questions_visible_to(user) -> QuerySet[Question]:
    access = access_for(user)
    qs = Question.objects.select_related(
        "asker__user", "department", "routed_to__user", "answered_by", "lesson", "course"
    )
    if access.user_id is None:
        return qs.none()
    return qs.filter(Q(asker__user_id=access.user_id) | _answerable_q(access))


def questions_asked_by(user) -> QuerySet[Question]:
    access = access_for(user)
    if access.user_id is None:
        return Question.objects.none()
    return questions_visible_to(user).filter(asker__user_id=access.user_id)


def questions_answerable_by(user) -> QuerySet[Question]:
    access = access_for(user)
    if access.user_id is None:
        return Question.objects.none()
    return questions_visible_to(user).filter(_answerable_q(access))


def may_answer(user) -> bool:
    access = access_for(user)
    return bool(access.admin_org_ids or access.admin_department_ids)


def open_questions_count(user) -> int:
    if not may_answer(user):
        return 0
    return questions_answerable_by(user).filter(status=Question.Status.OPEN).count()


def question_attachment_visible_to(user, *, question_id: int, attachment_id: int):
    question = questions_visible_to(user).filter(pk=question_id).first()
    if question is None:
        return None
    return QuestionAttachment.objects.filter(question=question, pk=attachment_id).first()


def part_time_admin_for(*, organisation_id: int, department, exclude_user_id: int | None):
    """The part-time administrator who answers for a department: the nearest one walking up the
    department tree from it (None: the compliance department answers)."""
    seen: set[int] = set()
    while department is not None and department.pk not in seen:
        seen.add(department.pk)
        found = (
            staff_active()
            .filter(
                organisation_id=organisation_id,
                department_id=department.pk,
                position__compliance_role__in=DEPARTMENT_ADMIN_ROLES,
            )
            .exclude(user_id=exclude_user_id or 0)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        if found is not None:
            return found
        department = department.parent
    return None


def compliance_department_of(*, organisation_id: int, exclude_user_id: int | None) -> list:
    """Who answers when no part-time administrator does: the full-time administrators, else
    the compliance head and CCO."""
    full_time = [
        s.user
        for s in staff_active()
        .filter(organisation_id=organisation_id, position__compliance_role="admin_full")
        .exclude(user_id=exclude_user_id or 0)
        .select_related("user")
        .order_by("pk")
    ]
    if full_time:
        return full_time
    return [
        u for u in compliance_heads_of(organisation_id=organisation_id) if u.pk != exclude_user_id
    ]


def answerers_of(question: Question) -> list:
    if question.routed_to is not None:
        return [question.routed_to.user]
    return compliance_department_of(
        organisation_id=question.organisation_id, exclude_user_id=question.asker.user_id
    )


def reminder_working_days(organisation_id: int) -> int:
    kept = (
        ConsultationSettings.objects.filter(organisation_id=organisation_id)
        .values_list("reminder_working_days", flat=True)
        .first()
    )
    if kept:
        return kept
    return int(
        getattr(settings, "CONSULTATION_REMINDER_WORKING_DAYS", DEFAULT_REMINDER_WORKING_DAYS)
    )


def holidays() -> tuple[frozenset[date], frozenset[date]]:
    """The public holidays and the make-up working days (调休) the settings list."""
    return (
        frozenset(date.fromisoformat(d) for d in getattr(settings, "CONSULTATION_HOLIDAYS", ())),
        frozenset(
            date.fromisoformat(d) for d in getattr(settings, "CONSULTATION_EXTRA_WORKDAYS", ())
        ),
    )


def open_questions_all() -> QuerySet[Question]:
    """Every unanswered question, for the reminder task."""
    return Question.objects.filter(status=Question.Status.OPEN).select_related(
        "asker__user", "routed_to__user", "organisation"
    )


# --- FAQ ---------------------------------------------------------------------------------------


def faq_visible_to(user) -> QuerySet[FaqEntry]:
    access = access_for(user)
    return (
        FaqEntry.objects.filter(organisation_id__in=access.member_org_ids)
        .select_related("course")
        .prefetch_related("clauses__page")
    )


def faq_search(user, *, query: str) -> QuerySet[FaqEntry]:
    qs = faq_visible_to(user)
    for term in [t for t in (query or "").split() if t][:5]:
        qs = qs.filter(
            Q(question__icontains=term)
            | Q(answer__icontains=term)
            | Q(course__title__icontains=term)
        )
    return qs


def faq_for_course(user, *, course_id: int) -> list[FaqEntry]:
    return list(faq_visible_to(user).filter(course_id=course_id)[:20])


def settings_organisations_for(user):
    """The organisations whose consultation settings and FAQ the user manages (those they are
    compliance head or CCO of)."""
    access = access_for(user)
    return [
        m.organisation
        for m in asking_memberships_of(user)
        if m.organisation_id in access.head_org_ids
    ]


# --- reports -----------------------------------------------------------------------------------


def reports_visible_to(user) -> QuerySet[Report]:
    """Only the organisation's compliance head and CCO; nobody else, a platform administrator
    included."""
    access = access_for(user)
    if access.user_id is None:
        return Report.objects.none()
    return Report.objects.filter(organisation_id__in=access.head_org_ids).select_related(
        "organisation", "reporter", "violation"
    )


def may_read_reports(user) -> bool:
    return bool(access_for(user).head_org_ids)


def new_reports_count(user) -> int:
    if not may_read_reports(user):
        return 0
    return reports_visible_to(user).filter(status=Report.Status.RECEIVED).count()


def report_attachment_visible_to(user, *, report_id: int, attachment_id: int):
    report = reports_visible_to(user).filter(pk=report_id).first()
    if report is None:
        return None
    return ReportAttachment.objects.filter(report=report, pk=attachment_id).first()
