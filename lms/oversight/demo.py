"""Demo oversight: 城投集团's self-inspection report on last year submitted in time (20
January), 城投置业's not submitted and now late (its compliance head told so), and the
figures of the SASAC's enterprises stored for this year and last; the SASAC's officer has set
20 January next year as the due date of the reports on this year. Safe to run again."""

from datetime import date, datetime, time

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lms.organisations.models import Organisation, Staff

from . import deadlines, report, selectors, services
from .models import SelfInspection


def seed(*, stdout=None) -> None:
    today = timezone.localdate()
    year = deadlines.latest_due_year(today)
    group = Organisation.objects.filter(short_name="城投集团").first()
    head = Staff.objects.filter(user__email="head@chengtou.demo").select_related("user").first()
    if group is None or head is None:
        return
    if not SelfInspection.objects.filter(organisation=group, year=year).exists():
        figures = selectors.figures_compute(organisation_ids=[group.pk], year=year, today=today)
        data = report.self_inspection_draft(
            organisation_name=group.name,
            year=year,
            due=deadlines.default_due_on(year),
            figures=figures[group.pk],
            dispatch=None,
        )
        upload = SimpleUploadedFile(
            f"城投集团{year}年度合规管理工作自查报告.docx",
            data,
            content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        )
        submitted = services.self_inspection_submit(
            actor=head.user,
            organisation_id=group.pk,
            year=year,
            upload=upload,
            today=deadlines.default_due_on(year),
        )
        on_time = timezone.make_aware(
            datetime.combine(deadlines.default_due_on(year).replace(day=20), time(10, 0))
        )
        SelfInspection.objects.filter(pk=submitted.pk).update(
            first_submitted_at=on_time, submitted_at=on_time
        )
    officer = Staff.objects.filter(user__email="officer@sasac.demo").select_related("user").first()
    if officer is not None and not selectors.due_dates_set(
        year=today.year, regulator_ids=[officer.organisation_id]
    ):
        services.self_inspection_due_set(
            actor=officer.user,
            regulator_id=officer.organisation_id,
            year=today.year,
            due_on=date(today.year + 1, 1, 20),
        )
    services.self_inspections_flag_late(today=today)
    enterprise_ids = [
        group.pk,
        *Organisation.objects.filter(parent=group).values_list("pk", flat=True),
    ]
    for figures_year in {today.year, year}:
        services.figures_refresh(year=figures_year, organisation_ids=enterprise_ids)
    if stdout:
        stdout.write(f"  oversight: self-inspection {year} submitted at 城投集团, late at 城投置业")
