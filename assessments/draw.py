"""Drawing a paper from a blueprint: a pure, seeded function.

Given the same seed, sections and candidate questions, `draw_paper` returns the same questions,
question order and option order, so any paper can be rebuilt from the seed stored on its
attempt. Candidates are sorted by id first, so the order the database returns them in does not
matter.
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

ALGORITHM_VERSION = 1
_SHUFFLED_KINDS = frozenset({"single", "multiple"})


@dataclass(frozen=True)
class Candidate:
    id: int
    kind: str
    tags: frozenset[str] = frozenset()
    difficulty: int = 3
    option_count: int = 0


@dataclass(frozen=True)
class SectionSpec:
    count: int = 0
    points: Decimal = Decimal(1)
    kind: str = ""
    tag: str = ""
    difficulty_min: int = 1
    difficulty_max: int = 5
    fixed_ids: tuple[int, ...] = field(default_factory=tuple)
    title: str = ""

    def matches(self, c: Candidate) -> bool:
        return (
            (not self.kind or c.kind == self.kind)
            and (not self.tag or self.tag in c.tags)
            and self.difficulty_min <= c.difficulty <= self.difficulty_max
        )

    @property
    def size(self) -> int:
        return len(self.fixed_ids) if self.fixed_ids else self.count


@dataclass(frozen=True)
class PaperItem:
    question_id: int
    section: int
    points: Decimal
    option_order: tuple[int, ...]


class BlueprintShortfall(Exception):
    """The bank cannot fill the blueprint; `problems` says which sections fall short."""

    def __init__(self, problems: list["SectionShortfall"]):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class SectionShortfall:
    section: int
    wanted: int
    available: int
    missing_fixed: tuple[int, ...] = ()

    def __str__(self):
        if self.missing_fixed:
            return f"section {self.section + 1}: fixed questions not available {self.missing_fixed}"
        return f"section {self.section + 1}: wants {self.wanted}, bank has {self.available}"


@dataclass(frozen=True)
class DrawIndex:
    """A bank's candidates indexed by a blueprint's sections, built once per bank version.

    `eligible[i]` holds the candidates section i may draw, in id order; `order` is the order the
    sections choose in: the most constrained first, so a broad section cannot starve a narrow
    one. Drawing from the index gives exactly the paper filtering the whole bank per section
    would give for the same seed (tests/assessments/test_draw.py holds that filter as a
    reference and compares them).
    """

    sections: tuple[SectionSpec, ...]
    by_id: dict[int, Candidate]
    eligible: tuple[tuple[Candidate, ...], ...]
    eligible_ids: tuple[frozenset[int], ...]
    order: tuple[int, ...]
    fixed_ids: frozenset[int]


def index_candidates(sections: list[SectionSpec], candidates: list[Candidate]) -> DrawIndex:
    """Index the candidates by (type, difficulty) and tag, then list each section's eligible
    candidates once: a draw then never tests a candidate against a section."""
    by_id = {c.id: c for c in candidates}
    buckets: dict[tuple[str, int], list[Candidate]] = {}
    tagged: dict[str, set[int]] = {}
    for c in candidates:
        buckets.setdefault((c.kind, c.difficulty), []).append(c)
        for tag in c.tags:
            tagged.setdefault(tag, set()).add(c.id)
    eligible: list[tuple[Candidate, ...]] = []
    for section in sections:
        found = [
            c
            for (kind, difficulty), bucket in buckets.items()
            if (not section.kind or kind == section.kind)
            and section.difficulty_min <= difficulty <= section.difficulty_max
            for c in bucket
        ]
        if section.tag:
            with_tag = tagged.get(section.tag, set())
            found = [c for c in found if c.id in with_tag]
        found.sort(key=lambda c: c.id)
        eligible.append(tuple(found))
    order = sorted(range(len(sections)), key=lambda i: (len(eligible[i]), i))
    return DrawIndex(
        sections=tuple(sections),
        by_id=by_id,
        eligible=tuple(eligible),
        eligible_ids=tuple(frozenset(c.id for c in e) for e in eligible),
        order=tuple(order),
        fixed_ids=frozenset(i for s in sections for i in s.fixed_ids),
    )


def _selection(
    index: DrawIndex, rng: random.Random | None
) -> tuple[list[list[Candidate]], list[SectionShortfall]]:
    sections, by_id = index.sections, index.by_id
    taken: set[int] = set(index.fixed_ids)
    chosen: list[list[Candidate]] = [[] for _ in sections]
    problems: list[SectionShortfall] = []
    for i in index.order:
        section = sections[i]
        if section.fixed_ids:
            missing = tuple(q for q in section.fixed_ids if q not in by_id)
            if missing:
                problems.append(SectionShortfall(i, len(section.fixed_ids), 0, missing))
            chosen[i] = [by_id[q] for q in section.fixed_ids if q in by_id]
            continue
        pool: Sequence[Candidate] = index.eligible[i]
        if not taken.isdisjoint(index.eligible_ids[i]):
            pool = [c for c in pool if c.id not in taken]
        if len(pool) < section.count:
            problems.append(SectionShortfall(i, section.count, len(pool)))
            chosen[i] = list(pool)
            continue
        picked = rng.sample(pool, section.count) if rng else list(pool[: section.count])
        taken.update(c.id for c in picked)
        chosen[i] = picked
    problems.sort(key=lambda p: p.section)
    return chosen, problems


def blueprint_shortfalls(
    sections: list[SectionSpec], candidates: list[Candidate]
) -> list[SectionShortfall]:
    """Sections the bank cannot fill (checked when a blueprint is saved)."""
    # Sections are filled in order; a deterministic greedy fill is a fair check of the count.
    return _selection(index_candidates(sections, candidates), rng=None)[1]


def draw_paper(
    *,
    seed: int,
    sections: list[SectionSpec],
    candidates: list[Candidate],
    shuffle_questions: bool = True,
    shuffle_options: bool = True,
) -> list[PaperItem]:
    return draw_from_index(
        seed=seed,
        index=index_candidates(sections, candidates),
        shuffle_questions=shuffle_questions,
        shuffle_options=shuffle_options,
    )


def draw_from_index(
    *, seed: int, index: DrawIndex, shuffle_questions: bool = True, shuffle_options: bool = True
) -> list[PaperItem]:
    """The paper for `seed` (raises BlueprintShortfall when the bank cannot fill it)."""
    rng = random.Random(seed)
    chosen, problems = _selection(index, rng)
    if problems:
        raise BlueprintShortfall(problems)
    items: list[PaperItem] = []
    for number, (section, questions) in enumerate(zip(index.sections, chosen, strict=True)):
        ordered = list(questions)
        if shuffle_questions:
            rng.shuffle(ordered)
        points = Decimal(section.points)
        for c in ordered:
            order = list(range(c.option_count))
            if shuffle_options and c.kind in _SHUFFLED_KINDS:
                rng.shuffle(order)
            items.append(PaperItem(c.id, number, points, tuple(order)))
    return items
