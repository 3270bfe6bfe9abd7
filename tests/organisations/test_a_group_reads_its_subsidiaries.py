"""A group's chief compliance officer, compliance head and administrators read their
subsidiaries (transitively), read-only; a subsidiary never sees its parent or its siblings; a
regulator is not affected (issue 11 item 5)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from lms.organisations import selectors, services
from lms.organisations.access import access_for
from lms.organisations.models import Staff
from tests.factories.organisations import person
from tests.organisations.group_world import R, build_group_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return build_group_world()


def fresh(staff):
    """The person's user, with no cached scope."""
    return type(staff.user).objects.get(pk=staff.user_id)


def test_the_groups_cco_head_and_administrators_read_every_subsidiary_below_it(world):
    below = {world.subsidiary.pk, world.grandchild.pk, world.sibling.pk}
    for who in (world.group_cco, world.group_head, world.group_admin):
        assert access_for(fresh(who)).group_read_org_ids == below, who


def test_part_time_administrators_and_learners_of_the_group_read_no_subsidiary(world):
    for who in (world.group_part_time, world.group_learner):
        assert access_for(fresh(who)).group_read_org_ids == frozenset()
        assert not selectors.subsidiaries_readable_by(fresh(who)).exists()


def test_a_subsidiary_reads_only_below_itself_never_its_parent_or_sibling(world):
    access = access_for(fresh(world.subsidiary_head))
    assert access.group_read_org_ids == {world.grandchild.pk}
    assert not access.may_read_group_of(world.group.pk)
    assert not access.may_read_group_of(world.sibling.pk)
    assert access_for(fresh(world.sibling_head)).group_read_org_ids == frozenset()


def test_a_regulator_is_not_affected(world):
    officer = fresh(world.regulator_officer)
    access = access_for(officer)
    assert access.group_read_org_ids == frozenset()
    assert not selectors.subsidiaries_readable_by(officer).exists()
    # Its jurisdiction still reaches the group's listed enterprise and its direct subsidiaries.
    visible = set(selectors.organisations_visible_to(officer).values_list("pk", flat=True))
    assert {world.group.pk, world.subsidiary.pk, world.sibling.pk} <= visible


def test_reading_a_subsidiary_grants_no_roster_and_no_rank_there(world):
    cco = fresh(world.group_cco)
    access = access_for(cco)
    assert access.rank_in(world.subsidiary.pk) == 0
    assert world.subsidiary.pk not in access.admin_org_ids
    assert not selectors.staff_manageable_by(cco).filter(organisation=world.subsidiary).exists()
    assert not selectors.staff_changeable_by(cco).filter(organisation=world.subsidiary).exists()
    assert not selectors.staff_visible_to(cco).filter(organisation=world.subsidiary).exists()
    assert not selectors.roster_organisations_for(cco).filter(pk=world.subsidiary.pk).exists()


def test_a_group_administrator_cannot_change_a_subsidiarys_person_through_the_service(world):
    learner = world.subsidiary_learner
    learner.status = Staff.Status.LEFT
    with pytest.raises(PermissionDenied):
        services.staff_save(staff=learner, actor=fresh(world.group_cco))
    assert Staff.objects.get(pk=learner.pk).status == Staff.Status.ACTIVE


def test_a_group_administrator_cannot_add_a_person_to_a_subsidiary(world):
    newcomer = person(world.other)
    newcomer.pk = None
    newcomer.organisation = world.subsidiary
    newcomer.employee_number = "NEW0001"
    with pytest.raises((PermissionDenied, ValidationError)):
        services.staff_save(staff=newcomer, actor=fresh(world.group_admin))
    assert not Staff.objects.filter(employee_number="NEW0001").exists()


def test_a_group_administrator_cannot_edit_a_subsidiarys_person_in_the_admin(client, world):
    learner = world.subsidiary_learner
    before = Staff.objects.filter(pk=learner.pk).values().get()
    client.force_login(world.group_cco.user)
    for url in (f"/admin/staff/edit/{learner.pk}/", f"/admin/staff/inspect/{learner.pk}/"):
        response = client.get(url)
        assert response.status_code in (302, 403, 404), url
    response = client.post(
        f"/admin/staff/edit/{learner.pk}/",
        {
            "organisation": learner.organisation_id,
            "department": learner.department_id,
            "position": learner.position_id,
            "employee_number": learner.employee_number,
            "status": Staff.Status.LEFT,
        },
    )
    assert response.status_code in (302, 403, 404)
    assert Staff.objects.filter(pk=learner.pk).values().get() == before


def test_the_subsidiarys_own_head_still_acts_on_its_people(world):
    learner = world.subsidiary_learner
    learner.status = Staff.Status.ON_LEAVE
    services.staff_save(staff=learner, actor=fresh(world.subsidiary_head))
    assert Staff.objects.get(pk=learner.pk).status == Staff.Status.ON_LEAVE


def test_a_deputy_in_the_subsidiary_is_not_promoted_by_the_group_scope(world):
    """Rank stays per organisation: the group's CCO ranks nothing in the subsidiary, so even a
    plain learner there is out of reach, and the subsidiary's head is too."""
    cco = access_for(fresh(world.group_cco))
    assert cco.rank_in(world.subsidiary.pk) == 0
    other_head = person(world.subsidiary, role=R.ADMIN_FULL_TIME)
    assert not selectors.staff_changeable_by(fresh(world.group_cco)).filter(
        pk__in=[other_head.pk, world.subsidiary_head.pk]
    )
