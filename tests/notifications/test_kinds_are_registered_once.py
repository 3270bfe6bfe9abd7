"""Each app registers its kinds of notice once; a notice of a kind nobody registered is refused."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from lms.notifications import kinds
from lms.notifications.models import Notification
from lms.notifications.services import UnknownKind, notification_send
from tests.factories.organisations import person


def _render(params):
    return "subject", "body"


def test_the_registry_refuses_a_kind_registered_twice():
    before = kinds.get("overdue")
    with pytest.raises(kinds.DuplicateKind, match="overdue"):
        kinds.register("overdue", "Overdue again", render=_render)
    assert kinds.get("overdue") is before


@pytest.mark.parametrize("code", ["", "Overdue", "has space", "x" * 51, "1st"])
def test_a_kind_code_is_short_lower_case_and_plain(code):
    with pytest.raises(ImproperlyConfigured):
        kinds.register(code, "Label", render=_render)
    assert kinds.get(code) is None


def test_every_app_that_sends_notices_registered_its_kinds():
    codes = {kind.code for kind in kinds.registered()}
    assert {
        "assigned",
        "before_due",
        "due",
        "overdue",
        "escalation",
        "roster",  # learning
        "exam",
        "pre_appointment_exam",  # assessments
        "spotcheck_drawn",
        "spotcheck_failed",
        "rectification_demanded",
        "rectification_returned",  # spot checks
        "certificate",
        "records",
    } <= codes


@pytest.mark.django_db
def test_a_notice_of_an_unregistered_kind_is_refused_and_nothing_is_stored(org):
    user = person(org).user
    with pytest.raises(UnknownKind):
        notification_send(user=user, key="x", kind="made_up", params={})
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_params_must_be_plain_json_values(org):
    user = person(org).user
    with pytest.raises(TypeError):
        notification_send(user=user, key="x", kind="overdue", params={"course": object()})
    assert not Notification.objects.exists()
