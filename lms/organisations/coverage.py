"""Compliance staffing coverage (SASAC plan 二(二)6 and 8, 三(二)), as a pure function over plain
data: no database here, the selector `coverage_of` feeds it.

The rules: a chief compliance officer at group level (an organisation with no parent) and in
every key subsidiary; one or two part-time compliance administrators in every business or
functional department. The plan's targets: 85% by the end of 2023, 100% by the end of 2024.
"""

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

MAX_PART_TIME_ADMINS = 2


@dataclass(frozen=True)
class Target:
    due: date
    percent: int


TARGETS = (Target(date(2023, 12, 31), 85), Target(date(2024, 12, 31), 100))


class GapKind(StrEnum):
    NO_CCO = "no_cco"
    NO_ADMIN = "no_admin"
    TOO_MANY_ADMINS = "too_many_admins"


@dataclass(frozen=True)
class DepartmentFacts:
    id: int
    name: str
    is_business: bool
    part_time_admins: int


@dataclass(frozen=True)
class OrganisationFacts:
    id: int
    name: str
    parent_id: int | None
    is_key_subsidiary: bool
    chief_compliance_officers: int
    departments: tuple[DepartmentFacts, ...] = ()
    # At the top of its group (no parent on the platform), whatever the report starts from.
    is_group_level: bool | None = None


@dataclass(frozen=True)
class Gap:
    kind: GapKind
    organisation_id: int
    organisation_name: str
    department_name: str = ""

    @property
    def is_red(self) -> bool:
        """Something missing (a red flag); too many administrators is only a warning."""
        return self.kind != GapKind.TOO_MANY_ADMINS


@dataclass
class Tally:
    required: int = 0
    filled: int = 0

    @property
    def percent(self) -> int:
        return 100 if not self.required else (100 * self.filled) // self.required

    def add(self, other: "Tally") -> None:
        self.required += other.required
        self.filled += other.filled


@dataclass
class OrganisationCoverage:
    facts: OrganisationFacts
    needs_cco: bool
    cco: Tally
    administrators: Tally
    gaps: list[Gap]

    @property
    def posts(self) -> Tally:
        return Tally(
            self.cco.required + self.administrators.required,
            self.cco.filled + self.administrators.filled,
        )


@dataclass
class GroupCoverage:
    """An organisation and every organisation below it, each with its own coverage, and the
    totals rolled up."""

    root_id: int
    organisations: list[OrganisationCoverage]
    cco: Tally = field(default_factory=Tally)
    administrators: Tally = field(default_factory=Tally)

    @property
    def posts(self) -> Tally:
        return Tally(
            self.cco.required + self.administrators.required,
            self.cco.filled + self.administrators.filled,
        )

    @property
    def gaps(self) -> list[Gap]:
        return [gap for org in self.organisations for gap in org.gaps]

    @property
    def red_flags(self) -> int:
        return sum(1 for gap in self.gaps if gap.is_red)


def needs_cco(facts: OrganisationFacts) -> bool:
    """At group level (no parent) and in every key subsidiary."""
    group_level = facts.parent_id is None if facts.is_group_level is None else facts.is_group_level
    return group_level or facts.is_key_subsidiary


def organisation_coverage(facts: OrganisationFacts) -> OrganisationCoverage:
    gaps: list[Gap] = []
    required = needs_cco(facts)
    cco = Tally(int(required), int(required and facts.chief_compliance_officers > 0))
    if required and not facts.chief_compliance_officers:
        gaps.append(Gap(GapKind.NO_CCO, facts.id, facts.name))
    administrators = Tally()
    for department in sorted(facts.departments, key=lambda d: d.name):
        if not department.is_business:
            continue
        administrators.required += 1
        if department.part_time_admins:
            administrators.filled += 1
        else:
            gaps.append(Gap(GapKind.NO_ADMIN, facts.id, facts.name, department.name))
        if department.part_time_admins > MAX_PART_TIME_ADMINS:
            gaps.append(Gap(GapKind.TOO_MANY_ADMINS, facts.id, facts.name, department.name))
    return OrganisationCoverage(facts, required, cco, administrators, gaps)


def group_coverage(root_id: int, organisations: list[OrganisationFacts]) -> GroupCoverage:
    """The coverage of `root_id` and everything below it among `organisations` (others are
    ignored), the root first, then each level below by name."""
    children: dict[int | None, list[OrganisationFacts]] = {}
    by_id = {facts.id: facts for facts in organisations}
    for facts in organisations:
        children.setdefault(facts.parent_id, []).append(facts)
    ordered: list[OrganisationFacts] = []
    seen: set[int] = set()
    level = [by_id[root_id]] if root_id in by_id else []
    while level:
        level = [facts for facts in level if facts.id not in seen]
        seen.update(facts.id for facts in level)
        ordered.extend(level)
        level = sorted(
            (child for facts in level for child in children.get(facts.id, [])),
            key=lambda f: f.name,
        )
    result = GroupCoverage(root_id, [organisation_coverage(facts) for facts in ordered])
    for org in result.organisations:
        result.cco.add(org.cco)
        result.administrators.add(org.administrators)
    return result


def target_due(today: date) -> Target:
    """The target that applies on `today`: the next one to fall due, or the last."""
    for target in TARGETS:
        if today <= target.due:
            return target
    return TARGETS[-1]


def on_track(percent: int, today: date) -> bool:
    """Whether a rate meets the target that applies on `today`."""
    return percent >= target_due(today).percent
