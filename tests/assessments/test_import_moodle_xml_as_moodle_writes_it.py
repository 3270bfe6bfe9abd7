"""Importing Moodle XML in the shapes Moodle 4.x writes it."""

from assessments.formats import moodle_xml


def _multichoice(answers: str, single: str = "true", extra: str = "") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz>
  <question type="multichoice">
    <name><text>防线</text></name>
    <questiontext format="html"><text><![CDATA[<p dir="ltr">第一道防线是？</p>]]></text></questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <defaultgrade>1.0000000</defaultgrade>
    <idnumber></idnumber>{extra}
    <single>{single}</single>
    {answers}
  </question>
</quiz>""".encode()


def _answer(fraction: str, text: str) -> str:
    return (
        f'<answer fraction="{fraction}" format="html"><text><![CDATA[<p>{text}</p>]]></text>'
        '<feedback format="html"><text></text></feedback></answer>'
    )


def test_a_single_choice_with_two_answers_worth_full_marks_keeps_both_as_right():
    data = _multichoice(
        _answer("100", "业务部门") + _answer("0", "审计") + _answer("100", "一线员工")
    )
    result = moodle_xml.parse(data)
    assert not result.errors, result.errors
    (question,) = result.questions
    assert question.kind == "single" and question.key == ["A", "C"]


def test_an_xml_syntax_error_names_its_line_not_a_question_number():
    from django.utils import translation

    data = (
        b'<?xml version="1.0"?>\n<quiz>\n<question type="truefalse">\n<name><text>x</name>\n</quiz>'
    )
    with translation.override("en"):
        result = moodle_xml.parse(data)
    (problem,) = result.errors
    assert problem.position == 0
    assert str(problem).startswith("line 4, column")
