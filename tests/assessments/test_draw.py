"""The draw is a pure seeded function: same seed, same paper (no database here)."""

import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assessments.draw import (
    BlueprintShortfall,
    Candidate,
    PaperItem,
    SectionShortfall,
    SectionSpec,
    blueprint_shortfalls,
    draw_from_index,
    draw_paper,
    index_candidates,
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


# --- the indexed draw against the filter it replaced -----------------------------------------


def filtered_draw(*, seed, sections, candidates, shuffle_questions=True, shuffle_options=True):
    """The draw as it was before the index: every section filters the whole bank afresh."""
    rng = random.Random(seed)
    by_id = {c.id: c for c in candidates}
    pool = sorted(candidates, key=lambda c: c.id)
    taken = {i for s in sections for i in s.fixed_ids}
    chosen: list[list[Candidate]] = [[] for _ in sections]
    problems = []
    order = sorted(
        range(len(sections)), key=lambda i: (sum(1 for c in pool if sections[i].matches(c)), i)
    )
    for index in order:
        section = sections[index]
        if section.fixed_ids:
            missing = tuple(i for i in section.fixed_ids if i not in by_id)
            if missing:
                problems.append(SectionShortfall(index, len(section.fixed_ids), 0, missing))
            chosen[index] = [by_id[i] for i in section.fixed_ids if i in by_id]
            continue
        eligible = [c for c in pool if c.id not in taken and section.matches(c)]
        if len(eligible) < section.count:
            problems.append(SectionShortfall(index, section.count, len(eligible)))
            continue
        picked = rng.sample(eligible, section.count)
        taken.update(c.id for c in picked)
        chosen[index] = picked
    if problems:
        raise BlueprintShortfall(sorted(problems, key=lambda p: p.section))
    items = []
    for index, (section, questions) in enumerate(zip(sections, chosen, strict=True)):
        ordered = list(questions)
        if shuffle_questions:
            rng.shuffle(ordered)
        for c in ordered:
            option_order = list(range(c.option_count))
            if shuffle_options and c.kind in ("single", "multiple"):
                rng.shuffle(option_order)
            items.append(PaperItem(c.id, index, Decimal(section.points), tuple(option_order)))
    return items


KINDS = ["single", "multiple", "true_false", "fill_in", "short_answer"]
TAGS = ["数据保护", "反商业贿赂", "安全生产", "劳动用工"]

banks = st.lists(
    st.builds(
        lambda kind, tags, difficulty: (kind, frozenset(tags), difficulty),
        st.sampled_from(KINDS),
        st.sets(st.sampled_from(TAGS), max_size=2),
        st.integers(1, 5),
    ),
    min_size=0,
    max_size=60,
).map(
    lambda rows: [
        Candidate(
            id=n * 7 + 3,  # ids with gaps, given in no particular order
            kind=kind,
            tags=tags,
            difficulty=difficulty,
            option_count=4 if kind in ("single", "multiple") else 0,
        )
        for n, (kind, tags, difficulty) in reversed(list(enumerate(rows)))
    ]
)


@st.composite
def blueprints(draw):
    sections, used = [], set()
    for _ in range(draw(st.integers(1, 5))):
        low = draw(st.integers(1, 5))
        if draw(st.integers(0, 5)) == 0:
            # a question is fixed once in a blueprint; most of them are in the bank, not all
            ids = st.integers(0, 62).map(lambda n: n * 7 + 3).filter(lambda i: i not in used)
            fixed = tuple(draw(st.lists(ids, min_size=1, max_size=3, unique=True)))
            used.update(fixed)
            sections.append(SectionSpec(fixed_ids=fixed, points=Decimal(5)))
            continue
        sections.append(
            SectionSpec(
                count=draw(st.integers(0, 12)),
                points=Decimal(draw(st.integers(1, 4))),
                kind=draw(st.sampled_from(["", *KINDS])),
                tag=draw(st.sampled_from(["", *TAGS])),
                difficulty_min=low,
                difficulty_max=draw(st.integers(low, 5)),
            )
        )
    return sections


def outcome(draw_function, **kwargs):
    try:
        return draw_function(**kwargs)
    except BlueprintShortfall as exc:
        return [str(p) for p in exc.problems]


@settings(max_examples=200, deadline=None)
@given(
    candidates=banks,
    sections=blueprints(),
    seed=st.integers(0, 2**62),
    shuffle_questions=st.booleans(),
    shuffle_options=st.booleans(),
)
def test_the_indexed_draw_gives_the_paper_the_whole_bank_filter_gave(
    candidates, sections, seed, shuffle_questions, shuffle_options
):
    kwargs = {
        "seed": seed,
        "sections": sections,
        "candidates": candidates,
        "shuffle_questions": shuffle_questions,
        "shuffle_options": shuffle_options,
    }
    indexed = outcome(draw_paper, **kwargs)
    assert indexed == outcome(filtered_draw, **kwargs), "same paper (or shortfall) per seed"
    index = index_candidates(sections, candidates)
    again = outcome(
        draw_from_index,
        seed=seed,
        index=index,
        shuffle_questions=shuffle_questions,
        shuffle_options=shuffle_options,
    )
    assert again == indexed, "one index serves every start"
    if indexed and isinstance(indexed[0], str):
        return
    by_id = {c.id: c for c in candidates}
    assert len({i.question_id for i in indexed}) == len(indexed), "no question twice"
    for number, section in enumerate(sections):
        drawn = [i for i in indexed if i.section == number]
        if section.fixed_ids:
            assert sorted(i.question_id for i in drawn) == sorted(section.fixed_ids)
        else:
            assert len(drawn) == section.count
            assert all(section.matches(by_id[i.question_id]) for i in drawn)
        assert all(i.points == section.points for i in drawn)
    for item in indexed:
        assert sorted(item.option_order) == list(range(by_id[item.question_id].option_count))
