"""The head's coverage view: key positions without a list, and people who have not acknowledged
the current version of their post's list. Learners do not see it."""

import pytest

from lms.dutylists import services
from lms.dutylists.models import DutyAcknowledgement
from tests.factories.dutylists import key_position, write
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


def test_coverage_lists_posts_without_a_list_and_people_who_have_not_acknowledged(world, client):
    org, head = world["org"], world["head"].user
    cashier_post = key_position(org, "出纳")
    write(head, world["position"])
    second = person(org, position=world["position"], user__full_name="孙采购")
    services.holders_changed(organisation_id=org.pk, staff_ids=[second.pk])
    ack = DutyAcknowledgement.objects.get(staff=second)
    services.duty_list_acknowledge(
        acknowledgement_id=ack.pk, user=second.user, typed_name="孙采购", confirmed=True
    )
    client.force_login(head)
    response = client.get("/duty-lists/coverage/")
    assert response.status_code == 200
    without = response.context["without_list"]
    assert [p.name for p in without] == [cashier_post.name]
    waiting = [u["staff"].user.full_name for u in response.context["unacknowledged"]]
    assert waiting == ["钱采购"]
    page = response.content.decode()
    assert "出纳" in page and "钱采购" in page


def test_a_new_version_puts_everyone_back_on_the_list(world, client):
    head, buyer = world["head"].user, world["buyer"]
    write(head, world["position"])
    ack = DutyAcknowledgement.objects.get(staff=buyer)
    services.duty_list_acknowledge(
        acknowledgement_id=ack.pk, user=buyer.user, typed_name="钱采购", confirmed=True
    )
    client.force_login(head)
    assert client.get("/duty-lists/coverage/").context["unacknowledged"] == []
    write(head, world["position"], "新增职责。")
    waiting = client.get("/duty-lists/coverage/").context["unacknowledged"]
    assert [(u["staff"], u["version"]) for u in waiting] == [(buyer, 2)]


def test_a_learner_has_no_coverage_view(world, client):
    client.force_login(world["learner"].user)
    assert client.get("/duty-lists/coverage/").status_code == 404
