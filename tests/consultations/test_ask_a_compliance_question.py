"""Any staff member asks a compliance question, from the navigation or from a lesson (linked).
It goes to the part-time administrator of their department, walking up the department tree,
else to the compliance department; who answers is told. A file of the wrong type or too big is
refused; a learner cannot read someone else's question."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from lms import attachments
from lms.consultations.models import Question
from lms.notifications.models import Notification
from tests.consultations.conftest import ask, pdf

pytestmark = pytest.mark.django_db


def test_a_question_goes_up_the_department_tree_to_the_part_time_administrator(world):
    question = ask(world)  # the learner is in 商家一组, under 商家管理部
    assert question.routed_to.user == world["part_time"]
    notice = Notification.objects.get(user=world["part_time"], kind="consultation_asked")
    assert "赵学员" in notice.body
    assert not Notification.objects.filter(user=world["admin"]).exists()


def test_without_a_part_time_administrator_the_compliance_department_answers(world):
    question = ask(world, actor=world["colleague"])  # 运营部 has none
    assert question.routed_to is None
    assert Notification.objects.filter(user=world["admin"], kind="consultation_asked").exists()
    assert not Notification.objects.filter(user=world["part_time"]).exists()


def test_a_question_from_a_lesson_links_the_lesson_and_its_course(world, client):
    lesson = world["lesson"]
    client.force_login(world["learner"])
    page = client.get(lesson.url).content.decode()
    ask_url = reverse("consultations:ask") + f"?lesson={lesson.pk}"
    assert ask_url.replace("?", "?") in page.replace("&amp;", "&")
    form = client.get(ask_url)
    assert lesson.title in form.content.decode()
    response = client.post(ask_url, {"text": "这节课讲的礼品标准是多少？", "lesson": lesson.pk})
    question = Question.objects.get()
    assert response.status_code == 302 and question.lesson_id == lesson.pk
    assert question.course_id == world["course"].pk


def test_a_lesson_of_another_organisations_private_course_is_not_found(world, client):
    from tests.factories import content

    private = content.course(title="外部课程", owner=world["other_org"])
    client.force_login(world["learner"])
    url = reverse("consultations:ask") + f"?lesson={private.lessons().first().pk}"
    assert client.get(url).status_code == 404


def test_the_navigation_offers_asking_on_every_page(world, client):
    client.force_login(world["learner"])
    assert (
        reverse("consultations:home") in client.get(reverse("consultations:faq")).content.decode()
    )


def test_an_attachment_of_the_wrong_type_is_refused_and_nothing_saved(world):
    script = SimpleUploadedFile("说明.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    with pytest.raises(ValidationError) as refused:
        ask(world, files=[script])
    assert "说明.exe" in str(refused.value.message_dict["files"])
    assert not Question.objects.exists()


def test_an_attachment_too_big_is_refused_in_the_form(world, client, monkeypatch):
    monkeypatch.setattr(attachments, "MAX_ATTACHMENT_BYTES", 50)
    client.force_login(world["learner"])
    response = client.post(reverse("consultations:ask"), {"text": "问题", "files": [pdf(size=200)]})
    assert response.status_code == 400
    assert "MB" in response.content.decode()
    assert not Question.objects.exists()


def test_an_allowed_attachment_is_kept_and_read_by_who_answers(world, client):
    question = ask(world, files=[pdf()])
    file = question.attachments.get()
    url = reverse("consultations:question_file", args=[question.pk, file.pk])
    client.force_login(world["part_time"])
    assert client.get(url).status_code == 200
    client.force_login(world["colleague"])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("reader", ["colleague", "other_part_time", "other_head"])
def test_someone_elses_question_is_not_found(world, client, reader):
    question = ask(world)
    client.force_login(world[reader])
    assert client.get(reverse("consultations:question", args=[question.pk])).status_code == 404


def test_the_asker_and_who_answers_read_the_question(world, client):
    question = ask(world)
    for reader in ("learner", "part_time", "admin", "head"):
        client.force_login(world[reader])
        response = client.get(reverse("consultations:question", args=[question.pk]))
        assert response.status_code == 200, reader
        assert question.text in response.content.decode()
