"""The compliance head publishes a good answer to the organisation's FAQ: searchable, and shown
beside the course the question came from. Nobody else publishes; the FAQ is the organisation's
own."""

import pytest
from django.urls import reverse

from lms.consultations.models import FaqEntry
from tests.consultations.conftest import answer, ask

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(world):
    question = ask(world, lesson_id=world["lesson"].pk)
    answer(world, question, clauses=[world["clause"]])
    return question


def test_the_head_publishes_an_answer_and_it_shows_beside_the_course(world, client, answered):
    client.force_login(world["head"])
    response = client.post(
        reverse("consultations:publish", args=[answered.pk]),
        {"question": "收到购物卡怎么办？", "answer": "不得收受，应当婉拒并登记。"},
    )
    assert response.status_code == 302
    entry = FaqEntry.objects.get()
    assert entry.course == world["course"] and list(entry.clauses.all()) == [world["clause"]]
    client.force_login(world["colleague"])
    course_page = client.get(world["course"].url).content.decode()
    assert "收到购物卡怎么办？" in course_page and "第七条" in course_page
    assert "赵学员" not in course_page


def test_the_faq_is_searchable(world, client, answered):
    from lms.consultations import services

    services.faq_publish(actor=world["cco"], question_id=answered.pk)
    client.force_login(world["colleague"])
    url = reverse("consultations:faq")
    assert "购物卡" in client.get(url, {"q": "购物卡"}).content.decode()
    assert "购物卡" not in client.get(url, {"q": "数据出境"}).content.decode()


@pytest.mark.parametrize("who", ["part_time", "admin", "learner", "other_head"])
def test_only_the_head_or_cco_publishes(world, client, answered, who):
    client.force_login(world[who])
    assert client.post(reverse("consultations:publish", args=[answered.pk])).status_code == 404
    assert not FaqEntry.objects.exists()


def test_another_organisation_does_not_see_the_faq(world, client, answered):
    from lms.consultations import services

    services.faq_publish(actor=world["head"], question_id=answered.pk)
    client.force_login(world["other_part_time"])
    assert "购物卡" not in client.get(reverse("consultations:faq")).content.decode()


def test_an_open_question_is_not_published(world):
    from lms.consultations import services

    question = ask(world)
    with pytest.raises(services.ConsultationRefused):
        services.faq_publish(actor=world["head"], question_id=question.pk)
