"""Valid Moodle files are neither refused nor flattened: ten options, two right answers of a
single choice, partial credit (a real scoring rule), feedback on each option (shown in the
review), Moodle's negative fractions on export, and a leading "=" kept by the xlsx export."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessments import services
from assessments.formats import ParsedQuestion, gift, moodle_xml, parse, tabular
from assessments.grading import credit, grade
from assessments.models import Exam
from assessments.services.imports import questions_import
from tests.factories.assessments import make_bank, make_blueprint, make_exam

# --- pure: the scoring rule ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "points"),
    [
        (["A", "B"], Decimal("2.00")),  # both right: full marks
        (["A"], Decimal("1.00")),  # one of two right: half
        (["A", "C"], Decimal("0.00")),  # a right and a wrong one: 50 - 100 -> 0, never below
        (["A", "B", "C", "D"], Decimal("0.00")),  # ticking everything scores nothing
        ([], Decimal("0.00")),
    ],
)
def test_a_multiple_choice_with_option_grades_earns_partial_credit(answer, points):
    weights = [50, 50, -100, -100]
    assert grade(kind="multiple", key=["A", "B"], answer=answer, points=2, weights=weights) == (
        points
    )


def test_a_single_choice_partial_credit_distractor_earns_its_share():
    weights = [0, 50, 100]
    assert grade(kind="single", key=["C"], answer=["B"], points=4, weights=weights) == 2
    assert grade(kind="single", key=["C"], answer=["C"], points=4, weights=weights) == 4
    assert grade(kind="single", key=["C"], answer=["B", "C"], points=4, weights=weights) == 0


def test_without_option_grades_a_multiple_choice_stays_all_or_nothing():
    assert grade(kind="multiple", key=["A", "B"], answer=["A"], points=2) == 0
    assert credit(kind="multiple", answer=["A", "B"], weights=[50, 50, -100]) == 1


# --- pure: the formats -----------------------------------------------------------------------


def _xml(answers: str, single: str = "false") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>十个选项</text></name>
    <questiontext format="html"><text><![CDATA[<p dir="ltr">下列属于合规风险的有（　　）。</p>]]></text></questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <penalty>0.3333333</penalty>
    <hidden>0</hidden>
    <idnumber></idnumber>
    <single>{single}</single>
    <shuffleanswers>true</shuffleanswers>
    <answernumbering>abc</answernumbering>
    <showstandardinstruction>0</showstandardinstruction>
    <correctfeedback format="html"><text>你的回答正确。</text></correctfeedback>
    {answers}
  </question>
</quiz>""".encode()


def _answer(fraction: str, text: str, feedback: str = "") -> str:
    return (
        f'<answer fraction="{fraction}" format="html"><text><![CDATA[<p>{text}</p>]]></text>'
        f'<feedback format="html"><text><![CDATA[{feedback}]]></text></feedback></answer>'
    )


def test_a_moodle_question_with_ten_options_imports_with_its_grades_and_feedback():
    answers = [_answer("50", "商业贿赂", "<p>对：这是典型风险。</p>"), _answer("50", "数据泄露")]
    answers += [_answer("-12.5", f"干扰项{i}") for i in range(8)]
    result = moodle_xml.parse(_xml("".join(answers)))
    assert not result.errors, result.errors
    question = result.questions[0]
    assert question.kind == "multiple" and len(question.options) == 10
    assert question.key == ["A", "B"]
    assert question.option_weights == [50, 50, *[-12.5] * 8]
    assert question.option_feedback[0] == "对：这是典型风险。"
    assert question.option_feedback[1:] == [""] * 9


def test_a_gift_single_choice_with_two_right_answers_keeps_both():
    data = "::两个都对:: 合规管理的第一责任人是（　　）。{~法务 =董事长 =总经理 ~员工}".encode()
    question = gift.parse(data).questions[0]
    assert question.kind == "single" and question.key == ["B", "C"]
    assert question.option_weights == []  # nothing partial: only the key scores


def test_gift_per_answer_feedback_and_partial_credit_are_kept():
    data = "报告对象是？{~客户#不对 ~%50%部门经理#只对一半 =合规负责人#正确}".encode()
    question = gift.parse(data).questions[0]
    assert question.option_weights == [0, 50, 100]
    assert question.option_feedback == ["不对", "只对一半", "正确"]


def _multiple() -> ParsedQuestion:
    return ParsedQuestion(
        kind="multiple",
        stem="下列哪些是三道防线？",
        options=["业务部门", "合规部门", "客户", "审计部门"],
        key=["A", "B", "D"],
    )


