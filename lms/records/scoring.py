"""Scoring a person's appraisal year: a pure function of their ledger entries and the policy.

No database here. `appraise(entries, rules)` takes plain `Fact`s (what the ledger holds) and a
policy's rules (a dict, as stored on `ScoringPolicy.rules`) and returns the score, the grade,
the breakdown by category and the hard rules that applied. The result depends on the set of
entries only, never on their order; an entry and its reversal together count as nothing.
"""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

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
        "duty_logged": "1",
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
    # consequences of a confirmed violation: remedial training (整改学习) from this severity up,
    # in the named curriculum (an id) and/or courses (ids), due so many days after the decision
    "remedial": {
        "from_severity": Severity.GENERAL,
        "curriculum": None,
        "courses": [],
        "due_days": 30,
    },
    # and no key or compliance position for so many months after the decision, by severity
    "gate_months": {Severity.SERIOUS: 12, Severity.VERY_SERIOUS: 24},
}


class PolicyError(ValueError):
    """The policy cannot score these entries (for example a kind it gives no points)."""


class Fact(NamedTuple):
    """One ledger entry as the scoring sees it. `key` identifies it; a reversal names the key
    of the entry it reverses in `reverses`. (A named tuple: a roster's year makes millions.)"""

    key: int
    kind: str
    points: Decimal = Decimal(0)
    severity: str = ""
    occurred_at: datetime | None = None
    reverses: int | None = None
    # how many entries of one kind that count alike this fact stands for (`counted_facts`):
    # never a violation (their order matters) nor a kind whose points are stored on the entry
    # (not `count`, which a tuple has)
    times: int = 1


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
    problems.extend(consequence_problems(rules))
    return problems


def _whole(value, low: int, high: int) -> int | None:
    """An integer within [low, high] (a bool or a fraction is not), else None."""
    if isinstance(value, bool):
        return None
    try:
        number = int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if low <= number <= high else None


MAX_GATE_MONTHS = 120
MAX_REMEDIAL_DAYS = 365


def consequence_problems(rules: dict) -> list[str]:
    """The consequences of a confirmed violation must name known severities, whole months and
    days within bounds, and ids for the curriculum and courses."""
    problems = []
    remedial = rules.get("remedial") or {}
    if not isinstance(remedial, dict):
        return [_("The remedial training rule must be a set of named rules.")]
    if remedial.get("from_severity", Severity.GENERAL) not in Severity.values:
        problems.append(_("Remedial training names an unknown severity."))
    if _whole(remedial.get("due_days", 30), 1, MAX_REMEDIAL_DAYS) is None:
        problems.append(
            _("Remedial training must be due within 1 to %(days)s days.")
            % {"days": MAX_REMEDIAL_DAYS}
        )
    curriculum = remedial.get("curriculum")
    courses = remedial.get("courses") or []
    if (curriculum not in (None, "") and _whole(curriculum, 1, 2**62) is None) or not (
        isinstance(courses, list) and all(_whole(c, 1, 2**62) for c in courses)
    ):
        problems.append(_("Remedial training must name a curriculum or courses by their number."))
    gate = rules.get("gate_months") or {}
    if not isinstance(gate, dict):
        return [*problems, _("The appointment bar must give months by severity.")]
    for severity, months in gate.items():
        if severity not in Severity.values:
            problems.append(_("The appointment bar names an unknown severity."))
        elif _whole(months, 0, MAX_GATE_MONTHS) is None:
            problems.append(
                _("The appointment bar for “%(severity)s” must be 0 to %(months)s months.")
                % {"severity": dict(Severity.choices)[severity], "months": MAX_GATE_MONTHS}
            )
    return problems


@dataclass(frozen=True)
class Remedial:
    curriculum_id: int | None
    course_ids: tuple[int, ...]
    due_days: int


