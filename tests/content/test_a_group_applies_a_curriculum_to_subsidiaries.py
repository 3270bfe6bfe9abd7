"""The group's compliance head or CCO applies a curriculum to its subsidiaries: the group's
assignment reaches the matching staff of every subsidiary below it (departments matched by
name), who open the group's course; no one else turns a curriculum group-wide, and a
subsidiary's group-wide curriculum never reaches its parent or its sibling (issue 11 item 5)."""

import pytest

from content import selectors as content_selectors
from content.models import Curriculum
from lms.learning import group_assignment, services
from lms.learning.models import Enrolment
from lms.organisations.models import Department
from tests.content.test_build_a_curriculum import ADD_URL, _form
from tests.factories import content as cf
from tests.factories.organisations import person
from tests.organisations.group_world import build_group_world

pytestmark = pytest.mark.django_db


def fresh(staff):
    return type(staff.user).objects.get(pk=staff.user_id)


@pytest.fixture
def world(db):
    world = build_group_world()
    world.other_learner = person(world.other)
    world.grandchild_learner = person(world.grandchild)
    world.sibling_learner = person(world.sibling)
    world.course = cf.course(title="集团廉洁从业必修课", owner=world.group)
    return world


def enrolled(curriculum) -> set[int]:
    return set(Enrolment.objects.filter(curriculum=curriculum).values_list("staff_id", flat=True))


def group_form(world, **overrides):
    fields = {"audience_roles": None, "audience_everyone": "on", "apply_to_subsidiaries": "on"}
    return _form(world.group, courses=[world.course], **(fields | overrides))


def test_the_groups_cco_assigns_every_subsidiary_in_one_save(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.group_cco.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, group_form(world))
    assert response.status_code == 302, response.content.decode()[:2000]
    curriculum = Curriculum.objects.get()
    assert curriculum.apply_to_subsidiaries
    reached = enrolled(curriculum)
    for who in (
        world.group_learner,
        world.subsidiary_learner,
        world.subsidiary_head,
        world.grandchild_learner,
        world.sibling_learner,
    ):
        assert who.pk in reached, who
    assert world.other_learner.pk not in reached


def test_without_the_option_the_curriculum_stays_in_the_group(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.group_head.user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADD_URL, group_form(world, apply_to_subsidiaries=None))
    assert response.status_code == 302
    reached = enrolled(Curriculum.objects.get())
    assert world.group_learner.pk in reached
    assert world.subsidiary_learner.pk not in reached and world.sibling_learner.pk not in reached
    # and the subsidiary's people do not open the group's own course
    assert not content_selectors.course_visible_to(
        user=fresh(world.subsidiary_learner), course=world.course
    )


def test_a_full_time_administrator_of_the_group_cannot_turn_it_group_wide(client, world):
    client.force_login(world.group_admin.user)
    response = client.post(ADD_URL, group_form(world))
    assert response.status_code == 200
    assert "首席合规官" in response.content.decode()
    assert not Curriculum.objects.exists()
    assert not Enrolment.objects.exists()


def test_a_subsidiary_head_cannot_make_the_group_own_a_curriculum(client, world):
    client.force_login(world.subsidiary_head.user)
    response = client.post(ADD_URL, group_form(world))
    assert response.status_code == 200
    assert not Curriculum.objects.exists()


def test_a_subsidiarys_group_wide_curriculum_never_reaches_its_parent_or_sibling(world):
    own_course = cf.course(title="置业必修课", owner=world.subsidiary)
    curriculum = cf.curriculum(
        courses=[own_course],
        owner=world.subsidiary,
        audience_everyone=True,
        apply_to_subsidiaries=True,
    )
    group_assignment.assignment_run_for_curriculum(curriculum=curriculum)
    reached = enrolled(curriculum)
    assert {world.subsidiary_learner.pk, world.grandchild_learner.pk} <= reached
    for who in (world.group_learner, world.sibling_learner, world.other_learner):
        assert who.pk not in reached, who
    # nor does the nightly run of the parent or the sibling pick it up
    services.assignment_run(organisation=world.group)
    services.assignment_run(organisation=world.sibling)
    assert enrolled(curriculum) == reached
    for who in (world.group_learner, world.sibling_learner):
        assert not content_selectors.course_visible_to(user=fresh(who), course=own_course)


def test_the_groups_departments_reach_the_subsidiarys_departments_of_the_same_name(world):
    group_legal = Department.objects.get(organisation=world.group, name="法务合规部")
    curriculum = cf.curriculum(
        courses=[world.course], owner=world.group, apply_to_subsidiaries=True
    )
    curriculum.audience_departments.add(group_legal)
    curriculum.save()  # a parental many-to-many is written on save
    group_assignment.assignment_run_for_curriculum(curriculum=curriculum)
    reached = enrolled(curriculum)
    assert world.group_cco.pk in reached  # the group's own 法务合规部
    assert world.subsidiary_head.pk in reached  # 丙城投置业's 法务合规部
    assert world.subsidiary_learner.pk not in reached  # its 运营部
    assert world.sibling_head.pk not in reached  # 丙城投建设 has no 法务合规部


def test_a_subsidiarys_people_open_the_groups_course_and_newcomers_are_picked_up(world):
    curriculum = cf.curriculum(
        courses=[world.course],
        owner=world.group,
        apply_to_subsidiaries=True,
        audience_everyone=True,
    )
    learner = fresh(world.subsidiary_learner)
    assert content_selectors.course_visible_to(user=learner, course=world.course)
    assert content_selectors.courses_visible_to(user=learner).filter(pk=world.course.pk).exists()
    assert not content_selectors.course_visible_to(
        user=fresh(world.other_learner), course=world.course
    )
    newcomer = person(world.grandchild)
    assert services.assignment_run(organisation=world.grandchild, staff_ids=[newcomer.pk]) == 1
    assert newcomer.pk in enrolled(curriculum)
    # switched off, the group's course closes to the subsidiary again
    curriculum.is_active = False
    curriculum.save()
    assert not content_selectors.course_visible_to(
        user=fresh(world.grandchild_learner), course=world.course
    )
