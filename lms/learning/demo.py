"""Demo curricula, assignments, a training plan per enterprise and people part-way through.

Safe to run again: curricula are found by name; progress is only added where none exists.
"""

from datetime import timedelta

from django.utils import timezone

from content.models import CoursePage, Curriculum, CurriculumCourse
from lms.organisations.models import ComplianceRole, Organisation

from . import services
from .models import Enrolment, LessonProgress, TrainingPlan, TrainingPlanItem

R = ComplianceRole
CURRICULA = [
    {
        "name": "新员工合规必修",
        "description": "入职 90 天内的新员工必修。",
        "courses": ["new-hire-compliance"],
        "fields": {"audience_new_hire_days": 90, "due_days": 30},
    },
    {
        "name": "合规管理员能力提升（年度）",
        "description": "专职、兼职合规管理员每年必修。",
        "courses": ["online-platform-compliance-duty", "soe-compliance-three-lines"],
        "fields": {
            "audience_roles": [R.ADMIN_FULL_TIME, R.ADMIN_PART_TIME],
            "due_days": 60,
            "refresh": Curriculum.Refresh.YEARLY,
        },
    },
    {
        "name": "合规负责人年度必修",
        "description": "主要负责人、首席合规官、合规负责人每年必修。",
        "courses": ["soe-compliance-three-lines", "online-platform-compliance-duty"],
        "fields": {
            "audience_roles": [R.PRINCIPAL, R.CHIEF_COMPLIANCE_OFFICER, R.COMPLIANCE_HEAD],
            "due_days": 45,
            "refresh": Curriculum.Refresh.YEARLY,
        },
    },
    {
        "name": "重点岗位合规培训（年度）",
        "description": "关键岗位、高风险岗位人员每年必修。",
        "courses": ["key-position-duty-list"],
        "fields": {
            "audience_key_positions": True,
            "audience_high_risk_positions": True,
            "due_days": 45,
            "refresh": Curriculum.Refresh.YEARLY,
        },
    },
]

# (login, how many lessons done in each of their courses: None = all, n = first n; overdue?)
PROGRESS = [
    ("staff1@yunji.demo", 2, False),
    ("staff2@yunji.demo", None, False),
    ("staff3@yunji.demo", 0, True),
    ("admin@yunji.demo", 1, False),
    ("buyer@yunji.demo", 0, True),
    ("head@yunji.demo", None, False),
    ("staff1@xianda.demo", 1, True),
    ("admin@xianda.demo", None, False),
    ("staff1@chengtou.demo", None, False),
    ("staff2@chengtou.demo", 1, False),
    ("buyer@chengtou.demo", 0, True),
]


def seed(*, stdout=None) -> None:
    courses = {c.slug: c for c in CoursePage.objects.all()}
    curricula = []
    for spec in CURRICULA:
        curriculum = Curriculum.objects.filter(name=spec["name"]).first()
        if curriculum is None:
            curriculum = Curriculum(
                name=spec["name"], description=spec["description"], **spec["fields"]
            )
            curriculum.full_clean()
            curriculum.save()
            for order, slug in enumerate(spec["courses"]):
                if slug in courses:
                    CurriculumCourse.objects.create(
                        curriculum=curriculum, course=courses[slug], sort_order=order
                    )
        curricula.append(curriculum)
    created = services.assignment_run_all()
    today = timezone.localdate()
    for org in Organisation.objects.filter(kind=Organisation.Kind.ENTERPRISE):
        plan, made = TrainingPlan.objects.get_or_create(
            organisation=org,
            year=today.year,
            defaults={"title": f"{org.short_name or org.name}{today.year}年度合规培训计划"},
        )
        if made:
            for order, curriculum in enumerate(curricula):
                TrainingPlanItem.objects.create(
                    plan=plan,
                    curriculum=curriculum,
                    target_date=today + timedelta(days=60 + 30 * order),
                    target_rate=100 if order == 0 else 90,
                    sort_order=order,
                )
    _progress(today)
    notices = _notices()
    if stdout is not None:
        stdout.write(f"  {len(curricula)} curricula, {created} new enrolments, {notices} notices")


def _notices() -> int:
    """The notices beat would send (new courses, reminders), so 通知 has something to show.
    Their e-mails go to a throw-away outbox, not the console `make run` prints to."""
    from django.test.utils import override_settings

    with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
        return services.assignment_notices_send() + services.reminders_send()


def _progress(today) -> None:
    from django.contrib.auth import get_user_model

    users = {
        u.email: u for u in get_user_model().objects.filter(email__in=[p[0] for p in PROGRESS])
    }
    for login, lessons_done, overdue in PROGRESS:
        user = users.get(login)
        if user is None:
            continue
        for enrolment in Enrolment.objects.filter(user=user).select_related("course"):
            if overdue and enrolment.is_open:
                Enrolment.objects.filter(pk=enrolment.pk).update(
                    due_on=today - timedelta(days=9),
                    assigned_at=timezone.now() - timedelta(days=40),
                )
            if enrolment.lessons.exists() or lessons_done == 0:
                continue
            lessons = list(enrolment.course.lessons())
            chosen = lessons if lessons_done is None else lessons[:lessons_done]
            LessonProgress.objects.bulk_create(
                [
                    LessonProgress(enrolment=enrolment, lesson=lesson, seconds_on_page=120)
                    for lesson in chosen
                ]
            )
            Enrolment.objects.filter(pk=enrolment.pk, status=Enrolment.Status.ASSIGNED).update(
                status=Enrolment.Status.IN_PROGRESS
            )
            services.enrolment_refresh_completion(user=user, course_page_id=enrolment.course_id)