def remedial_for(rules: dict, severity: str) -> Remedial | None:
    """The remedial training a confirmed violation of this severity calls for (None: none,
    because the severity is below the rule's or the rule names nothing to take)."""
    remedial = rules.get("remedial") or {}
    start = remedial.get("from_severity", Severity.GENERAL)
    if severity not in Severity.values or start not in Severity.values:
        return None
    if Severity.values.index(severity) < Severity.values.index(start):
        return None
    curriculum = _whole(remedial.get("curriculum"), 1, 2**62)
    courses = tuple(c for c in (_whole(c, 1, 2**62) for c in remedial.get("courses") or []) if c)
    if curriculum is None and not courses:
        return None
    return Remedial(
        curriculum_id=curriculum,
        course_ids=courses,
        due_days=_whole(remedial.get("due_days", 30), 1, MAX_REMEDIAL_DAYS) or 30,
    )


def gate_months_for(rules: dict, severity: str) -> int:
    """For how many months a confirmed violation of this severity bars key and compliance
    positions (0: not at all)."""
    return _whole((rules.get("gate_months") or {}).get(severity, 0), 0, MAX_GATE_MONTHS) or 0


def add_months(day: date, months: int) -> date:
    """The same day `months` later (the month's last day if it has fewer days)."""
    import calendar

    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


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


# kind -> category, for scoring (`category_of` without the function call)
_CATEGORY = {kind: category for kind, (category, _label) in KINDS.items()}
_NOT_COUNTED = frozenset(
    kind
    for kind, category in _CATEGORY.items()
    if kind in ENTRY_POINT_KINDS or category == Category.VIOLATION
)


def counted_facts(counts: dict[str, int]) -> list[Fact]:
    """Facts for live entries counted by kind (what a GROUP BY gives), to be scored with the
    person's other facts: `appraise` scores them as that many entries of the kind. Only kinds
    whose entries are worth the same each: not violations, not commendations or penalties."""
    facts = []
    for number, (kind, count) in enumerate(sorted(counts.items()), start=1):
        if not count:
            continue
        if kind in ENTRY_POINT_KINDS or _CATEGORY[kind] == Category.VIOLATION:
            raise ValueError(f"{kind} entries are scored one by one")
        facts.append(Fact(key=-number, kind=kind, times=count))
    return facts


def ordered_facts(kinds, severities, points) -> list[Fact]:
    """Facts for a person's live entries scored one by one, given in the order they happened
    (what an ORDER BY occurred_at, id gives: three parallel lists): numbered in that order, so
    that the violations keep their order without their times. Scored with `counted_facts`
    (whose keys are negative), they score exactly as the entries themselves."""
    return [
        Fact(number, kind, value, severity)
        for number, (kind, severity, value) in enumerate(
            zip(kinds, severities, points, strict=True), start=1
        )
    ]


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


_CENT = Decimal("0.01")
_ZERO = Decimal(0)


def _outcome(compute):
    """(value, None) or (None, the exception): a rule read ahead of time whose problem is
    raised only where scoring would have met it."""
    try:
        return compute(), None
    except Exception as exc:  # noqa: BLE001 - kept and raised where scoring meets it
        return None, exc


