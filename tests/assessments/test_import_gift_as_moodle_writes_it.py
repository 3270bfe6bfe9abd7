"""Importing GIFT files in the shapes Moodle writes them (its exporter escapes ':' '=' '#' etc.
and writes the text format once, before the question text) and Chinese users write them."""

import pytest
from django.utils import translation

from assessments.formats import gift
from assessments.services.imports import questions_import
from tests.factories.assessments import make_bank

# A Moodle 4.x GIFT export of a question written in its Atto editor: `[html]` once before the
# question text; answers, per-answer feedback and general feedback inherit the format.
ATTO_EXPORT = (
    "// question: 312  name: 个人信息出境\n"
    '::个人信息出境::[html]<p dir\\="ltr" style\\="text-align\\: left;">个人信息出境前，'
    "应当进行哪项评估？<br></p>{\n"
    '\t=<p dir\\="ltr">个人信息保护影响评估</p>#<p>正确&nbsp;：见第五十五条</p>\n'
    '\t~<p dir\\="ltr">财务&nbsp;审计</p>#<p dir\\="ltr">不对</p>\n'
    "\t~[plain]<b>原样</b>\n"
    '\t####<p dir\\="ltr">依据《个人信息保护法》第五十五条。</p>\n'
    "}\n"
)


def test_html_in_answers_and_feedback_is_converted_like_the_question_text():
    result = gift.parse(ATTO_EXPORT.encode())
    assert not result.errors, result.errors
    (question,) = result.questions
    assert question.stem == "个人信息出境前，应当进行哪项评估？"
    assert question.options == ["个人信息保护影响评估", "财务 审计", "<b>原样</b>"]
    assert question.key == ["A"]
    assert question.explanation == "依据《个人信息保护法》第五十五条。"


def test_a_plain_question_keeps_angle_brackets_in_its_answers():
    result = gift.parse("若 a<b 且 b<c，则？{=a<c ~a>c}".encode())
    assert result.questions[0].options == ["a<c", "a>c"]


# Moodle's GIFT export of a category holding a description (text with no answers).
WITH_DESCRIPTION = (
    "// question: 0  name: Switch category to $course$/top/数据合规\n"
    "$CATEGORY: $course$/top/数据合规\n\n\n"
    "// question: 401  name: 说明\n"
    "::说明::[html]<p>以下题目考查数据出境规则。</p>\n\n"
    "// question: 402  name: 判断\n"
    "::判断::[html]<p>重要数据出境应当申报安全评估。</p>{TRUE}\n"
)


def test_a_description_is_skipped_with_its_reason_and_the_rest_imports():
    with translation.override("en"):
        result = gift.parse(WITH_DESCRIPTION.encode())
    assert not result.errors, result.errors
    assert [(p.position, p.name, p.message) for p in result.skipped] == [
        (1, "说明", "a description (text without answers) is not a question")
    ]
    (question,) = result.questions
    assert question.kind == "true_false" and question.tags == ["数据合规"]


@pytest.mark.django_db
def test_a_file_with_a_description_imports_its_questions(org):
    bank = make_bank(org)
    report = questions_import(bank=bank, data=WITH_DESCRIPTION.encode(), fmt="gift")
    assert report.ok and report.created == 1 and len(report.skipped) == 1
    assert "说明" in str(report.skipped[0])


def test_a_lone_brace_is_still_an_error():
    with translation.override("en"):
        result = gift.parse("只有左括号 {=对 ~错\n".encode())
    assert "braces" in result.errors[0].message


def test_partial_credit_distractors_keep_a_single_choice_keyed_on_its_right_answer():
    result = gift.parse("合规委员会由谁主持？{~财务总监 ~%50%分管副总 =董事长}".encode())
    (question,) = result.questions
    assert question.kind == "single"
    assert question.options == ["财务总监", "分管副总", "董事长"]
    assert question.key == ["C"]


def test_several_equals_answers_make_a_single_choice_where_each_scores_full():
    result = gift.parse("哪些是第一道防线？{~a =b =c ~d}".encode())
    (question,) = result.questions
    assert question.kind == "single" and question.key == ["B", "C"]


def test_without_equals_answers_the_positive_weights_are_the_multiple_choice_key():
    result = gift.parse("选出正确的{~%50%甲 ~%-100%乙 ~%50%丙}".encode())
    (question,) = result.questions
    assert question.kind == "multiple" and question.key == ["A", "C"]


@pytest.mark.django_db
def test_a_single_choice_with_two_right_answers_scores_full_on_either(org):
    from decimal import Decimal

    from assessments.grading import grade

    bank = make_bank(org)
    report = questions_import(
        bank=bank, data="哪些是第一道防线？{~a =b =c ~d}".encode(), fmt="gift"
    )
    assert report.ok, report.errors
    question = bank.questions.get()
    assert question.kind == "single" and question.key == ["B", "C"]
    for answer, points in ((["B"], 2), (["C"], 2), (["A"], 0), (["B", "C"], 0)):
        assert grade(kind="single", key=question.key, answer=answer, points=Decimal(2)) == points


def test_gift_escapes_are_read_as_moodle_reads_them():
    source = "::比例\\:甲::比例为 1\\:2，符号 \\# \\= \\~ \\{x\\} 与反斜杠 \\\\ 。\\n第二行{=是\\=对 ~否}"
    (question,) = gift.parse(source.encode()).questions
    assert question.name == "比例:甲"
    assert question.stem == "比例为 1:2，符号 # = ~ {x} 与反斜杠 \\ 。\n第二行"
    assert question.options == ["是=对", "否"]


def test_the_blank_is_put_in_even_when_only_punctuation_follows_the_answers():
    (question,) = gift.parse("合规负责人由{=董事会 ~经理}。".encode()).questions
    assert question.stem == "合规负责人由_____。"
    (question,) = gift.parse("合规负责人由谁任命？{=董事会 ~经理}".encode()).questions
    assert question.stem == "合规负责人由谁任命？"


def test_a_gbk_gift_file_from_notepad_imports():
    source = "// 记事本保存\r\n::判断::合规管理覆盖全部业务。{T}\r\n"
    result = gift.parse(source.encode("gbk"))
    assert not result.errors and result.questions[0].stem == "合规管理覆盖全部业务。"
