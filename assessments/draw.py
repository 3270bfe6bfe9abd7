"""Drawing a paper from a blueprint: a pure, seeded function.

Given the same seed, sections and candidate questions, `draw_paper` returns the same questions,
question order and option order, so any paper can be rebuilt from the seed stored on its
attempt. Candidates are sorted by id first, so the order the database returns them in does not
matter.
"""

import random
from dataclasses import dataclass, field
from decimal import Decimal

ALGORITHM_VERSION = 1


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


def _selection(
    sections: list[SectionSpec], candidates: list[Candidate], rng: random.Random | None
) -> tuple[list[list[Candidate]], list[SectionShortfall]]:
    by_id = {c.id: c for c in candidates}
    pool = sorted(candidates, key=lambda c: c.id)
    taken: set[int] = {i for s in sections for i in s.fixed_ids}
    chosen: list[list[Candidate]] = [[] for _ in sections]
    problems: list[SectionShortfall] = []

    # The most constrained sections choose first, so a broad section cannot starve a narrow one.
    def eligible_count(index: int) -> int:
        return sum(1 for c in pool if sections[index].matches(c))

    order = sorted(range(len(sections)), key=lambda i: (eligible_count(i), i))
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
            chosen[index] = eligible
            continue
        picked = rng.sample(eligible, section.count) if rng else eligible[: section.count]
        taken.update(c.id for c in picked)
        chosen[index] = picked
    problems.sort(key=lambda p: p.section)
    return chosen, problems


def blueprint_shortfalls(
    sections: list[SectionSpec], candidates: list[Candidate]
) -> list[SectionShortfall]:
    """Sections the bank cannot fill (checked when a blueprint is saved)."""
    # Sections are filled in order; a deterministic greedy fill is a fair check of the count.
    return _selection(sections, candidates, rng=None)[1]


def draw_paper(
    *,
    seed: int,
    sections: list[SectionSpec],
    candidates: list[Candidate],
    shuffle_questions: bool = True,
    shuffle_options: bool = True,
) -> list[PaperItem]:
    rng = random.Random(seed)
    chosen, problems = _selection(sections, candidates, rng)
    if problems:
        raise BlueprintShortfall(problems)
    items: list[PaperItem] = []
    for index, (section, questions) in enumerate(zip(sections, chosen, strict=True)):
        ordered = list(questions)
        if shuffle_questions:
            rng.shuffle(ordered)
        for c in ordered:
            order = list(range(c.option_count))
            if shuffle_options and c.kind in ("single", "multiple"):
                rng.shuffle(order)
            items.append(PaperItem(c.id, index, Decimal(section.points), tuple(order)))
    return items
