"""An exam limited to its organisation's networks is started, saved and submitted only from
them (the client's address as the audit log takes it, behind TRUSTED_PROXY_COUNT proxies); a
refused save says so and keeps the answer on the device; the save stays one UPDATE."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Attempt, AttemptEvent, Exam
from tests.factories.assessments import make_exam

pytestmark = pytest.mark.django_db

OFFICE = "10.8.0.0/16\n203.0.113.7"
INSIDE = {"REMOTE_ADDR": "10.8.3.4"}
OUTSIDE = {"REMOTE_ADDR": "198.51.100.23"}


@pytest.fixture
def exam(org, learner):
    return make_exam(org, users=[learner], time_limit_minutes=30, integrity_allowed_networks=OFFICE)


def save(client, attempt, qid, answer, seq, **meta):
    return client.post(
        reverse("assessments:response_save", args=[attempt.pk]),
        data=json.dumps({"question": qid, "answer": answer, "seq": seq}),
        content_type="application/json",
        **meta,
    )


def test_a_network_list_with_a_bad_entry_is_a_form_error(client, compliance_admin, exam, org):
    exam.integrity_allowed_networks = "10.8.0.0/16\n10.9.0.0/33"
    with pytest.raises(ValidationError) as refused:
        services.exam_save(exam=exam)
    assert "10.9.0.0/33" in str(refused.value.message_dict["integrity_allowed_networks"])

    client.force_login(compliance_admin)
    data = {
        "organisation": org.pk,
        "title": exam.title,
        "kind": "annual",
        "blueprint": exam.blueprint_id,
        "instructions": "",
        "opens_at": timezone.localtime(exam.opens_at).strftime("%Y-%m-%d %H:%M"),
        "closes_at": timezone.localtime(exam.closes_at).strftime("%Y-%m-%d %H:%M"),
        "time_limit_minutes": "30",
        "attempts_allowed": "1",
        "pass_mark": "60",
        "grading_method": "highest",
        "review_policy": "after_close",
        "validity_months": "12",
        "integrity_watch": "on",
        "integrity_leave_limit": "3",
        "integrity_allowed_networks": "10.8.0.0/16\n公司内网",
    }
    response = client.post(reverse("exams:edit", args=[exam.pk]), data)
    assert response.status_code == 200
    assert "公司内网" in str(response.context["form"].errors["integrity_allowed_networks"])
    assert Exam.objects.get(pk=exam.pk).integrity_allowed_networks == OFFICE
    data["integrity_allowed_networks"] = "10.8.0.0/16\n10.9.0.0/16"
    assert client.post(reverse("exams:edit", args=[exam.pk]), data).status_code == 302
    saved = Exam.objects.get(pk=exam.pk)
    assert saved.integrity_allowed_networks == "10.8.0.0/16\n10.9.0.0/16"
    assert saved.integrity_watch is True and saved.integrity_leave_limit == 3


def test_starting_from_outside_the_networks_is_refused_with_a_clear_page(client, exam, learner):
    client.force_login(learner)
    response = client.post(reverse("assessments:exam_start", args=[exam.pk]), **OUTSIDE)
    assert response.status_code == 403
    page = response.content.decode()
    assert "198.51.100.23" in page and ("网络" in page or "network" in page)
    assert not Attempt.objects.filter(exam=exam).exists()

    inside = client.post(reverse("assessments:exam_start", args=[exam.pk]), **INSIDE)
    attempt = Attempt.objects.get(exam=exam, user=learner)
    assert inside.status_code == 302 and inside.url.endswith(f"/attempts/{attempt.pk}/")


def test_the_address_is_the_one_the_trusted_proxy_saw(client, exam, learner, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    client.force_login(learner)
    # the client made up the first hop; the proxy appended the address it saw
    forged = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "10.8.1.1, 198.51.100.23"}
    assert (
        client.post(reverse("assessments:exam_start", args=[exam.pk]), **forged).status_code == 403
    )
    real = {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "198.51.100.23, 10.8.1.1"}
    assert client.post(reverse("assessments:exam_start", args=[exam.pk]), **real).status_code == 302


def test_saving_and_submitting_from_outside_are_refused_and_logged(client, exam, learner):
    attempt = services.attempt_start(exam=exam, user=learner)
    qid = attempt.items.first().question_id
    client.force_login(learner)
    refused = save(client, attempt, qid, ["A"], 1, **OUTSIDE)
    assert refused.status_code == 403
    assert refused.json()["reason"] == "network" and "198.51.100.23" in refused.json()["error"]
    assert attempt.items.get(question_id=qid).answer == []
    save(client, attempt, qid, ["A"], 2, **OUTSIDE)  # the page retries: logged once
    submit = client.post(
        reverse("assessments:attempt_submit", args=[attempt.pk]),
        data="{}",
        content_type="application/json",
        **OUTSIDE,
    )
    assert submit.status_code == 403 and submit.json()["reason"] == "network"
    page = client.get(reverse("assessments:attempt_take", args=[attempt.pk]), **OUTSIDE)
    assert page.status_code == 403
    attempt.refresh_from_db()
    assert attempt.is_open
    assert list(
        attempt.events.filter(kind=AttemptEvent.Kind.NETWORK_REFUSED).values_list(
            "detail", flat=True
        )
    ) == ["198.51.100.23 · save", "198.51.100.23 · submit", "198.51.100.23 · page"]

    assert save(client, attempt, qid, ["A"], 3, **INSIDE).json()["ok"] is True
    ok = client.post(
        reverse("assessments:attempt_submit", args=[attempt.pk]),
        data="{}",
        content_type="application/json",
        **INSIDE,
    )
    assert ok.status_code == 200
    attempt.refresh_from_db()
    assert not attempt.is_open


def test_saving_inside_the_networks_still_takes_at_most_three_queries(
    client, exam, learner, django_assert_max_num_queries
):
    attempt = services.attempt_start(exam=exam, user=learner)
    item = attempt.items.first()
    client.force_login(learner)
    with django_assert_max_num_queries(3):
        response = save(client, attempt, item.question_id, ["A"], 1, **INSIDE)
    assert response.status_code == 200
    with django_assert_max_num_queries(3):
        response = save(client, attempt, item.question_id, ["B"], 2, **INSIDE)
    assert response.json() == {"ok": True, "seq": 2, "stale": False}


def test_someone_elses_attempt_is_404_from_outside_too(client, exam, org, learner):
    from lms.organisations.models import ComplianceRole
    from tests.factories.organisations import person

    attempt = services.attempt_start(exam=exam, user=learner)
    stranger = person(org, role=ComplianceRole.NONE).user
    client.force_login(stranger)
    response = save(client, attempt, attempt.items.first().question_id, ["A"], 1, **OUTSIDE)
    assert response.status_code == 404
    assert not attempt.events.exists()


def test_an_exam_without_networks_is_open_from_anywhere(client, org, learner):
    exam = make_exam(org, users=[learner])
    client.force_login(learner)
    assert (
        client.post(reverse("assessments:exam_start", args=[exam.pk]), **OUTSIDE).status_code == 302
    )
