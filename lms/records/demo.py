"""Demo records: the ledger backfilled from the demo's results, and violations of 云集优选's
people at every stage (one awaiting the person's statement, one awaiting the head's decision,
one confirmed, one dismissed, one confirmed last year). Safe to run again."""

from datetime import date, timedelta

from django.utils import timezone

from lms.organisations.models import Staff

from . import services
from .backfill import backfill
from .models import LedgerEntry, Violation

# (person, nature, severity, days ago, statement, decision: None / "confirm" / "dismiss")
VIOLATIONS = [
    ("staff2", "未按规定登记客户个人信息", "general", 3, "", None),
    ("buyer", "收受供应商礼品", "major", 20, "购物卡已于次日退回，请求从轻处理。", None),
    ("staff4", "违规为商家刷单提供便利", "serious", 40, "", "confirm"),
    ("staff1", "未经审批对外发布促销信息", "general", 50, "已事先口头请示部门经理。", "dismiss"),
]


def _staff(login: str) -> Staff | None:
    return Staff.objects.filter(user__email=f"{login}@yunji.demo").first()


def seed(*, stdout=None) -> None:
    added = backfill()
    admin, head = _staff("admin"), _staff("head")
    if admin is None or head is None:
        return
    today = timezone.localdate()
    for login, nature, severity, days, statement, decision in VIOLATIONS:
        _violation(
            admin.user,
            head.user,
            login,
            nature,
            severity,
            today - timedelta(days=days),
            statement,
            decision,
        )
    last_year = date(today.year - 1, 11, 20)
    _violation(
        admin.user,
        head.user,
        "mgr2",
        "未按期完成年度合规培训",
        "general",
        last_year,
        "",
        "confirm",
    )
    if stdout is not None:
        stdout.write(
            f"  records: {LedgerEntry.objects.count()} ledger entries "
            f"({sum(added.values())} backfilled), {Violation.objects.count()} violations"
        )


def _violation(actor, head, login, nature, severity, occurred_on, statement, decision):
    staff = _staff(login)
    if staff is None or Violation.objects.filter(staff=staff, nature__name=nature).exists():
        return
    reported_on = occurred_on + timedelta(days=1)
    violation = services.violation_report(
        actor=actor,
        staff=staff,
        occurred_on=occurred_on,
        nature=nature,
        severity=severity,
        description=f"{nature}，经核查属实。",
        harm="影响平台合规管理秩序",
        today=reported_on,
    )
    if statement:
        services.violation_statement_give(
            user=staff.user, violation=violation, statement=statement, today=reported_on
        )
    if decision:
        services.violation_decide(
            actor=head,
            violation=violation,
            confirm=decision == "confirm",
            reason="经合规负责人审核，事实清楚、证据充分。"
            if decision == "confirm"
            else "申辩理由成立。",
            today=violation.statement_due + timedelta(days=1),
        )