def test_a_multiple_answer_export_gives_wrong_options_moodles_negative_fractions():
    xml = moodle_xml.export([_multiple()]).decode()
    assert xml.count('fraction="33.33333"') == 3 and 'fraction="-100"' in xml
    text = gift.export([_multiple()]).decode()
    assert text.count("~%33.33333%") == 3 and "~%-100%客户" in text
    # ours stays all-or-nothing when it comes back
    assert moodle_xml.parse(xml.encode()).questions[0].option_weights == []
    assert gift.parse(text.encode()).questions[0].option_weights == []


def test_the_xlsx_export_keeps_a_leading_equals_sign_and_imports_back():
    question = ParsedQuestion(
        kind="single",
        stem="=A1+B1 在表格中是什么？",
        options=["=公式", "文本"],
        key=["A"],
        explanation="=号开头的是公式",
    )
    back = parse(tabular.export([question], "xlsx"), "xlsx")
    assert not back.errors
    assert back.questions[0].stem == "=A1+B1 在表格中是什么？"
    assert back.questions[0].options == ["=公式", "文本"]
    assert back.questions[0].explanation == "=号开头的是公式"


def test_the_sheet_reads_option_grades_and_feedback_columns():
    csv = (
        "题型,题干,选项A,选项B,选项C,答案,选项分值,选项A反馈,选项C反馈\n"
        "多选题,哪些要报告？,重大风险,一般风险,个人爱好,AB,70|30|-100,必须报告,无关\n"
    ).encode()
    question = parse(csv, "csv").questions[0]
    assert question.option_weights == [70, 30, -100]
    assert question.option_feedback == ["必须报告", "", "无关"]


def test_option_grades_that_contradict_the_key_are_a_row_error():
    csv = "题型,题干,选项A,选项B,答案,选项分值\n多选题,题？,甲,乙,A,50|50\n".encode()
    question = parse(csv, "csv").questions[0]
    from assessments.grading import key_problems

    assert key_problems(
        kind=question.kind,
        options=question.options,
        key=question.key,
        weights=question.option_weights,
    )


# --- with the database: an exam scores it and the review shows the feedback -------------------


@pytest.mark.django_db
def test_an_exam_scores_partial_credit_and_the_review_shows_each_options_feedback(
    client, org, learner
):
    bank = make_bank(org)
    answers = [_answer("50", "商业贿赂", "典型风险"), _answer("50", "数据泄露")]
    answers += [_answer("-50", "员工团建", "不是风险"), _answer("-50", "节日问候")]
    report = questions_import(bank=bank, data=_xml("".join(answers)), fmt="moodle-xml")
    assert report.ok and report.created == 1, report.errors
    question = bank.questions.get()
    assert question.option_weights == [50, 50, -50, -50]
    exam = make_exam(
        org,
        blueprint=make_blueprint(bank, sections=[{"count": 1, "points": Decimal(10)}]),
        users=[learner],
        review_policy=Exam.ReviewPolicy.IMMEDIATELY,
        shuffle_options=False,
    )
    attempt = services.attempt_start(exam=exam, user=learner)
    services.response_save(
        attempt_id=attempt.pk,
        user_id=learner.pk,
        question_id=question.pk,
        answer=["A"],
        seq=1,
    )
    attempt = services.attempt_submit(attempt_id=attempt.pk, user=learner)
    assert attempt.score == Decimal("5.00")
    client.force_login(learner)
    page = client.get(reverse("assessments:attempt_result", args=[attempt.pk])).content.decode()
    assert "典型风险" in page and "不是风险" in page


@pytest.mark.django_db
def test_the_question_form_edits_option_grades_and_feedback(client, org):
    from lms.organisations.models import ComplianceRole
    from tests.factories.organisations import person

    bank = make_bank(org)
    client.force_login(person(org, role=ComplianceRole.ADMIN_FULL_TIME).user)
    form = {
        "bank": bank.pk,
        "kind": "multiple",
        "difficulty": 3,
        "stem": "哪些要报告？",
        **{f"option_{letter}": f"选项{letter}" for letter in "ABCDEFG"},
        "key_text": "AG",
        "weights_text": "50|0|0|0|0|0|50",
        "feedback_text": "必须报告\n\n\n\n\n\n也要报告",
        "explanation": "",
        "tags_text": "",
        "regulation_reference": "",
    }
    assert client.post(reverse("questions:add"), form).status_code == 302
    question = bank.questions.get()
    assert len(question.options) == 7 and question.key == ["A", "G"]
    assert question.option_weights == [50, 0, 0, 0, 0, 0, 50]
    assert question.option_feedback[0] == "必须报告" and question.option_feedback[6] == "也要报告"
    edit = client.get(reverse("questions:edit", args=[question.pk])).content.decode()
    assert "50|0|0|0|0|0|50" in edit
    wrong = client.post(reverse("questions:add"), {**form, "weights_text": "50|50"})
    assert wrong.status_code == 200 and bank.questions.count() == 1