class Policy:
    """A policy's rules read once (numbers parsed, tables looked up) to score many people:
    `appraise(facts, Policy(rules))` gives exactly what `appraise(facts, rules)` gives, errors
    included (a rule's problem is raised only when a person's entries need that rule)."""

    __slots__ = (
        "rules",
        "_base",
        "_multiplier",
        "_powers",
        "_points",
        "_violation_points",
        "_thresholds",
        "_caps",
        "_fail_kinds",
    )

    def __init__(self, rules: dict):
        self.rules = rules
        self._base = _outcome(lambda: _decimal(rules.get("base", "100"), "base"))
        self._multiplier = _outcome(
            lambda: _decimal(rules.get("repeat_multiplier", "1"), "repeat_multiplier")
        )
        self._powers: dict[int, Decimal] = {}
        self._points = {
            kind: _outcome(lambda kind=kind: entry_points(kind=kind, rules=rules))
            for kind in KINDS
            if kind not in _NOT_COUNTED
        }
        self._violation_points = {
            severity: _outcome(
                lambda severity=severity: entry_points(
                    kind="violation", rules=rules, severity=severity
                )
            )
            for severity in (rules.get("violation_points") or {})
        }
        self._thresholds = [
            (grade, _outcome(lambda grade=grade: Decimal(str(rules["thresholds"][grade]))))
            for grade in (Grade.EXCELLENT, Grade.PASS, Grade.BASIC_PASS)
        ]
        self._caps = _outcome(lambda: sorted((rules.get("severity_caps") or {}).items()))
        self._fail_kinds = _outcome(lambda: frozenset(rules.get("fail_kinds") or []))

    @staticmethod
    def _value(outcome):
        value, error = outcome
        if error is not None:
            raise error
        return value

    def base(self) -> Decimal:
        return self._value(self._base)

    def multiplier(self) -> Decimal:
        return self._value(self._multiplier)

    def power(self, number: int) -> Decimal:
        """multiplier ** number (the repeat factor of the (number + 1)-th violation)."""
        power = self._powers.get(number)
        if power is None:
            power = self._powers[number] = self.multiplier() ** number
        return power

    def points(self, kind: str) -> Decimal:
        """A first entry's points for a kind worth the same each (not violations, not entries
        with points of their own)."""
        return self._value(self._points[kind])

    def violation_points(self, severity: str) -> Decimal:
        outcome = self._violation_points.get(severity)
        if outcome is None:  # no such severity in the table: the policy's own message
            return entry_points(kind="violation", rules=self.rules, severity=severity)
        return self._value(outcome)

    def grade_for(self, score: Decimal) -> str:
        for grade, threshold in self._thresholds:
            if score >= self._value(threshold):
                return grade
        return Grade.FAIL

    def capped(self, grade: str, severities: dict) -> tuple[str, list[str]]:
        """The grade after the severity caps (hard rules), and which applied."""
        applied = []
        for severity, cap in self._value(self._caps):
            if severities.get(severity) and _worse(grade, cap) != grade:
                grade = cap
                applied.append(f"severity_cap:{severity}")
        return grade, applied

    def fail_kinds(self) -> frozenset:
        return self._value(self._fail_kinds)


def policy_of(rules: "dict | Policy") -> Policy:
    return rules if isinstance(rules, Policy) else Policy(rules)


def _violation_order(fact: Fact):
    return (fact.occurred_at is None, fact.occurred_at or datetime.min, fact.key)


def appraise(facts, rules: "dict | Policy") -> Appraisal:
    """Score one person's year under a policy's rules (a dict as stored, or a `Policy` read
    once for many people). Order-independent: violations are numbered by when they happened
    (then by key), so the repeat multiplier never depends on the input order."""
    policy = policy_of(rules)
    facts = facts if isinstance(facts, list) else list(facts)
    reversed_keys = {f.reverses for f in facts if f.reverses is not None}
    if reversed_keys:
        live = [f for f in facts if f.reverses is None and f.key not in reversed_keys]
    else:
        live = facts
    base = policy.base()
    policy.multiplier()
    violations = []
    others = []
    for fact in live:
        category = _CATEGORY[fact.kind]
        if category == Category.VIOLATION:
            violations.append(fact)
        else:
            others.append((fact, category))
    by_category: dict[str, Decimal] = {}
    severities: dict[str, int] = {}
    if violations:
        violations.sort(key=_violation_order)
        total = _ZERO
        for number, fact in enumerate(violations):
            total += policy.violation_points(fact.severity) * policy.power(number)
            severities[fact.severity] = severities.get(fact.severity, 0) + 1
        by_category[Category.VIOLATION] = total
    counted = sum(f.times for f in violations)
    for fact, category in others:
        kind = fact.kind
        if kind in ENTRY_POINT_KINDS:
            points = fact.points
            if type(points) is not Decimal or not points:
                points = Decimal(str(points or 0))
        else:
            points = policy.points(kind)
        by_category[category] = by_category.get(category, _ZERO) + points * fact.times
        counted += fact.times
    score = (base + sum(by_category.values(), _ZERO)).quantize(_CENT)
    grade, applied = policy.capped(policy.grade_for(score), severities)
    fail_kinds = policy.fail_kinds()
    if fail_kinds and any(f.kind in fail_kinds and f.times for f in live):
        if grade != Grade.FAIL:
            applied.append("fail_kind")
        grade = Grade.FAIL
    return Appraisal(
        score=score,
        grade=grade,
        by_category={k: by_category[k].quantize(_CENT) for k in sorted(by_category)},
        violations_by_severity=dict(sorted(severities.items())),
        hard_rules=applied,
        counted=counted,
    )
