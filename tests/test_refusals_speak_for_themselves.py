"""One error type for refusals: whatever app refuses, the person reads why, with the status the
refusal carries, and never meets a server error."""

import json

import pytest

from assessments.exceptions import ExamError, NotEligible
from assessments.spotchecks.services import CampaignRefused
from lms.admin_scoping import FormServiceError
from lms.organisations.roster.reading import RosterFileError
from lms.organisations.services import AppointmentRefused
from lms.records.services import ViolationRefused
from lms.refusals import Refused
from lms.spreadsheets import SpreadsheetError

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.error_urls")]


@pytest.mark.parametrize(
    "refusal",
    [
        ExamError("考试已结束。"),
        NotEligible("你不在本场考试的考生名单中。"),
        CampaignRefused(["抽查任务已关闭。"]),
        AppointmentRefused(["尚未通过任前合规考核。"]),
        ViolationRefused("申辩期限已过。"),
        SpreadsheetError("文件不是有效的 xlsx。", row=3),
        RosterFileError("第 3 行：工号重复。", row=3),
    ],
    ids=lambda r: type(r).__name__,
)
def test_every_apps_refusal_is_one_type_with_a_message_and_a_status(refusal):
    assert isinstance(refusal, Refused)
    assert refusal.messages and all(refusal.messages)
    assert refusal.message == "; ".join(refusal.messages)
    assert 400 <= refusal.status < 500


def test_a_form_services_refusal_keeps_its_field_errors():
    from django.core.exceptions import ValidationError

    refused = FormServiceError(ValidationError({"position": ["只能任命低于你职级的人。"]}))
    assert isinstance(refused, Refused)
    assert refused.messages == ["只能任命低于你职级的人。"]
    assert refused.error.message_dict == {"position": ["只能任命低于你职级的人。"]}


def test_a_refusal_no_view_caught_shows_its_reasons_on_a_page_of_the_site(client):
    response = client.get("/refused/")
    assert response.status_code == 400
    body = response.content.decode()
    assert "马海燕尚未通过任前合规考核。" in body and "请先完成考试。" in body
    assert "无法办理" in body
    assert 'href="/"' in body


def test_a_refusal_answers_a_json_request_in_json(client):
    response = client.get("/refused/", HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    payload = json.loads(response.content)
    assert payload["messages"] == ["马海燕尚未通过任前合规考核。", "请先完成考试。"]


def test_the_refusal_page_speaks_english_to_an_english_reader(client):
    response = client.get("/en/refused/")
    assert response.status_code == 400
    assert "This cannot be done" in response.content.decode()
