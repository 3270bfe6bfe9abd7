"""Who sees the dispatch: the principal and the organisation's compliance staff read its quarters,
reports and minutes; only the compliance head and CCO record; a learner and anyone of another
organisation get a 404 (a learner's attempt through the service is refused)."""

import pytest
from django.urls import reverse

from lms.dispatch import selectors, services
from lms.dispatch.models import DispatchMeeting
from lms.organisations.models import ComplianceRole
from tests.dispatch.conftest import Q, meeting_data, pdf
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(world):
    return services.meeting_record(actor=world["head"], **meeting_data(world, files=[pdf()]))


def _urls(world, meeting):
    query = f"?org={world['org'].pk}&quarter={Q.code}"
    return [
        reverse("dispatch:quarters") + f"?org={world['org'].pk}",
        reverse("dispatch:quarter") + query,
        reverse("dispatch:quarter_word") + query,
        reverse("dispatch:meeting", args=[meeting.pk]),
        reverse("dispatch:attachment", args=[meeting.pk, meeting.attachments.get().pk]),
    ]


@pytest.mark.parametrize("who", ["principal", "cco", "head", "admin", "part_time"])
def test_the_principal_and_compliance_staff_read_everything(client, world, meeting, who):
    client.force_login(world[who])
    for address in _urls(world, meeting):
        assert client.get(address).status_code == 200, address
    assert selectors.may_read_dispatch(world[who])


def test_the_principal_reads_but_does_not_record(client, world, meeting):
    client.force_login(world["principal"])
    new = reverse("dispatch:meeting_new") + f"?org={world['org'].pk}&quarter={Q.code}"
    assert client.get(new).status_code == 404
    assert client.post(reverse("dispatch:meeting_lock", args=[meeting.pk])).status_code == 404
    with pytest.raises(services.DispatchRefused) as refused:
        services.meeting_record(actor=world["principal"], **meeting_data(world))
    assert refused.value.status == 403


def test_a_learner_is_refused_recording_and_sees_nothing(client, world, meeting):
    with pytest.raises(services.DispatchRefused) as refused:
        services.meeting_record(actor=world["learner"], **meeting_data(world))
    assert refused.value.status == 404  # the organisation's dispatch does not exist for them
    client.force_login(world["learner"])
    new = reverse("dispatch:meeting_new") + f"?org={world['org'].pk}&quarter={Q.code}"
    assert client.post(new, {"held_on": "2025-04-20"}).status_code == 404
    for address in _urls(world, meeting):
        assert client.get(address).status_code == 404, address
    assert not selectors.may_read_dispatch(world["learner"])
    assert DispatchMeeting.objects.count() == 1


def test_another_organisations_head_opens_no_meeting_or_report(client, world, meeting, other_org):
    stranger = person(other_org, role=ComplianceRole.COMPLIANCE_HEAD).user
    client.force_login(stranger)
    for address in _urls(world, meeting):
        assert client.get(address).status_code == 404, address
    edit = reverse("dispatch:meeting_edit", args=[meeting.pk])
    assert client.post(edit, {"minutes": "篡改"}).status_code == 404
    assert client.post(reverse("dispatch:meeting_lock", args=[meeting.pk])).status_code == 404
    new = reverse("dispatch:meeting_new") + f"?org={world['org'].pk}&quarter={Q.code}"
    assert client.get(new).status_code == 404
    with pytest.raises(services.DispatchRefused):
        services.meeting_change(actor=stranger, meeting_id=meeting.pk, held_on=Q.start)
    meeting.refresh_from_db()
    assert meeting.minutes != "篡改" and not meeting.is_locked
    assert not selectors.meetings_visible_to(stranger).exists()
    # their own organisation's list shows none of it
    assert world["org"].name not in client.get(reverse("dispatch:quarters")).text


def test_a_quarter_not_begun_or_unreadable_is_a_404(client, world):
    client.force_login(world["head"])
    for quarter in ("2099-Q1", "2025-Q9", "abc"):
        address = reverse("dispatch:quarter") + f"?org={world['org'].pk}&quarter={quarter}"
        assert client.get(address).status_code == 404, quarter
