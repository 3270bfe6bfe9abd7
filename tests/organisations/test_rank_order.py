"""The rank rule on its own (lms/organisations/rank.py): no database."""

import pytest

from lms.organisations import rank
from lms.organisations.models import ComplianceRole as R
from lms.organisations.rank import Membership, Refusal

ORDER = [R.NONE, R.ADMIN_PART_TIME, R.ADMIN_FULL_TIME, R.COMPLIANCE_HEAD]
ORDER += [R.CHIEF_COMPLIANCE_OFFICER, R.PRINCIPAL]


def member(role=R.NONE, *, position_id=1, needs_exam=False, left=False) -> Membership:
    return Membership(position_id=position_id, role=role, needs_exam=needs_exam, left=left)


def test_the_order_from_learner_to_principal_and_platform_administrators_above_all():
    ranks = [rank.rank_of(role) for role in ORDER]
    assert ranks == sorted(set(ranks))
    assert max(ranks) < rank.PLATFORM_ADMIN_RANK
    assert rank.rank_of(None) == rank.rank_of(R.NONE) == 0
    assert set(rank.roles_below(rank.rank_of(R.COMPLIANCE_HEAD))) >= {
        R.NONE,
        R.ADMIN_PART_TIME,
        R.ADMIN_FULL_TIME,
    }
    assert R.COMPLIANCE_HEAD not in rank.roles_below(rank.rank_of(R.COMPLIANCE_HEAD))


@pytest.mark.parametrize(
    "role, needs_exam, expected",
    [(R.NONE, False, False), (R.NONE, True, True), (R.ADMIN_PART_TIME, False, True)],
)
def test_a_position_with_a_role_or_an_exam_is_given_only_by_appointment(role, needs_exam, expected):
    assert rank.needs_appointment(role=role, needs_exam=needs_exam) is expected


def test_nobody_changes_their_own_record_whatever_their_rank():
    before = member(R.ADMIN_PART_TIME)
    for actor_rank in (1, 3, rank.PLATFORM_ADMIN_RANK):
        refusal = rank.staff_change_refusal(
            actor_rank=actor_rank, is_self=True, before=before, after=member(R.NONE)
        )
        assert refusal == Refusal.SELF


@pytest.mark.parametrize("actor", [R.ADMIN_PART_TIME, R.ADMIN_FULL_TIME, R.COMPLIANCE_HEAD])
def test_a_record_at_or_above_the_actor_is_not_theirs_to_change(actor):
    actor_rank = rank.rank_of(actor)
    for target in ORDER:
        refusal = rank.staff_change_refusal(
            actor_rank=actor_rank,
            is_self=False,
            before=member(target),
            after=member(target, left=True),
        )
        expected = Refusal.OUTRANKED if rank.rank_of(target) >= actor_rank else None
        assert refusal == expected, target


def test_a_new_position_that_needs_an_appointment_is_refused_even_to_a_platform_administrator():
    top = rank.PLATFORM_ADMIN_RANK
    cco = member(R.CHIEF_COMPLIANCE_OFFICER, position_id=9)
    assert (
        rank.staff_change_refusal(actor_rank=top, is_self=False, before=member(), after=cco)
        == Refusal.NEEDS_APPOINTMENT
    )
    assert (
        rank.staff_change_refusal(actor_rank=top, is_self=False, before=None, after=cco)
        == Refusal.NEEDS_APPOINTMENT
    )
    exam_post = member(position_id=8, needs_exam=True)
    assert (
        rank.staff_change_refusal(actor_rank=2, is_self=False, before=None, after=exam_post)
        == Refusal.NEEDS_APPOINTMENT
    )
    # Keeping the position one holds is no new grant; a plain position needs nothing.
    part_time = member(R.ADMIN_PART_TIME, position_id=4)
    assert (
        rank.staff_change_refusal(
            actor_rank=2,
            is_self=False,
            before=part_time,
            after=member(R.ADMIN_PART_TIME, position_id=4),
        )
        is None
    )
    assert (
        rank.staff_change_refusal(actor_rank=1, is_self=False, before=None, after=member()) is None
    )


