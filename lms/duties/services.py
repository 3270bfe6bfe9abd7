"""Recording a duty in the log (履职记录). Audited; `duty_logged` is sent on commit."""

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.attachments import attachment_problems
from lms.audit.services import audit_record
from lms.refusals import Refused

from . import selectors
from .models import DutyAttachment, DutyEntry, DutyType
from .signals import duty_logged


class DutyRefused(Refused):
    """Only compliance staff keep a duty log."""

    status = 403


@transaction.atomic
def duty_entry_record(
    *,
    actor,
    organisation_id: int,
    kind: str,
    occurred_on: date | None,
    description: str,
    department_id: int | None = None,
    opinion: str = "",
    zero_risk: bool = False,
    files=(),
    today: date | None = None,
) -> DutyEntry:
    """The actor records a duty they performed in an organisation where they are a compliance
    administrator, head or CCO, about a department in their scope (a part-time administrator:
    one of their departments, which they must name; a department outside: PermissionDenied, a
    404 to the views). A self-inspection needs a written opinion; a risk screening its findings
    or a zero-risk report. Nothing is saved if any field or file is refused."""
    author = next(
        (m for m in selectors.duty_memberships_of(actor) if m.organisation_id == organisation_id),
        None,
    )
    if author is None:
        raise DutyRefused(_("Only compliance staff of this organisation keep its duty log."))
    departments = selectors.departments_for_entry(actor, organisation_id=organisation_id)
    if department_id is not None and not departments.filter(pk=department_id).exists():
        raise PermissionDenied
    today = today or timezone.localdate()
    errors: dict[str, Any] = {}
    part_time = author.position.compliance_role in selectors.DEPARTMENT_ADMIN_ROLES
    if department_id is None and part_time:
        errors["department"] = _("Choose the department concerned.")
    if kind not in DutyType.values:
        errors["kind"] = _("Choose the type of duty.")
    if occurred_on is None:
        errors["occurred_on"] = _("Give the date.")
    elif occurred_on > today:
        errors["occurred_on"] = _("The date cannot be in the future.")
    description = (description or "").strip()
    opinion = (opinion or "").strip()
    if not description:
        errors["description"] = _("Describe what was done.")
    zero_risk = bool(zero_risk) and kind == DutyType.RISK_SCREENING
    if kind == DutyType.SELF_INSPECTION and not opinion:
        errors["opinion"] = _("A self-inspection needs its written opinion.")
    if kind == DutyType.RISK_SCREENING and not opinion and not zero_risk:
        errors["opinion"] = _("Give what the screening found, or tick the zero-risk report.")
    if zero_risk and opinion:
        errors["opinion"] = _(
            "A zero-risk report has no findings; untick it or clear the findings."
        )
    files = list(files)
    problems = attachment_problems(files)
    if problems:
        errors["files"] = problems
    if errors or occurred_on is None:
        raise ValidationError(errors)
    entry = DutyEntry(
        author=author,
        organisation_id=organisation_id,
        department_id=department_id,
        kind=kind,
        occurred_on=occurred_on,
        description=description,
        opinion=opinion,
        zero_risk=zero_risk,
        created_by=actor,
    )
    entry.full_clean()
    entry.save()
    for upload in files:
        upload.seek(0)
        DutyAttachment.objects.create(
            entry=entry, file=upload, name=upload.name[:255], size=upload.size
        )
    audit_record(
        action="duties.entry_record",
        target=entry,
        actor=actor,
        organisation=entry.organisation,
        data={
            "kind": kind,
            "occurred_on": occurred_on.isoformat(),
            "department": department_id,
            "zero_risk": zero_risk,
            "attachments": [f.name for f in files],
        },
    )
    transaction.on_commit(lambda: duty_logged.send(sender=DutyEntry, entry=entry))
    return entry
