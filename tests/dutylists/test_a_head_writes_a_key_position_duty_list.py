"""The compliance head writes the duty list of a key position: items citing regulation clauses
and naming compliance domains; each change is a new version and asks the holder again. Nobody
else writes it: not a learner, not for another organisation's position, not for their own."""

import pytest
from django.core.exceptions import ValidationError

from lms.audit.models import AuditEntry
from lms.dutylists import services
from lms.dutylists.models import DutyAcknowledgement, DutyList
from lms.notifications.models import Notification
from lms.organisations.models import ComplianceRole
from tests.factories.dutylists import key_position, write
from tests.factories.organisations import OrganisationFactory, person

pytestmark = pytest.mark.django_db


def test_a_new_version_asks_the_holder_to_acknowledge(world, django_capture_on_commit_callbacks):
    head, buyer = world["head"].user, world["buyer"]
    with django_capture_on_commit_callbacks(execute=True):
        first = write(
            head,
            world["position"],
            "不收受供应商回扣。",
            clause_ids=[world["clause"].pk],
            domain_ids=[world["domain"].pk],
        )
    assert first.number == 1
    item = first.items.get()
    assert list(item.clauses.all()) == [world["clause"]]
    assert [d.name for d in item.domains.all()] == ["反商业贿赂"]
    ack = DutyAcknowledgement.objects.get(staff=buyer)
    assert ack.version == first and ack.status == "pending"
    assert Notification.objects.filter(user=buyer.user, kind="duty_list").count() == 1

    with django_capture_on_commit_callbacks(execute=True):
        second = write(head, world["position"], "不收受回扣。", "审核供应商资质。", note="补充")
    duty_list = DutyList.objects.get(position=world["position"])
    assert second.number == 2 and duty_list.current_version == 2
    assert first.items.count() == 1 and second.items.count() == 2, "old versions are kept"
    assert DutyAcknowledgement.objects.filter(staff=buyer, version=second).exists()
    assert Notification.objects.filter(user=buyer.user, kind="duty_list").count() == 2
    assert AuditEntry.objects.filter(action="dutylists.version_written").count() == 2


def test_the_edit_page_saves_a_new_version(world, client):
    client.force_login(world["head"].user)
    url = f"/duty-lists/positions/{world['position'].pk}/"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "rows": "2",
            "text-0": "严格执行招投标制度。",
            "clauses-0": [str(world["clause"].pk)],
            "domains-0": [str(world["domain"].pk)],
            "text-1": "",
            "note": "首版",
        },
    )
    assert response.status_code == 302
    version = DutyList.objects.get(position=world["position"]).versions.get()
    assert version.note == "首版" and version.items.get().text == "严格执行招投标制度。"


def test_an_empty_list_is_refused(world):
    with pytest.raises(ValidationError):
        write(world["head"].user, world["position"], "  ")


def test_a_clause_outside_the_library_is_refused(world):
    with pytest.raises(ValidationError):
        write(world["head"].user, world["position"], clause_ids=[999999])


def test_a_learner_cannot_write_a_duty_list(world, client):
    with pytest.raises(services.DutyListRefused) as refused:
        write(world["learner"].user, world["position"])
    assert refused.value.status == 403
    client.force_login(world["learner"].user)
    url = f"/duty-lists/positions/{world['position'].pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"rows": "1", "text-0": "学员改写"}).status_code == 404
    assert not DutyList.objects.exists()


def test_a_position_of_another_organisation_is_not_found(world, client):
    other = OrganisationFactory(name="别家公司")
    theirs = key_position(other, "出纳")
    with pytest.raises(services.DutyListRefused) as refused:
        write(world["head"].user, theirs)
    assert refused.value.status == 404
    client.force_login(world["head"].user)
    response = client.post(f"/duty-lists/positions/{theirs.pk}/", {"rows": "1", "text-0": "越权"})
    assert response.status_code == 404
    assert not DutyList.objects.filter(position=theirs).exists()


def test_a_position_that_is_not_key_has_no_duty_list(world):
    clerk_post = world["learner"].position
    with pytest.raises(services.DutyListRefused) as refused:
        write(world["head"].user, clerk_post)
    assert refused.value.status == 404


def test_the_head_does_not_write_the_list_of_their_own_post(world, client):
    head_post = world["head"].position
    head_post.is_key = True
    head_post.save()
    with pytest.raises(services.DutyListRefused) as refused:
        write(world["head"].user, head_post)
    assert refused.value.status == 403 and head_post.name in refused.value.message
    cco = person(world["org"], role=ComplianceRole.CHIEF_COMPLIANCE_OFFICER)
    assert write(cco.user, head_post).number == 1
