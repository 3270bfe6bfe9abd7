"""The person in a key post reads its duty list, types their name and confirms: the text, its
SHA-256, the time, address and browser are kept. Nobody acknowledges someone else's list, and an
old version cannot be acknowledged once the list has changed."""

import hashlib

import pytest
from django.utils import translation

from lms.audit.models import AuditEntry
from lms.dutylists import services
from lms.dutylists.models import DutyAcknowledgement
from tests.factories.dutylists import write

pytestmark = pytest.mark.django_db


def acknowledge(ack, user=None, name=None, confirmed=True):
    user = user or ack.user
    return services.duty_list_acknowledge(
        acknowledgement_id=ack.pk,
        user=user,
        typed_name=user.full_name if name is None else name,
        confirmed=confirmed,
        ip_address="10.1.2.3",
        user_agent="Mozilla/5.0 (iPhone)",
    )


@pytest.fixture
def ack(world):
    write(world["head"].user, world["position"], "不收受回扣。", clause_ids=[world["clause"].pk])
    return DutyAcknowledgement.objects.get(staff=world["buyer"])


def test_acknowledging_keeps_the_text_and_its_hash(world, ack):
    signed = acknowledge(ack, name=" 钱 采购 ")
    signed.refresh_from_db()
    assert signed.status == "signed"
    assert "不收受回扣。" in signed.text and "钱采购" in signed.text and "YJ-088" in signed.text
    assert "第七条" in signed.text and "反不正当竞争法" in signed.text
    assert signed.text_sha256 == hashlib.sha256(signed.text.encode()).hexdigest()
    assert signed.ip_address == "10.1.2.3" and signed.user_agent == "Mozilla/5.0 (iPhone)"
    assert AuditEntry.objects.filter(action="dutylists.acknowledged").exists()


def test_the_page_acknowledges_with_the_address_and_browser(world, ack, client):
    client.force_login(world["buyer"].user)
    url = f"/duty-lists/acknowledge/{ack.pk}/"
    assert "不收受回扣。" in client.get(url).content.decode()
    response = client.post(
        url,
        {"typed_name": "钱采购", "confirm": "on"},
        HTTP_USER_AGENT="Mozilla/5.0 (iPhone)",
        REMOTE_ADDR="10.9.8.7",
    )
    assert response.status_code == 302
    ack.refresh_from_db()
    assert ack.status == "signed" and ack.user_agent == "Mozilla/5.0 (iPhone)"
    assert ack.ip_address


def test_someone_elses_duty_list_is_not_found(world, ack, client):
    other = world["learner"].user
    with pytest.raises(services.DutyListRefused) as refused:
        acknowledge(ack, user=other)
    assert refused.value.status == 404
    client.force_login(other)
    url = f"/duty-lists/acknowledge/{ack.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"typed_name": other.full_name, "confirm": "on"}).status_code == 404
    ack.refresh_from_db()
    assert ack.status == "pending"


def test_an_old_version_is_refused_with_the_reason(world, ack, client):
    write(world["head"].user, world["position"], "不收受回扣。", "审核供应商资质。")
    with translation.override("en"), pytest.raises(services.DutyListRefused) as refused:
        acknowledge(ack)
    assert refused.value.status == 409
    assert "version 1" in refused.value.message and "replaced by version 2" in refused.value.message
    client.force_login(world["buyer"].user)
    response = client.post(
        f"/duty-lists/acknowledge/{ack.pk}/", {"typed_name": "钱采购", "confirm": "on"}
    )
    assert response.status_code == 409
    assert "采购专员" in response.content.decode()
    ack.refresh_from_db()
    assert ack.status == "pending"
    current = DutyAcknowledgement.objects.get(staff=world["buyer"], version__number=2)
    assert acknowledge(current).status == "signed"


def test_a_wrong_name_or_no_confirmation_is_refused(world, ack):
    with pytest.raises(services.DutyListRefused) as refused:
        acknowledge(ack, name="别人", confirmed=False)
    assert len(refused.value.messages) == 2


def test_acknowledging_twice_is_refused(world, ack):
    acknowledge(ack)
    with pytest.raises(services.DutyListRefused):
        acknowledge(ack)


def test_my_page_lists_what_is_left_to_acknowledge(world, ack, client):
    client.force_login(world["buyer"].user)
    assert f"/duty-lists/acknowledge/{ack.pk}/" in client.get("/duty-lists/").content.decode()
    acknowledge(ack)
    page = client.get("/duty-lists/").content.decode()
    assert f'id="duty-ack-{ack.pk}"' in page
