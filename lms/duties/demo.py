"""Demo duty log: last month's entries of 云集优选's compliance administrators — a zero-risk
risk screening by the part-time administrator of 商家管理部, a self-inspection with its written
opinion and a training session by the full-time administrator. Safe to run again."""

from datetime import timedelta

from django.utils import timezone

from lms.organisations.models import Staff

from . import services
from .models import DutyEntry, DutyType

# (login, type, day of last month, description, opinion, zero risk)
ENTRIES = [
    (
        "admin2",
        DutyType.RISK_SCREENING,
        12,
        "对商家管理部入驻审核、保证金管理环节开展月度合规风险排查。",
        "",
        True,
    ),
    (
        "admin",
        DutyType.SELF_INSPECTION,
        18,
        "对采购部供应商准入及礼品登记情况开展合规自查，抽查合同20份。",
        "供应商准入流程基本合规；3份合同缺少合规审查记录，建议补充审查并完善礼品登记台账。",
        False,
    ),
    (
        "admin",
        DutyType.TRAINING,
        25,
        "为新入职员工讲授《反商业贿赂与廉洁从业》专题课程，42人参加。",
        "",
        False,
    ),
]


def seed(*, stdout=None) -> None:
    today = timezone.localdate()
    last_month = today.replace(day=1) - timedelta(days=1)
    added = 0
    for login, kind, day, description, opinion, zero_risk in ENTRIES:
        staff = (
            Staff.objects.filter(user__email=f"{login}@yunji.demo")
            .select_related("user", "department")
            .first()
        )
        if staff is None:
            continue
        occurred_on = last_month.replace(day=min(day, last_month.day))
        if DutyEntry.objects.filter(author=staff, kind=kind, occurred_on=occurred_on).exists():
            continue
        services.duty_entry_record(
            actor=staff.user,
            organisation_id=staff.organisation_id,
            kind=kind,
            occurred_on=occurred_on,
            department_id=staff.department_id,
            description=description,
            opinion=opinion,
            zero_risk=zero_risk,
        )
        added += 1
    if stdout is not None:
        stdout.write(f"  duties: {added} duty log entries added")
