"""Commendations and penalties (表彰奖励 / 惩戒) given by the compliance head."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.services import audit_record

from ..models import Violation
from .ledger import platform_language, record_entry

MAX_AWARD_POINTS = 100


@transaction.atomic
def award_give(
    *,
    actor,
    kind: str,
    reason: str,
    staff=None,
    department=None,
    points=None,
    violation=None,
    today: date | None = None,
):
    """The compliance head commends or penalises a person (in their scope, below their rank) or
    a department of their organisation. A person's award enters the ledger: commendations with
    positive points, penalties with negative ones. Audited."""
    from decimal import Decimal, InvalidOperation

    from lms.organisations.access import access_for
    from lms.organisations.selectors import departments_manageable_by, staff_changeable_by

    from ..models import Award

    access = access_for(actor)
    if (staff is None) == (department is None):
        raise ValidationError(_("Choose either a person or a department."))
    organisation_id = staff.organisation_id if staff else department.organisation_id
    if not (access.is_platform_admin or organisation_id in access.head_org_ids):
        raise PermissionDenied
    if staff is not None and not staff_changeable_by(actor).filter(pk=staff.pk).exists():
        raise PermissionDenied
    if department is not None and not (
        departments_manageable_by(actor).filter(pk=department.pk).exists()
    ):
        raise PermissionDenied
    errors = {}
    if kind not in Award.Kind.values:
        errors["kind"] = _("Choose a kind of commendation or penalty.")
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Give the reason.")
    try:
        amount = abs(Decimal(str(points or 0).strip() or 0))
    except InvalidOperation:
        errors["points"] = _("Give the points as a number.")
        amount = Decimal(0)
    if (
        not amount.is_finite()
        or amount > MAX_AWARD_POINTS
        or amount != amount.quantize(Decimal("0.01"))
    ):
        errors["points"] = _("Give the points as a number from 0 to %(max)s, to two decimals.") % {
            "max": MAX_AWARD_POINTS
        }
    if kind == Award.Kind.MODEL_DEPARTMENT and staff is not None:
        errors["kind"] = _("A model compliance department is a department, not a person.")
    if kind in (Award.Kind.ADVANCED_PERSON, Award.Kind.BACKBONE) and department is not None:
        errors["kind"] = _("This commendation is for a person, not a department.")
    if violation is not None:
        if kind not in Award.PENALTIES:
            errors["violation"] = _("Only a penalty is linked to a violation.")
        elif staff is None or violation.staff_id != staff.pk:
            errors["violation"] = _("The violation must be the same person's.")
        elif violation.status != Violation.Status.CONFIRMED:
            errors["violation"] = _("Only a confirmed violation can be linked.")
    if errors:
        raise ValidationError(errors)
    award = Award(
        organisation_id=organisation_id,
        kind=kind,
        staff=staff,
        department=department,
        reason=reason,
        points=-amount if kind in Award.PENALTIES else amount,
        violation=violation,
        decided_by=actor,
        decided_on=today or timezone.localdate(),
    )
    award.full_clean()
    award.save()
    audit_record(
        action="records.penalty" if award.is_penalty else "records.commendation",
        target=award,
        actor=actor,
        data={"kind": kind, "reason": reason, "points": str(award.points)},
    )
    if staff is not None:
        with platform_language():
            summary = f"{award.get_kind_display()}：{reason}"
        record_entry(
            staff=staff,
            kind="penalty" if award.is_penalty else "commendation",
            source=award,
            occurred_at=timezone.now(),
            year=award.decided_on.year,
            summary=summary,
            points=award.points,
            entered_by=actor,
        )
    return award
