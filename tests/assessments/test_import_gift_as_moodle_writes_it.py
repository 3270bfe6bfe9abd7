"""Importing GIFT files in the shapes Moodle writes them (its exporter escapes ':' '=' '#' etc.
and writes the text format once, before the question text) and Chinese users write them."""

from assessments.formats import gift

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
