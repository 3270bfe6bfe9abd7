"""Changes of state for oversight: the stored yearly figures, a regulator confirming an
enterprise's risk grade, an enterprise submitting its self-inspection report, and the notices
of a late one. Each change a person makes is audited."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.attachments import attachment_problems
from lms.audit.services import audit_record
from lms.notifications.services import notification_send
from lms.organisations.access import access_for
from lms.organisations.selectors import (
    compliance_heads_of,
    enterprises,
    memberships_of,
    organisations_visible_to,
)
from lms.organisations.services import organisation_save
from lms.refusals import Refused

from . import deadlines, notices, selectors
from .models import EnterpriseFigures, SelfInspection, SelfInspectionDue

SELF_INSPECTION_TYPES = ("pdf", "docx", "doc")


class OversightRefused(Refused):
    status = 403


class NotFound(Refused):
    status = 404


@transaction.atomic
def figures_refresh(*, year: int, organisation_ids=None, today: date | None = None) -> int:
    """Compute and store the figures of `year` for these enterprises (None: every active
    enterprise), replacing what was stored. Returns how many were stored."""
    if organisation_ids is None:
        organisation_ids = enterprises().filter(is_active=True).values_list("pk", flat=True)
    computed = selectors.figures_compute(organisation_ids=organisation_ids, year=year, today=today)
    now = timezone.now()
    EnterpriseFigures.objects.bulk_create(
        [
            EnterpriseFigures(organisation_id=pk, year=year, figures=figures, computed_at=now)
            for pk, figures in computed.items()
        ],
        update_conflicts=True,
        unique_fields=["year", "organisation"],
        update_fields=["figures", "computed_at"],
        batch_size=1000,
    )
    return len(computed)


def figures_fill_missing(*, user, year: int) -> int:
    """Store the figures of the enterprises the user oversees that have none for `year` yet
    (a new enterprise, a year not yet refreshed by the hourly task)."""
    ids = set(selectors.enterprises_overseen_by(user).values_list("pk", flat=True))
    stored = set(
        EnterpriseFigures.objects.filter(year=year, organisation_id__in=ids).values_list(
            "organisation_id", flat=True
        )
    )
    missing = sorted(ids - stored)
    return figures_refresh(year=year, organisation_ids=missing) if missing else 0


@transaction.atomic
def risk_grade_confirm(*, actor, organisation_id: int, grade: str, year: int, reason: str = ""):
    """A regulator officer sets (confirms or changes) an enterprise's risk grade in the light of
    its figures: the grade weights the spot-check draw. Saved by the organisations service
    (validated and audited there) and audited here with the suggestion it answered."""
    if not selectors.may_confirm_grades(actor):
        raise OversightRefused(_("Only a regulator officer confirms risk grades."))
    organisation = selectors.enterprise_overseen_by(actor, organisation_id=organisation_id)
    if grade not in dict(selectors.risk_grade_choices()):
        raise ValidationError({"grade": _("Choose a risk grade.")})
    row = selectors.oversight_enterprise(actor, organisation_id=organisation_id, year=year)
    before = organisation.risk_grade
    organisation.risk_grade = grade
    if grade != before:
        organisation_save(organisation=organisation, actor=actor)
    audit_record(
        action="oversight.risk_grade_confirm",
        target=organisation,
        actor=actor,
        organisation=organisation,
        data={
            "before": before,
            "after": grade,
            "suggested": row.suggestion.grade,
            "year": year,
            "reason": reason.strip(),
        },
    )
    return organisation


def _submitter_role(actor, organisation_id: int) -> str:
    membership = (
        memberships_of(actor)
        .filter(organisation_id=organisation_id, position__isnull=False)
        .values_list("position__compliance_role", flat=True)
        .first()
    )
    return membership or ""


@transaction.atomic
def self_inspection_submit(
    *, actor, organisation_id: int, year: int, upload, today: date | None = None
) -> SelfInspection:
    """The enterprise's compliance head (or CCO) submits the year's self-inspection report, a
    PDF or Word file, to its regulators. Submitting again replaces the file (the regulator sees
    the latest; the first submission's time decides lateness); both are audited."""
    if organisation_id not in access_for(actor).head_org_ids:
        raise NotFound(_("No such enterprise among those you answer for."))
    today = today or timezone.localdate()
    if year not in selectors.self_inspection_years(today):
        raise ValidationError({"year": _("Choose one of the years offered.")})
    if upload is None:
        raise ValidationError({"file": _("Choose the report's file (PDF or Word).")})
    extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
    problems = attachment_problems([upload])
    if not problems and extension not in SELF_INSPECTION_TYPES:
        problems = [
            _("%(name)s is not a PDF or Word file.") % {"name": upload.name},
        ]
    if problems:
        raise ValidationError({"file": problems})
    now = timezone.now()
    report = (
        SelfInspection.objects.select_for_update()
        .filter(organisation_id=organisation_id, year=year)
        .first()
    )
    replaced = None
    if report is None:
        report = SelfInspection(
            organisation_id=organisation_id, year=year, first_submitted_at=now, replaced_count=0
        )
    else:
        replaced = {"name": report.name, "submitted_at": report.submitted_at.isoformat()}
        report.file.delete(save=False)
        report.replaced_count += 1
    upload.seek(0)
    report.file = upload
    report.name = upload.name[:255]
    report.size = upload.size
    report.submitted_by = actor
    report.submitted_by_role = _submitter_role(actor, organisation_id)
    report.submitted_at = now
    report.full_clean()
    report.save()
    audit_record(
        action="oversight.self_inspection_submit",
        target=report,
        actor=actor,
        organisation=report.organisation,
        data={
            "year": year,
            "file": report.name,
            "size": report.size,
            "late": deadlines.is_late(
                due=selectors.due_dates(organisation_ids=[organisation_id], year=year)[
                    organisation_id
                ],
                today=today,
                submitted_on=timezone.localtime(report.first_submitted_at).date(),
            ),
            "replaces": replaced,
        },
    )
    return report


def self_inspections_flag_late(*, today: date | None = None) -> int:
    """Tell the compliance heads of every regulated enterprise whose report on this year or
    last is past its due date (its regulators', `selectors.due_dates`) and not submitted. Each
    person is told once per enterprise and year (the notice's key), so the daily task can run
    again safely. Returns how many notices were sent."""
    today = today or timezone.localdate()
    sent = 0
    for year in (today.year - 1, today.year):
        late = list(selectors.enterprises_late_with_self_inspection(year=year).order_by("pk"))
        dues = selectors.due_dates(organisation_ids=[o.pk for o in late], year=year)
        for organisation in late:
            due = dues[organisation.pk]
            if not today > due:
                continue
            params = {"organisation": organisation.name, "year": year, "due": due.isoformat()}
            for user in compliance_heads_of(organisation_id=organisation.pk):
                notice = notification_send(
                    user=user,
                    key=f"oversight:self-inspection-late:{organisation.pk}:{year}:{user.pk}",
                    kind=notices.SELF_INSPECTION_LATE,
                    params=params,
                    link=reverse("oversight:self_inspection"),
                )
                sent += notice is not None
    return sent


@transaction.atomic
def self_inspection_due_set(*, actor, regulator_id: int, year: int, due_on: date | None):
    """A regulator's officer sets when the reports on `year` of the enterprises in its
    jurisdiction are due (None: back to the default). Another regulator's date is not theirs
    to see (404); an inspector only reads (403). Audited."""
    access = access_for(actor)
    if regulator_id not in access.regulator_ids:
        raise NotFound(_("No such regulator among those you work for."))
    if regulator_id in access.inspector_regulator_ids:
        raise OversightRefused(_("Only a regulator officer sets the due date."))
    if due_on is not None:
        problem = deadlines.due_problem(year=year, due=due_on)
        if problem:
            raise ValidationError({"due_on": problem})
    current = SelfInspectionDue.objects.select_for_update().filter(
        regulator_id=regulator_id, year=year
    )
    before = current.values_list("due_on", flat=True).first()
    row = None
    if due_on is None:
        current.delete()
    else:
        row, _created = SelfInspectionDue.objects.update_or_create(
            regulator_id=regulator_id,
            year=year,
            defaults={"due_on": due_on, "set_by": actor, "set_at": timezone.now()},
        )
    default = deadlines.default_due_on(year)
    audit_record(
        action="oversight.self_inspection_due_set",
        target=row,
        actor=actor,
        organisation=organisations_visible_to(actor).filter(pk=regulator_id).first(),
        data={
            "year": year,
            "before": (before or default).isoformat(),
            "after": (due_on or default).isoformat(),
        },
    )
    return due_on or default
