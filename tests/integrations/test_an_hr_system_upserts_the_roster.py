import pytest

from lms.audit.models import AuditEntry
from lms.organisations.models import Staff
from tests.factories.organisations import person
from tests.integrations.conftest import auth

URL = "/api/v1/roster/"

PEOPLE = [
    {
        "name": "王小明",
        "employee_number": "HR001",
        "email": "wxm@example.cn",
        "department": "总部/法务合规部",
        "position": "法务专员",
        "hire_date": "2026-03-01",
        "phone": "13800000001",
    },
    {"name": "陈小红", "employee_number": "HR002", "email": "cxh@example.cn"},
]


def post(client, raw, people):
    return client.post(URL, {"people": people}, content_type="application/json", **auth(raw))


@pytest.mark.django_db
def test_a_batch_adds_and_then_updates_people(client, org, write_key):
    response = post(client, write_key, PEOPLE)
    assert response.status_code == 200, response.json()
    assert response.json() | {"problems": []} == {
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "problems": [],
    }
    wang = Staff.objects.get(organisation=org, employee_number="HR001")
    assert wang.user.full_name == "王小明"
    assert wang.department.name == "法务合规部"
    assert wang.department.parent.name == "总部"

    again = post(client, write_key, [{**PEOPLE[0], "name": "王晓明"}, PEOPLE[1]])
    assert again.status_code == 200
    assert (again.json()["updated"], again.json()["unchanged"]) == (1, 1)
    wang.user.refresh_from_db()
    assert wang.user.full_name == "王晓明"


@pytest.mark.django_db
def test_a_batch_with_one_bad_row_saves_nothing_and_names_the_row(client, org, write_key):
    people = [*PEOPLE, {"name": "刘坏", "employee_number": "HR003", "email": "not-an-address"}]
    response = post(client, write_key, people)
    assert response.status_code == 400
    body = response.json()
    assert [(p["row"], p["employee_number"]) for p in body["problems"]] == [(3, "HR003")]
    assert "not-an-address" in body["problems"][0]["message"]
    assert body["created"] == 0
    assert not Staff.objects.filter(employee_number__startswith="HR").exists()


@pytest.mark.django_db
def test_the_same_employee_number_twice_in_a_batch_is_refused(client, org, write_key):
    response = post(client, write_key, [PEOPLE[0], {**PEOPLE[1], "employee_number": "HR001"}])
    assert response.status_code == 400
    assert {p["row"] for p in response.json()["problems"]} >= {2}
    assert not Staff.objects.filter(employee_number__startswith="HR").exists()


@pytest.mark.django_db
def test_a_read_key_cannot_write(client, org, read_key):
    response = post(client, read_key, PEOPLE)
    assert response.status_code == 403
    assert not Staff.objects.filter(employee_number__startswith="HR").exists()


@pytest.mark.django_db
def test_the_batch_reaches_only_the_keys_organisation(client, org, other_org, write_key):
    stranger = person(other_org, employee_number="HR001", user__full_name="外单位")
    response = post(client, write_key, PEOPLE[:1])
    assert response.status_code == 200
    stranger.user.refresh_from_db()
    assert stranger.user.full_name == "外单位"
    assert Staff.objects.filter(organisation=org, employee_number="HR001").exists()


@pytest.mark.django_db
def test_an_empty_or_malformed_batch_is_refused(client, org, write_key):
    assert post(client, write_key, []).status_code == 400
    response = client.post(URL, "not json", content_type="application/json", **auth(write_key))
    assert response.status_code == 400
    assert not Staff.objects.filter(employee_number__startswith="HR").exists()


@pytest.mark.django_db
def test_every_call_is_audited_without_the_key(client, org, write_key):
    post(client, write_key, PEOPLE)
    entry = AuditEntry.objects.filter(action="integrations.api_call").latest("pk")
    assert entry.organisation_id == org.pk
    assert entry.data["path"] == URL and entry.data["status"] == 200
    secret = write_key.split("_", 2)[2]
    assert not AuditEntry.objects.filter(data__icontains=secret).exists()
    for text in AuditEntry.objects.values_list("object_repr", "actor_label", "data"):
        assert secret not in str(text)
