"""Reads for learning, scoped to what the caller may see."""

from datetime import date, timedelta

from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from content.models import Curriculum, LessonPage
from lms.organisations.access import access_for, ancestor_ids, department_subtree_ids
from lms.organisations.models import Department, Organisation, Staff
from lms.organisations.selectors import active_staff_q, group_readable, staff_active

from .models import Enrolment, LessonProgress, TrainingPlan

OPEN = (Enrolment.Status.ASSIGNED, Enrolment.Status.IN_PROGRESS)


def curricula_applying_to(*, organisation: Organisation) -> QuerySet[Curriculum]:
    """Active curricula for an enterprise's staff: its own, the platform-wide ones and those its
    groups apply to their subsidiaries."""
    if organisation.kind != Organisation.Kind.ENTERPRISE:
        return Curriculum.objects.none()
    return Curriculum.objects.filter(
        Q(owner_organisation=organisation)
        | Q(owner_organisation__isnull=True)
        | Q(apply_to_subsidiaries=True, owner_organisation_id__in=ancestor_ids([organisation.pk])),
        is_active=True,
    )


def platform_curricula() -> QuerySet[Curriculum]:
    """Active curricula that apply to every enterprise."""
    return Curriculum.objects.filter(owner_organisation__isnull=True, is_active=True)


def staff_in_curriculum_audience(
    *, curriculum: Curriculum, organisation: Organisation, today: date | None = None
) -> QuerySet[Staff]:
    """Active staff of the organisation matching any of the curriculum's audience criteria."""
    owner_id = curriculum.owner_organisation_id
    from_group = owner_id not in (None, organisation.pk)
    if from_group and not (
        curriculum.apply_to_subsidiaries and owner_id in ancestor_ids([organisation.pk])
    ):
        return Staff.objects.none()
    base = staff_active().filter(organisation=organisation)
    if curriculum.audience_everyone:
        return base
    q = Q(pk__in=[])
    if curriculum.audience_roles:
        q |= Q(position__compliance_role__in=curriculum.audience_roles)
    if curriculum.audience_key_positions:
        q |= Q(position__is_key=True)
    if curriculum.audience_high_risk_positions:
        q |= Q(position__is_high_risk=True)
    if curriculum.audience_management_positions:
        q |= Q(position__is_management=True)
    department_ids = [d.pk for d in curriculum.audience_departments.all()]
    if from_group and department_ids:
        # the group's departments reach the subsidiary's departments of the same name
        names = [d.name for d in curriculum.audience_departments.all()]
        department_ids = list(
            Department.objects.filter(organisation=organisation, name__in=names).values_list(
                "pk", flat=True
            )
        )
    if department_ids:
        q |= Q(department_id__in=department_subtree_ids(department_ids))
    if curriculum.audience_new_hire_days:
        today = today or timezone.localdate()
        q |= Q(
            hire_date__gte=today - timedelta(days=curriculum.audience_new_hire_days),
            hire_date__lte=today,
        )
    return base.filter(q)


def curriculum_course_ids(*, curriculum: Curriculum) -> list[int]:
    """The curriculum's live, unarchived courses, in order."""
    return list(
        curriculum.curriculum_courses.filter(course__live=True, course__is_archived=False)
        .order_by("sort_order", "pk")
        .values_list("course_id", flat=True)
    )


