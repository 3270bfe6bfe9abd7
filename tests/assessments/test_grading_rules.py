"""Grading one answer: pure rules, no database."""

from decimal import Decimal

import pytest

from assessments.grading import grade, key_problems, normalise_text


def test_multiple_choice_is_all_or_nothing():
    key = ["A", "C"]
    assert grade(kind="multiple", key=key, answer=["C", "A"], points=Decimal(4)) == 4
    assert grade(kind="multiple", key=key, answer=["A"], points=Decimal(4)) == 0
    assert grade(kind="multiple", key=key, answer=["A", "B", "C"], points=Decimal(4)) == 0
    assert grade(kind="multiple", key=key, answer=[], points=Decimal(4)) == 0


@pytest.mark.parametrize(
    "given", ["合规负责人", " 合规 负责人 ", "合规负责人\u3000", "ＣＣＯ", "cco", "C C O"]
)
def test_fill_in_answers_are_normalised_for_width_spaces_and_case(given):
    assert grade(kind="fill_in", key=["合规负责人", "CCO"], answer=[given], points=Decimal(1)) == 1


def test_fill_in_wrong_answer_scores_nothing():
    assert grade(kind="fill_in", key=["合规负责人"], answer=["合规管理员"], points=Decimal(1)) == 0
    assert normalise_text("ＡＢＣ　１２３") == "abc123"


def test_short_answers_wait_for_a_person():
    assert grade(kind="short_answer", key=["x"], answer=["anything"], points=Decimal(5)) is None


def test_true_false_and_single_choice():
    assert grade(kind="true_false", key=["false"], answer=["false"], points=Decimal(1)) == 1
    assert grade(kind="true_false", key=["false"], answer=["true"], points=Decimal(1)) == 0
    assert grade(kind="single", key=["B"], answer=["B"], points=Decimal(2)) == 2


def test_a_single_choice_with_several_right_options_scores_full_on_any_one():
    # Moodle's single choice with two 100% answers: the learner picks one, either is right.
    assert not key_problems(kind="single", options=["a", "b", "c"], key=["A", "C"])
    assert grade(kind="single", key=["A", "C"], answer=["C"], points=Decimal(2)) == 2
    assert grade(kind="single", key=["A", "C"], answer=["A", "C"], points=Decimal(2)) == 0
    assert grade(kind="single", key=["A", "C"], answer=["B"], points=Decimal(2)) == 0


def test_keys_that_cannot_grade_are_refused():
    assert key_problems(kind="single", options=["a", "b"], key=["C"])
    assert key_problems(kind="single", options=["a", "b"], key=["A", "A"])
    assert key_problems(kind="multiple", options=["a"], key=["A"])
    assert key_problems(kind="true_false", options=[], key=["yes"])
    assert key_problems(kind="fill_in", options=[], key=[])
    assert not key_problems(kind="multiple", options=["a", "b", "c"], key=["A", "C"])
