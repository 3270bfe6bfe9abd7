"""A staff member who moves into a key post with a duty list is asked to acknowledge it and is
enrolled in the courses the post carries."""

import pytest

from lms.dutylists import services
from lms.dutylists.models import DutyAcknowledgement
from lms.learning.models import Enrolment
from lms.notifications.models import Notification
from lms.organisations.services import staff_save
from tests.factories.dutylists import write

pytestmark = pytest.mark.django_db


def test_the_new_holder_is_asked_and_enrolled(world, django_capture_on_commit_callbacks):
    head, learner = world["head"].user, world["learner"]
    write(head, world["position"], "不收受回扣。", domain_ids=[world["domain"].pk])
    services.post_courses_add(actor=head, position_id=world["position"].pk)
    assert not DutyAcknowledgement.objects.filter(staff=learner).exists()

    learner.position = world["position"]
    with django_capture_on_commit_callbacks(execute=True):
        staff_save(staff=learner, actor=head)

    ack = DutyAcknowledgement.objects.get(staff=learner)
    assert ack.status == "pending" and ack.version.number == 1
    assert Notification.objects.filter(user=learner.user, kind="duty_list").exists()
    assert Enrolment.objects.filter(user=learner.user, course=world["course"]).exists()


def test_a_holder_who_acknowledged_is_not_asked_again(world):
    head, buyer = world["head"].user, world["buyer"]
    write(head, world["position"])
    ack = DutyAcknowledgement.objects.get(staff=buyer)
    services.duty_list_acknowledge(
        acknowledgement_id=ack.pk, user=buyer.user, typed_name=buyer.user.full_name, confirmed=True
    )
    asked = services.holders_changed(organisation_id=world["org"].pk, staff_ids=[buyer.pk])
    assert asked == 0
    assert DutyAcknowledgement.objects.filter(staff=buyer).count() == 1