def _lesson_counts(queryset: QuerySet[Enrolment]) -> QuerySet[Enrolment]:
    """Annotate lessons_total and lessons_done with two subqueries: a constant query count."""
    total = (
        LessonPage.objects.live()
        .filter(path__startswith=OuterRef("course__path"), depth=OuterRef("course__depth") + 1)
        .order_by()
        .values("depth")
        .annotate(n=Count("pk"))
        .values("n")
    )
    done = (
        LessonProgress.objects.filter(enrolment=OuterRef("pk"), lesson__live=True)
        .order_by()
        .values("enrolment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return queryset.annotate(
        lessons_total=Coalesce(Subquery(total, output_field=IntegerField()), Value(0)),
        lessons_done=Coalesce(Subquery(done, output_field=IntegerField()), Value(0)),
    )


def enrolments_of(*, user, today: date | None = None) -> QuerySet[Enrolment]:
    """A person's own enrolments: overdue first, then open by due date, then finished."""
    today = today or timezone.localdate()
    qs = Enrolment.objects.filter(user=user).select_related("course", "curriculum")
    qs = qs.annotate(
        rank=Case(
            When(status__in=OPEN, due_on__lt=today, then=Value(0)),
            When(status__in=OPEN, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
    )
    return _lesson_counts(qs).order_by(  # type: ignore[misc]  # "rank" is annotated above
        "rank", F("due_on").asc(nulls_last=True), "-cycle", "pk"
    )


def enrolment_current(*, user, course_page_id: int) -> Enrolment | None:
    """The enrolment a person is working on for a course: the latest open one, else the latest."""
    return (
        Enrolment.objects.filter(user=user, course_id=course_page_id)
        .annotate(
            open_first=Case(When(status__in=OPEN, then=Value(0)), default=Value(1)),
        )
        .order_by("open_first", "-cycle", "-pk")
        .first()
    )


def lessons_done_ids(*, enrolment: Enrolment | None) -> set[int]:
    if enrolment is None:
        return set()
    return set(enrolment.lessons.values_list("lesson_id", flat=True))


def enrolments_manageable_by(user) -> QuerySet[Enrolment]:
    """Enrolments of the people on the rosters a user administers."""
    access = access_for(user)
    qs = Enrolment.objects.select_related(
        "user", "course", "staff__organisation", "staff__department", "staff__position"
    )
    if access.is_platform_admin:
        return qs
    return qs.filter(
        Q(staff__organisation_id__in=access.admin_org_ids)
        | Q(staff__department_id__in=access.admin_department_ids)
    )


def overdue_count_for_admin(user) -> int:
    """Overdue mandatory courses of active people on the rosters the user administers."""
    return (
        enrolments_manageable_by(user)
        .filter(active_staff_q("staff__"), status__in=OPEN, due_on__lt=timezone.localdate())
        .count()
    )


def dashboard_organisations_for(user) -> QuerySet[Organisation]:
    access = access_for(user)
    qs = Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE)
    if access.is_platform_admin:
        return qs
    dept_orgs = Staff.objects.filter(department_id__in=access.admin_department_ids).values(
        "organisation_id"
    )
    return qs.filter(Q(pk__in=access.admin_org_ids) | Q(pk__in=dept_orgs))


def _dashboard_enrolments(*, user, organisation: Organisation) -> QuerySet[Enrolment]:
    return enrolments_manageable_by(user).filter(
        active_staff_q("staff__"), staff__organisation=organisation
    )


def _rate_rows(qs: QuerySet[Enrolment], field: str, today: date) -> list[dict]:
    rows = (
        qs.exclude(status=Enrolment.Status.WAIVED)
        .values(name=F(field))
        .annotate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(status=Enrolment.Status.COMPLETED)),
            overdue=Count("pk", filter=Q(status__in=OPEN, due_on__lt=today)),
        )
        .order_by("name")
    )
    return [
        {**row, "rate": round(100 * row["completed"] / row["total"]) if row["total"] else 0}
        for row in rows
    ]


