"""A lesson shows a bank question as a knowledge check with instant feedback."""

import pytest

from assessments.models import QuestionKind
from tests.factories import content as cf
from tests.factories.assessments import make_bank, make_question

pytestmark = pytest.mark.django_db


def _lesson_with_check(question_id):
    course = cf.course(title="知识点自测课程", lessons=0)
    return cf.lesson(
        course,
        title="第一课",
        body=[
            {"type": "rich_text", "value": "<p>平台应当建立合规风险清单。</p>"},
            {"type": "knowledge_check", "value": {"question": question_id}},
        ],
    )


def test_a_learner_sees_the_question_and_the_check_button(client, org, learner):
    question = make_question(
        make_bank(org), kind=QuestionKind.TRUE_FALSE, stem="合规负责人应当具备专业能力。"
    )
    lesson = _lesson_with_check(question.pk)
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert "合规负责人应当具备专业能力。" in html
    assert 'class="knowledge-check' in html
    assert f'data-question="{question.pk}"' in html


def test_another_organisations_question_is_not_shown(client, org, other_org, learner):
    foreign = make_question(make_bank(other_org), stem="别家企业的内部题目")
    lesson = _lesson_with_check(foreign.pk)
    client.force_login(learner)
    html = client.get(lesson.url).content.decode()
    assert "别家企业的内部题目" not in html
    assert "knowledge-check-missing" in html
