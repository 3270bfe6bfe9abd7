"""Scoring a person's year is a pure function of their entries and the policy (no database)."""

import copy
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.records.kinds import KINDS, Grade, Severity
from lms.records.scoring import (
    DEFAULT_RULES,
    Fact,
    PolicyError,
    appraise,
    counted_facts,
    policy_problems,
    threshold_problems,
)

START = datetime(2026, 1, 1, 9, 0)
SCORED_KINDS = sorted(k for k in KINDS if k not in ("violation", "commendation", "penalty"))


def fact(key, kind, *, days=0, severity="", points=0, reverses=None):
    return Fact(
        key=key,
        kind=kind,
        severity=severity,
        points=Decimal(points),
        occurred_at=START + timedelta(days=days),
        reverses=reverses,
    )


def test_a_clean_year_starts_from_the_base_score_and_grades_by_thresholds():
    result = appraise([], DEFAULT_RULES)
    assert result.score == Decimal("100.00") and result.grade == Grade.PASS
    good = [fact(n, "course_on_time") for n in range(5)] + [fact(9, "exam_passed")]
    result = appraise(good, DEFAULT_RULES)
    assert result.score == Decimal("115.00") and result.grade == Grade.EXCELLENT
    assert result.by_category == {"exam": Decimal("5.00"), "training": Decimal("10.00")}


def test_repeated_violations_are_multiplied_in_the_order_they_happened():
    violations = [
        fact(1, "violation", days=3, severity=Severity.GENERAL),
        fact(2, "violation", days=1, severity=Severity.MAJOR),
    ]
    result = appraise(violations, DEFAULT_RULES)
    # the major one came first (-10), the general one is the second (-5 x 1.5)
    assert result.by_category["violation"] == Decimal("-17.50")
    assert result.violations_by_severity == {Severity.GENERAL: 1, Severity.MAJOR: 1}


def test_a_serious_violation_caps_the_grade_at_basic_pass():
    facts = [fact(n, "course_on_time") for n in range(20)]
    facts.append(fact(99, "violation", severity=Severity.SERIOUS))
    result = appraise(facts, DEFAULT_RULES)
    assert result.score >= Decimal(DEFAULT_RULES["thresholds"][Grade.EXCELLENT])
    assert result.grade == Grade.BASIC_PASS
    assert result.hard_rules == ["severity_cap:serious"]


@pytest.mark.parametrize("kind", ["exam_failed", "spotcheck_failed", "spotcheck_absent"])
def test_a_failed_mandatory_exam_or_spot_check_means_fail(kind):
    facts = [fact(n, "course_on_time") for n in range(20)] + [fact(99, kind)]
    assert appraise(facts, DEFAULT_RULES).grade == Grade.FAIL


def test_commendations_and_penalties_carry_their_own_points():
    result = appraise(
        [fact(1, "commendation", points="8"), fact(2, "penalty", points="-12")], DEFAULT_RULES
    )
    assert result.score == Decimal("96.00")


def test_a_kind_the_policy_gives_no_points_is_refused():
    rules = copy.deepcopy(DEFAULT_RULES)
    del rules["points"]["exam_passed"]
    with pytest.raises(PolicyError, match="no points|未规定"):
        appraise([fact(1, "exam_passed")], rules)


facts_strategy = st.lists(
    st.tuples(
        st.sampled_from(SCORED_KINDS + ["violation", "commendation"]),
        st.integers(min_value=0, max_value=364),
        st.sampled_from(Severity.values),
        st.integers(min_value=-20, max_value=20),
    ),
    max_size=25,
).map(
    lambda rows: [
        fact(
            key,
            kind,
            days=day,
            severity=severity if kind == "violation" else "",
            points=points if kind == "commendation" else 0,
        )
        for key, (kind, day, severity, points) in enumerate(rows, start=1)
    ]
)


@settings(max_examples=60, deadline=None)
@given(facts=facts_strategy, data=st.data())
def test_the_order_of_the_entries_never_matters(facts, data):
    shuffled = data.draw(st.permutations(facts))
    assert appraise(shuffled, DEFAULT_RULES) == appraise(facts, DEFAULT_RULES)


@settings(max_examples=60, deadline=None)
@given(facts=facts_strategy, data=st.data())
def test_an_entry_with_its_reversal_counts_as_no_entry(facts, data):
    if not facts:
        return
    victim = data.draw(st.sampled_from(facts))
    reversal = Fact(
        key=10_000,
        kind=victim.kind,
        severity=victim.severity,
        points=-victim.points,
        occurred_at=START + timedelta(days=400),
        reverses=victim.key,
    )
    without = [f for f in facts if f.key != victim.key]
    assert appraise([*facts, reversal], DEFAULT_RULES) == appraise(without, DEFAULT_RULES)


@settings(max_examples=80, deadline=None)
@given(facts=facts_strategy)
def test_entries_counted_by_kind_score_as_the_entries_themselves(facts):
    """The 合规考核 page lets the database count a person's entries of the kinds worth the same
    each (roster_scoring.person_facts): that must score exactly as every entry one by one."""
    counted = dict.fromkeys(SCORED_KINDS, 0)
    one_by_one = []
    for f in facts:
        if f.kind in counted:
            counted[f.kind] += 1
        else:
            one_by_one.append(f)
    assert appraise([*counted_facts(counted), *one_by_one], DEFAULT_RULES) == appraise(
        facts, DEFAULT_RULES
    )


@pytest.mark.parametrize("kind", ["violation", "commendation", "penalty"])
def test_violations_and_entries_with_their_own_points_are_never_counted_together(kind):
    with pytest.raises(ValueError):
        counted_facts({kind: 2})


def test_the_default_policy_is_valid():
    assert policy_problems(DEFAULT_RULES) == []


@pytest.mark.parametrize(
    "thresholds",
    [
        {Grade.EXCELLENT: "90", Grade.PASS: "90", Grade.BASIC_PASS: "75"},  # overlap
        {Grade.EXCELLENT: "80", Grade.PASS: "90", Grade.BASIC_PASS: "75"},  # out of order
        {Grade.EXCELLENT: "110", Grade.PASS: "70", Grade.BASIC_PASS: "75"},
    ],
)
def test_thresholds_that_overlap_or_are_out_of_order_are_refused_clearly(thresholds):
    problems = threshold_problems(thresholds)
    assert len(problems) == 1
    assert "overlap or are out of order" in problems[0] or "重叠或顺序错误" in problems[0]


def test_a_policy_with_unknown_kinds_missing_severities_or_bad_numbers_is_refused():
    rules = copy.deepcopy(DEFAULT_RULES)
    rules["points"]["birthday"] = "5"
    rules["points"]["exam_passed"] = "many"
    del rules["violation_points"][Severity.SERIOUS]
    rules["repeat_multiplier"] = "0.5"
    assert len(policy_problems(rules)) == 4