def completion_by_department(*, user, organisation, today: date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    qs = _dashboard_enrolments(user=user, organisation=organisation)
    return _rate_rows(qs, "staff__department__name", today)


def completion_by_position(*, user, organisation, today: date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    qs = _dashboard_enrolments(user=user, organisation=organisation)
    return _rate_rows(qs, "staff__position__name", today)


def overdue_enrolments(*, user, organisation, today: date | None = None) -> QuerySet[Enrolment]:
    today = today or timezone.localdate()
    return (
        _dashboard_enrolments(user=user, organisation=organisation)
        .filter(status__in=OPEN, due_on__lt=today)
        .order_by("due_on", "staff__department__name", "user__full_name")
    )


def recent_completions(*, user, organisation, limit: int = 20) -> QuerySet[Enrolment]:
    return (
        _dashboard_enrolments(user=user, organisation=organisation)
        .filter(status=Enrolment.Status.COMPLETED)
        .order_by("-completed_at")[:limit]
    )


def training_plans_of(*, user, organisation) -> QuerySet[TrainingPlan]:
    if not dashboard_organisations_for(user).filter(pk=organisation.pk).exists():
        return TrainingPlan.objects.none()
    return TrainingPlan.objects.filter(organisation=organisation).prefetch_related(
        "items__curriculum"
    )


def training_plans_manageable_by(user) -> QuerySet[TrainingPlan]:
    access = access_for(user)
    qs = TrainingPlan.objects.select_related("organisation")
    return qs if access.is_platform_admin else qs.filter(organisation_id__in=access.admin_org_ids)


def plan_progress(*, plan: TrainingPlan, today: date | None = None) -> list[dict]:
    """Each plan item with the completion of its curriculum's enrolments in the plan's year."""
    today = today or timezone.localdate()
    items = list(plan.items.select_related("curriculum").order_by("sort_order"))
    counts = {
        row["curriculum_id"]: row
        for row in Enrolment.objects.filter(
            staff__organisation_id=plan.organisation_id,
            curriculum_id__in=[i.curriculum_id for i in items],
            assigned_at__year=plan.year,
        )
        .exclude(status=Enrolment.Status.WAIVED)
        .values("curriculum_id")
        .annotate(
            total=Count("pk"), completed=Count("pk", filter=Q(status=Enrolment.Status.COMPLETED))
        )
    }
    rows = []
    for item in items:
        row = counts.get(item.curriculum_id, {"total": 0, "completed": 0})
        rate = round(100 * row["completed"] / row["total"]) if row["total"] else 0
        rows.append(
            {
                "item": item,
                "total": row["total"],
                "completed": row["completed"],
                "rate": rate,
                "on_track": rate >= item.target_rate,
                "past_target": item.target_date < today,
            }
        )
    return rows


def courses_with_enrolments(*, page_ids) -> set[int]:
    return set(Enrolment.objects.filter(course_id__in=page_ids).values_list("course_id", flat=True))


def escalation_recipients(*, staff: Staff) -> list:
    """The compliance administrators who answer for a person: of their department, else org."""
    from lms.organisations.models import ComplianceRole, Department

    active = staff_active().filter(organisation_id=staff.organisation_id).select_related("user")
    if staff.department_id:
        ancestors, node = [], Department.objects.filter(pk=staff.department_id).first()
        while node is not None and node.pk not in ancestors:
            ancestors.append(node.pk)
            node = node.parent
        for department_id in ancestors:
            found = [
                s.user
                for s in active.filter(
                    department_id=department_id,
                    position__compliance_role=ComplianceRole.ADMIN_PART_TIME,
                ).exclude(pk=staff.pk)
            ]
            if found:
                return found
    for role in (ComplianceRole.ADMIN_FULL_TIME, ComplianceRole.COMPLIANCE_HEAD):
        found = [s.user for s in active.filter(position__compliance_role=role).exclude(pk=staff.pk)]
        if found:
            return found
    return []


def enrolments_completed_assigned() -> QuerySet[Enrolment]:
    """Completed enrolments someone was assigned (a curriculum or an administrator, not a
    self-enrolment), for the records backfill."""
    return (
        Enrolment.objects.filter(status=Enrolment.Status.COMPLETED)
        .exclude(source=Enrolment.Source.SELF)
        .select_related("staff__department", "course")
        .order_by("pk")
    )


def enrolments_overdue_assigned(*, organisation_id: int, due_from: date, due_before: date):
    """Assigned enrolments (not self-enrolments) of the organisation's people, due in
    [due_from, due_before) and still neither completed nor waived: a mandatory course overdue,
    for the records year end."""
    return (
        Enrolment.objects.filter(
            staff__organisation_id=organisation_id,
            status__in=[Enrolment.Status.ASSIGNED, Enrolment.Status.IN_PROGRESS],
            due_on__gte=due_from,
            due_on__lt=due_before,
        )
        .exclude(source=Enrolment.Source.SELF)
        .select_related("staff__department", "course")
        .order_by("pk")
    )


def enrolments_of_organisation(*, organisation_id: int) -> QuerySet[Enrolment]:
    """The organisation's enrolments, for its HR system (lms.integrations). `changed_at`: the
    latest of assignment, completion and waiver (enrolments keep no other change time: a
    course started or gone overdue does not move it)."""
    return (
        Enrolment.objects.filter(staff__organisation_id=organisation_id)
        .annotate(
            changed_at=Greatest(
                "assigned_at",
                Coalesce("completed_at", "assigned_at"),
                Coalesce("waived_at", "assigned_at"),
            ),
            employee_number=F("staff__employee_number"),
            person_email=F("user__email"),
            course_title=F("course__title"),
        )
        .order_by("pk")
    )


# --- an organisation's figures for a period: aggregates only, for a caller that has checked the
# reader may see the organisation (the quarterly dispatch report)


def mandatory_training_figures(
    *, organisation_id: int, start: date, end: date, today: date
) -> dict:
    """Mandatory courses (assigned by a curriculum or an administrator, not self-enrolled;
    waived ones left out) of the organisation's people: assigned in [start, end], completed in
    [start, end], and overdue: due by the period's end (or today, if earlier) and still open."""
    mandatory = Enrolment.objects.filter(staff__organisation_id=organisation_id).exclude(
        Q(source=Enrolment.Source.SELF) | Q(status=Enrolment.Status.WAIVED)
    )
    overdue_before = min(end + timedelta(days=1), today)
    return mandatory.aggregate(
        assigned=Count("pk", filter=Q(assigned_at__date__range=(start, end))),
        completed=Count(
            "pk",
            filter=Q(status=Enrolment.Status.COMPLETED, completed_at__date__range=(start, end)),
        ),
        overdue=Count("pk", filter=Q(status__in=OPEN, due_on__lt=overdue_before)),
    )


def enrolments_of_staff(*, staff_ids) -> QuerySet[Enrolment]:
    """The enrolments of these memberships (the compliance file: the caller checked who may
    read), oldest first, with their courses."""
    return (
        Enrolment.objects.filter(staff_id__in=staff_ids)
        .select_related("course")
        .order_by("staff_id", "assigned_at", "pk")
    )


def training_by_organisation(
    *, organisation_ids, year: int, today: date | None = None
) -> dict[int, dict[str, int]]:
    """Per organisation, the mandatory training of the year (assigned, not self-enrolled, not
    waived, due in `year`) of its active people: how many, completed, overdue. One GROUP BY
    query; counts only."""
    today = today or timezone.localdate()
    rows = (
        Enrolment.objects.filter(
            active_staff_q("staff__"),
            staff__organisation_id__in=organisation_ids,
            due_on__year=year,
        )
        .exclude(source=Enrolment.Source.SELF)
        .exclude(status=Enrolment.Status.WAIVED)
        .values("staff__organisation_id")
        .annotate(
            total=Count("pk"),
            completed=Count("pk", filter=Q(status=Enrolment.Status.COMPLETED)),
            overdue=Count("pk", filter=Q(status__in=OPEN, due_on__lt=today)),
        )
    )
    return {
        row["staff__organisation_id"]: {
            "total": row["total"],
            "completed": row["completed"],
            "overdue": row["overdue"],
        }
        for row in rows
    }


def group_completion_by_department(*, user, organisation_id: int, today: date | None = None):
    """A subsidiary's completion by department, for its group's read-only roll-up (None: not
    the user's to read). Figures only, no names."""
    if not group_readable(user, organisation_id=organisation_id):
        return None
    today = today or timezone.localdate()
    qs = Enrolment.objects.filter(active_staff_q("staff__"), staff__organisation_id=organisation_id)
    return _rate_rows(qs, "staff__department__name", today)
