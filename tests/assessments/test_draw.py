"""The draw is a pure seeded function: same seed, same paper (no database here)."""

from decimal import Decimal

import pytest

from assessments.draw import (
    BlueprintShortfall,
    Candidate,
    SectionSpec,
    blueprint_shortfalls,
    draw_paper,
)


def pool(n=40):
    kinds = ["single", "multiple", "true_false", "fill_in"]
    return [
        Candidate(
            id=i,
            kind=kinds[i % 4],
            tags=frozenset({"数据保护"} if i % 3 == 0 else {"反商业贿赂"}),
            difficulty=1 + i % 5,
            option_count=4 if kinds[i % 4] in ("single", "multiple") else 0,
        )
        for i in range(1, n + 1)
    ]


SECTIONS = [
    SectionSpec(count=5, points=Decimal(2), kind="single"),
    SectionSpec(count=3, points=Decimal(3), tag="数据保护"),
    SectionSpec(fixed_ids=(2, 4)),
]


def test_the_same_seed_rebuilds_the_same_questions_order_and_option_order():
    first = draw_paper(seed=12345, sections=SECTIONS, candidates=pool())
    again = draw_paper(seed=12345, sections=SECTIONS, candidates=list(reversed(pool())))
    assert first == again
    assert len(first) == 10


def test_different_seeds_give_different_papers():
    papers = {tuple(draw_paper(seed=s, sections=SECTIONS, candidates=pool())) for s in range(20)}
    assert len(papers) > 15


def test_sections_respect_their_filters_points_and_fixed_questions():
    paper = draw_paper(seed=7, sections=SECTIONS, candidates=pool())
    by_id = {c.id: c for c in pool()}
    first = [i for i in paper if i.section == 0]
    assert all(by_id[i.question_id].kind == "single" and i.points == 2 for i in first)
    assert all("数据保护" in by_id[i.question_id].tags for i in paper if i.section == 1)
    assert sorted(i.question_id for i in paper if i.section == 2) == [2, 4]
    assert len({i.question_id for i in paper}) == len(paper), "no question twice"


def test_options_are_shuffled_only_for_choice_questions_and_are_permutations():
    paper = draw_paper(seed=99, sections=[SectionSpec(count=20)], candidates=pool())
    by_id = {c.id: c for c in pool()}
    for item in paper:
        assert sorted(item.option_order) == list(range(by_id[item.question_id].option_count))
    assert any(list(i.option_order) != sorted(i.option_order) for i in paper)


def test_no_shuffling_keeps_bank_order():
    paper = draw_paper(
        seed=1,
        sections=[SectionSpec(fixed_ids=(5, 1, 3))],
        candidates=pool(),
        shuffle_questions=False,
        shuffle_options=False,
    )
    assert [i.question_id for i in paper] == [5, 1, 3]
    assert paper[0].option_order == (0, 1, 2, 3)


def test_a_blueprint_asking_for_more_than_the_bank_has_is_refused_with_the_section():
    sections = [SectionSpec(count=3), SectionSpec(count=50, kind="true_false")]
    shortfalls = blueprint_shortfalls(sections, pool())
    assert [(s.section, s.wanted, s.available) for s in shortfalls] == [(1, 50, 10)]
    with pytest.raises(BlueprintShortfall):
        draw_paper(seed=1, sections=sections, candidates=pool())


def test_a_narrow_section_is_not_starved_by_a_broad_one():
    candidates = pool(10)
    tagged = sum(1 for c in candidates if "数据保护" in c.tags)
    sections = [SectionSpec(count=10 - tagged), SectionSpec(count=tagged, tag="数据保护")]
    for seed in range(30):
        assert len(draw_paper(seed=seed, sections=sections, candidates=candidates)) == 10