def test_taking_back_someone_who_left_in_a_compliance_role_needs_an_appointment():
    left = member(R.ADMIN_PART_TIME, position_id=4, left=True)
    back = member(R.ADMIN_PART_TIME, position_id=4, left=False)
    assert (
        rank.staff_change_refusal(actor_rank=2, is_self=False, before=left, after=back)
        == Refusal.NEEDS_APPOINTMENT
    )
    as_clerk = member(R.NONE, position_id=5, left=False)
    assert (
        rank.staff_change_refusal(actor_rank=2, is_self=False, before=left, after=as_clerk) is None
    )


def test_deciding_an_appointment_needs_a_rank_above_the_position_and_the_person():
    head, cco = rank.rank_of(R.COMPLIANCE_HEAD), rank.rank_of(R.CHIEF_COMPLIANCE_OFFICER)

    def decide(actor_rank, *, person=R.NONE, position=R.COMPLIANCE_HEAD, is_self=False):
        return rank.appointment_refusal(
            actor_rank=actor_rank,
            is_self=is_self,
            person_role=person,
            position_role=position,
            deciding=True,
        )

    assert decide(rank.rank_of(R.ADMIN_FULL_TIME)) == Refusal.ROLE_OUTRANKS
    assert decide(head) == Refusal.ROLE_OUTRANKS
    assert decide(cco) is None
    assert decide(cco, position=R.CHIEF_COMPLIANCE_OFFICER) == Refusal.ROLE_OUTRANKS
    assert decide(rank.PLATFORM_ADMIN_RANK, position=R.PRINCIPAL) is None
    assert decide(cco, person=R.COMPLIANCE_HEAD, position=R.NONE) is None
    assert decide(head, person=R.COMPLIANCE_HEAD, position=R.NONE) == Refusal.OUTRANKED
    assert decide(rank.PLATFORM_ADMIN_RANK, is_self=True) == Refusal.SELF
    # Proposing is not deciding: any position may be proposed for someone below.
    assert (
        rank.appointment_refusal(
            actor_rank=1,
            is_self=False,
            person_role=R.NONE,
            position_role=R.CHIEF_COMPLIANCE_OFFICER,
            deciding=False,
        )
        is None
    )


def test_who_decides_an_appointment_to_each_role():
    deciders = [R.CHIEF_COMPLIANCE_OFFICER, R.COMPLIANCE_HEAD, R.ADMIN_FULL_TIME]
    assert rank.deciders_of(R.COMPLIANCE_HEAD, deciders) == [R.CHIEF_COMPLIANCE_OFFICER]
    assert rank.deciders_of(R.CHIEF_COMPLIANCE_OFFICER, deciders) == []
    assert rank.deciders_of(R.ADMIN_PART_TIME, deciders) == deciders


def test_a_positions_role_changes_only_below_the_actor_and_never_upwards_while_held():
    head = rank.rank_of(R.COMPLIANCE_HEAD)

    def change(before, after, *, held=False, actor_rank=head):
        return rank.position_change_refusal(
            actor_rank=actor_rank, role_before=before, role_after=after, held=held
        )

    assert change(None, R.ADMIN_FULL_TIME) is None
    assert change(None, R.COMPLIANCE_HEAD) == Refusal.ROLE_OUTRANKS
    assert change(R.CHIEF_COMPLIANCE_OFFICER, R.NONE) == Refusal.ROLE_OUTRANKS
    assert change(R.NONE, R.ADMIN_PART_TIME, held=True) == Refusal.RAISES_HOLDERS
    assert change(R.NONE, R.ADMIN_PART_TIME, held=False) is None
    assert change(R.ADMIN_FULL_TIME, R.NONE, held=True) is None
    assert change(R.NONE, R.NONE, held=True) is None
