"""The oversight table's columns, in one registry: the page, its sorting, the xlsx and the
drill-down all read it. Each column is a number computed from an enterprise's row (None: not
available); `percent` columns are drawn as bars. Counts and rates only: no column names a
person."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .scoring import percent


@dataclass(frozen=True)
class Column:
    key: str
    label: object  # lazily translated
    value: Callable[[object], int | None]
    is_percent: bool = False
    group: object = ""


def _f(key: str) -> Callable[[object], int | None]:
    return lambda row: int(row.figures.get(key) or 0)


def _rate(part: str, whole: str) -> Callable[[object], int | None]:
    return lambda row: percent(int(row.figures.get(part) or 0), int(row.figures.get(whole) or 0))


STAFFING = pgettext_lazy("oversight group", "Staffing")
TRAINING = pgettext_lazy("oversight group", "Training and exams")
CONDUCT = pgettext_lazy("oversight group", "Violations and awards")
SPOT = pgettext_lazy("oversight group", "Spot checks")
DUTIES = pgettext_lazy("oversight group", "Dispatch and self-inspection")

COLUMNS: list[Column] = [
    Column("staff", _("Active staff"), _f("staff"), group=STAFFING),
    Column("heads", _("CCO and compliance heads in post"), lambda r: r.heads, group=STAFFING),
    Column("admins", _("Compliance administrators in post"), lambda r: r.admins, group=STAFFING),
    Column(
        "departments_covered",
        _("Departments with a part-time administrator (%)"),
        _rate("departments_covered", "departments"),
        is_percent=True,
        group=STAFFING,
    ),
    Column(
        "training",
        _("Mandatory training completed (%)"),
        _rate("training_completed", "training_total"),
        is_percent=True,
        group=TRAINING,
    ),
    Column(
        "training_overdue", _("Mandatory courses overdue"), _f("training_overdue"), group=TRAINING
    ),
    Column(
        "exam",
        _("Annual exam pass rate (%)"),
        _rate("exam_passed", "exam_sat"),
        is_percent=True,
        group=TRAINING,
    ),
    Column("violations_general", _("Violations: general"), _f("violations_general"), group=CONDUCT),
    Column("violations_major", _("Violations: major"), _f("violations_major"), group=CONDUCT),
    Column("violations_serious", _("Violations: serious"), _f("violations_serious"), group=CONDUCT),
    Column(
        "violations_very_serious",
        _("Violations: very serious"),
        _f("violations_very_serious"),
        group=CONDUCT,
    ),
    Column("commendations", _("Commendations"), _f("commendations"), group=CONDUCT),
    Column("penalties", _("Penalties"), _f("penalties"), group=CONDUCT),
    Column("spot_drawn", _("Spot checks"), _f("spot_drawn"), group=SPOT),
    Column("spot_failed", _("Spot checks failed"), _f("spot_failed"), group=SPOT),
    Column("rect_open", _("Rectifications open"), lambda r: r.rectifications_open, group=SPOT),
    Column("rect_overdue", _("Rectifications overdue"), _f("rect_overdue"), group=SPOT),
    Column(
        "dispatches", _("Quarterly dispatches held"), lambda r: r.dispatch_quarters, group=DUTIES
    ),
]

BY_KEY = {column.key: column for column in COLUMNS}
