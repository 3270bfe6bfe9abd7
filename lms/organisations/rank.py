"""Compliance rank: who may act on whom. Pure rules, no database; access.py applies them.

The order (highest first), within one organisation:

    platform administrator            above everyone, everywhere
    主要负责人 principal               5
    首席合规官 chief compliance officer 4
    合规负责人 compliance head          3
    专职合规管理员 full-time admin       2
    兼职合规管理员 part-time admin       1   (regulator roles too: only platform admins manage them)
    no compliance role                0

A person acts on a staff record (position, department, status, anything on it) only if it ranks
strictly below them in that organisation, and never on their own. A position with a compliance
role, or one that needs a pre-appointment exam, is never given directly: only an appointment
gives it, decided by someone who ranks above the position's role (and above the person).
"""

from dataclasses import dataclass
from enum import StrEnum

from .models import ComplianceRole

PLATFORM_ADMIN_RANK = 100

RANKS: dict[str, int] = {
    ComplianceRole.PRINCIPAL: 5,
    ComplianceRole.CHIEF_COMPLIANCE_OFFICER: 4,
    ComplianceRole.COMPLIANCE_HEAD: 3,
    ComplianceRole.ADMIN_FULL_TIME: 2,
    ComplianceRole.ADMIN_PART_TIME: 1,
    ComplianceRole.REGULATOR_OFFICER: 1,
    ComplianceRole.REGULATOR_INSPECTOR: 1,
    ComplianceRole.NONE: 0,
}


def rank_of(role: str | None) -> int:
    return RANKS.get(role or ComplianceRole.NONE, 0)


def roles_below(rank: int) -> list[str]:
    """The compliance roles that rank strictly below `rank`."""
    return [role for role, value in RANKS.items() if value < rank]


def needs_appointment(*, role: str | None, needs_exam: bool) -> bool:
    """Whether a position is given only through an appointment (and its gates)."""
    return rank_of(role) > 0 or needs_exam


class Refusal(StrEnum):
    """Why the rank rule refuses a change (also the ValidationError code)."""

    SELF = "rank_self"
    OUTRANKED = "rank_outranked"  # the person ranks at or above the actor
    NEEDS_APPOINTMENT = "rank_needs_appointment"
    ROLE_OUTRANKS = "rank_role_outranks"  # the position's role ranks at or above the actor
    RAISES_HOLDERS = "rank_raises_holders"


@dataclass(frozen=True)
class Membership:
    """What of a staff record matters to rank: its position and whether the person has left."""

    position_id: int | None
    role: str
    needs_exam: bool
    left: bool


def staff_change_refusal(
    *, actor_rank: int, is_self: bool, before: Membership | None, after: Membership
) -> Refusal | None:
    """A change to a staff record (`before` None: a new person). Call it only when something
    changes."""
    if before is None:
        if needs_appointment(role=after.role, needs_exam=after.needs_exam):
            return Refusal.NEEDS_APPOINTMENT
        return None
    if is_self:
        return Refusal.SELF
    if rank_of(before.role) >= actor_rank:
        return Refusal.OUTRANKED
    if needs_appointment(role=after.role, needs_exam=after.needs_exam) and (
        after.position_id != before.position_id or (before.left and not after.left)
    ):
        # A new position, or taking someone back who left in it: their appointment ended.
        return Refusal.NEEDS_APPOINTMENT
    return None


def appointment_refusal(
    *, actor_rank: int, is_self: bool, person_role: str, position_role: str, deciding: bool
) -> Refusal | None:
    """Requesting (`deciding` False) or deciding an appointment. Anyone may propose a position;
    only someone ranking above its role decides it."""
    if is_self:
        return Refusal.SELF
    if rank_of(person_role) >= actor_rank:
        return Refusal.OUTRANKED
    if deciding and rank_of(position_role) >= actor_rank:
        return Refusal.ROLE_OUTRANKS
    return None


def position_change_refusal(
    *, actor_rank: int, role_before: str | None, role_after: str, held: bool
) -> Refusal | None:
    """Creating (`role_before` None) or changing a position. Changing its role changes the rank
    of everyone holding it, so only someone ranking above both roles does it, and never upwards
    while people hold it (that would give them a role without an appointment)."""
    if rank_of(role_after) >= actor_rank or (
        role_before is not None and rank_of(role_before) >= actor_rank
    ):
        return Refusal.ROLE_OUTRANKS
    if role_before is not None and held and rank_of(role_after) > rank_of(role_before):
        return Refusal.RAISES_HOLDERS
    return None


def deciders_of(role: str, decider_roles) -> list[str]:
    """The roles among `decider_roles` that rank above `role`, highest first."""
    return sorted(
        (r for r in decider_roles if rank_of(r) > rank_of(role)), key=rank_of, reverse=True
    )
