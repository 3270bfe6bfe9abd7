"""Scoring a person's appraisal year: a pure function of their ledger entries and the policy.

No database here. `appraise(entries, rules)` takes plain `Fact`s (what the ledger holds) and a
policy's rules (a dict, as stored on `ScoringPolicy.rules`) and returns the score, the grade,
the breakdown by category and the hard rules that applied. The result depends on the set of
entries only, never on their order; an entry and its reversal together count as nothing.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .kinds import KINDS, Category, Grade, Severity, category_of

# Kinds whose points are decided case by case (by the compliance head) and stored on the entry.
ENTRY_POINT_KINDS = frozenset({"commendation", "penalty"})

DEFAULT_RULES: dict = {
    "base": "100",
    "points": {
        "course_on_time": "2",
        "course_late": "-1",
        "course_overdue": "-5",
        "exam_passed": "5",
        "exam_failed": "-10",
        "exam_absent": "-10",
        "spotcheck_passed": "5",
        "spotcheck_failed": "-10",
        "spotcheck_absent": "-15",
        "certificate_gained": "2",
        "certificate_revoked": "-5",
        "commitment": "1",
    },
    "violation_points": {
        Severity.GENERAL: "-5",
        Severity.MAJOR: "-10",
        Severity.SERIOUS: "-20",
        Severity.VERY_SERIOUS: "-40",
    },
    # the n-th violation of the year counts multiplier ** (n - 1) times its severity's points
    "repeat_multiplier": "1.5",
    # the lowest score for each grade; below "basic_pass" the grade is "fail"
    "thresholds": {Grade.EXCELLENT: "110", Grade.PASS: "90", Grade.BASIC_PASS: "75"},
    # hard rules: a violation of this severity caps the grade at ...
    "severity_caps": {Severity.SERIOUS: Grade.BASIC_PASS, Severity.VERY_SERIOUS: Grade.FAIL},
    # hard rules: any of these (not reversed) means "fail"
    "fail_kinds": ["exam_failed", "exam_absent", "spotcheck_failed", "spotcheck_absent"],
}


class PolicyError(ValueError):
    """The policy cannot score these entries (for example a kind it gives no points)."""


@dataclass(frozen=True)
class Fact:
    """One ledger entry as the scoring sees it. `key` identifies it; a reversal names the key
    of the entry it reverses in `reverses`."""

    key: int
    kind: str
    points: Decimal = Decimal(0)
    severity: str = ""
    occurred_at: datetime | None = None
    reverses: int | None = None


@dataclass
class Appraisal:
    score: Decimal
    grade: str
    by_category: dict[str, Decimal] = field(default_factory=dict)
    violations_by_severity: dict[str, int] = field(default_factory=dict)
    hard_rules: list[str] = field(default_factory=list)  # which hard rules applied (codes)
    counted: int = 0


def _decimal(value, where: str) -> Decimal:
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise PolicyError(_("%(where)s is not a number.") % {"where": where}) from None
    if not result.is_finite():
        raise PolicyError(_("%(where)s is not a number.") % {"where": where})
    return result


def policy_problems(rules: dict) -> list[str]:
    """Why these rules cannot be a policy (an empty list: they can)."""
    problems: list[str] = []
    if not isinstance(rules, dict):
        return [_("The policy must be a set of named rules.")]
    try:
        _decimal(rules.get("base", "100"), _("The base score"))
        multiplier = _decimal(rules.get("repeat_multiplier", "1"), _("The repeat multiplier"))
        if multiplier < 1:
            problems.append(_("The repeat multiplier must be at least 1."))
    except PolicyError as exc:
        problems.append(str(exc))
    for kind, value in (rules.get("points") or {}).items():
        if kind not in KINDS or category_of(kind) == Category.VIOLATION:
            problems.append(
                _("“%(kind)s” is not a kind of event the ledger counts.") % {"kind": kind}
            )
            continue
        try:
            _decimal(value, str(KINDS[kind][1]))
        except PolicyError as exc:
            problems.append(str(exc))
    violation_points = rules.get("violation_points") or {}
    for severity in Severity.values:
        if severity not in violation_points:
            problems.append(
                _("Give the points of a violation of severity “%(severity)s”.")
                % {"severity": dict(Severity.choices)[severity]}
            )
    problems.extend(threshold_problems(rules.get("thresholds") or {}))
    for severity, grade in (rules.get("severity_caps") or {}).items():
        if severity not in Severity.values or grade not in Grade.order:
            problems.append(_("A severity cap names an unknown severity or grade."))
    for kind in rules.get("fail_kinds") or []:
        if kind not in KINDS:
            problems.append(
                _("“%(kind)s” is not a kind of event the ledger counts.") % {"kind": kind}
            )
    return problems


def threshold_problems(thresholds: dict) -> list[str]:
    """The grade thresholds must each be a number and strictly fall from 优秀 to 基本合格."""
    graded = [Grade.EXCELLENT, Grade.PASS, Grade.BASIC_PASS]
    values = []
    for grade in graded:
        if grade not in thresholds:
            return [_("Give the lowest score for “%(grade)s”.") % {"grade": Grade.label(grade)}]
        try:
            values.append(_decimal(thresholds[grade], Grade.label(grade)))
        except PolicyError as exc:
            return [str(exc)]
    problems = []
    for index in range(len(graded) - 1):
        higher, lower = graded[index], graded[index + 1]
        high, low = values[index], values[index + 1]
        if high <= low:
            problems.append(
                _(
                    "The thresholds overlap or are out of order: “%(higher)s” (%(high)s) must be "
                    "above “%(lower)s” (%(low)s)."
                )
                % {
                    "higher": Grade.label(higher),
                    "high": high,
                    "lower": Grade.label(lower),
                    "low": low,
                }
            )
    return problems


def live_facts(facts) -> list[Fact]:
    """The entries that count: neither a reversal nor reversed."""
    facts = list(facts)
    reversed_keys = {f.reverses for f in facts if f.reverses is not None}
    return [f for f in facts if f.reverses is None and f.key not in reversed_keys]


def _grade_for(score: Decimal, thresholds: dict) -> str:
    for grade in (Grade.EXCELLENT, Grade.PASS, Grade.BASIC_PASS):
        if score >= Decimal(str(thresholds[grade])):
            return grade
    return Grade.FAIL


def _worse(a: str, b: str) -> str:
    return max(a, b, key=Grade.order.index)


def entry_points(*, kind: str, rules: dict, severity: str = "", points=None) -> Decimal:
    """What one entry of this kind is worth under the rules (a first violation for violations);
    raises PolicyError for a kind the policy gives no points."""
    if kind not in KINDS:
        raise PolicyError(
            _("“%(kind)s” is not a kind of event the ledger counts.") % {"kind": kind}
        )
    if kind in ENTRY_POINT_KINDS:
        return Decimal(str(points or 0))
    if category_of(kind) == Category.VIOLATION:
        table = rules.get("violation_points") or {}
        if severity not in table:
            raise PolicyError(
                _("The policy gives no points for a violation of severity “%(severity)s”.")
                % {"severity": severity}
            )
        return _decimal(table[severity], severity)
    table = rules.get("points") or {}
    if kind not in table:
        raise PolicyError(
            _("The policy gives no points for “%(kind)s”.") % {"kind": str(KINDS[kind][1])}
        )
    return _decimal(table[kind], kind)


def appraise(facts, rules: dict) -> Appraisal:
    """Score one person's year. Order-independent: violations are numbered by when they
    happened (then by key), so the repeat multiplier never depends on the input order."""
    live = live_facts(facts)
    base = _decimal(rules.get("base", "100"), "base")
    multiplier = _decimal(rules.get("repeat_multiplier", "1"), "repeat_multiplier")
    by_category: dict[str, Decimal] = defaultdict(Decimal)
    severities: Counter = Counter()
    violations = sorted(
        (f for f in live if category_of(f.kind) == Category.VIOLATION),
        key=lambda f: (f.occurred_at is None, f.occurred_at or datetime.min, f.key),
    )
    for number, fact in enumerate(violations):
        points = entry_points(kind=fact.kind, rules=rules, severity=fact.severity)
        by_category[Category.VIOLATION] += points * multiplier**number
        severities[fact.severity] += 1
    for fact in live:
        category = category_of(fact.kind)
        if category == Category.VIOLATION:
            continue
        by_category[category] += entry_points(kind=fact.kind, rules=rules, points=fact.points)
    score = (base + sum(by_category.values(), Decimal(0))).quantize(Decimal("0.01"))
    grade = _grade_for(score, rules["thresholds"])
    applied = []
    for severity, cap in sorted((rules.get("severity_caps") or {}).items()):
        if severities.get(severity) and _worse(grade, cap) != grade:
            grade = cap
            applied.append(f"severity_cap:{severity}")
    fail_kinds = set(rules.get("fail_kinds") or [])
    if any(f.kind in fail_kinds for f in live):
        if grade != Grade.FAIL:
            applied.append("fail_kind")
        grade = Grade.FAIL
    return Appraisal(
        score=score,
        grade=grade,
        by_category={k: v.quantize(Decimal("0.01")) for k, v in sorted(by_category.items())},
        violations_by_severity=dict(sorted(severities.items())),
        hard_rules=applied,
        counted=len(live),
    )
