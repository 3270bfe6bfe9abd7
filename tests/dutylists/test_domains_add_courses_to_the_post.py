"""A duty's compliance domain adds the matching courses to the post: its holders are enrolled,
through learning; another organisation's course is never added, and adding again adds nothing."""

import pytest

from lms.dutylists import services
from lms.dutylists.models import PostCourse
from lms.learning.models import Enrolment
from tests.factories.content import course
from tests.factories.dutylists import write
from tests.factories.organisations import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_the_domain_courses_are_added_and_the_holder_enrolled(world, client):
    other = OrganisationFactory(name="别家公司")
    theirs = course(title="别家反贿赂课", owner=other)
    theirs.domains.add("反商业贿赂")
    theirs.save()
    unrelated = course(title="安全生产")
    unrelated.domains.add("安全生产")
    unrelated.save()
    head = world["head"].user
    write(head, world["position"], "不收受回扣。", domain_ids=[world["domain"].pk])
    client.force_login(head)
    response = client.post(f"/duty-lists/positions/{world['position'].pk}/courses/")
    assert response.status_code == 302
    assert [p.course for p in PostCourse.objects.all()] == [world["course"]]
    enrolment = Enrolment.objects.get(user=world["buyer"].user)
    assert enrolment.course == world["course"] and enrolment.due_on is not None
    again = services.post_courses_add(actor=head, position_id=world["position"].pk)
    assert again["courses"] == [] and again["enrolments"] == 0
    assert Enrolment.objects.filter(user=world["buyer"].user).count() == 1


def test_a_list_without_domains_adds_nothing(world):
    write(world["head"].user, world["position"], "不收受回扣。")
    with pytest.raises(services.DutyListRefused):
        services.post_courses_add(actor=world["head"].user, position_id=world["position"].pk)


def test_a_learner_cannot_add_courses(world, client):
    write(world["head"].user, world["position"], domain_ids=[world["domain"].pk])
    client.force_login(world["learner"].user)
    response = client.post(f"/duty-lists/positions/{world['position'].pk}/courses/")
    assert response.status_code == 403
    assert not PostCourse.objects.exists()
