"""A simple HTML table in an imported stem (Word or Atto) keeps its rows and cells instead of
gluing them together, and shows as a table whose cells are escaped text."""

import pytest
from django.urls import reverse

from assessments import services
from assessments.formats import moodle_xml
from assessments.formats.text import html_to_text
from assessments.question_text import render_question_text
from tests.factories.assessments import make_bank, make_blueprint, make_exam

WORD_TABLE = (
    '<p dir="ltr">如下表所示：</p><table class="MsoTableGrid" border="1"><tbody>'
    "<tr><td><p>岗位</p></td><td><p>职责</p></td></tr>"
    "<tr><td><p>合规<b>负责人</b></p></td><td><p>审核&nbsp;制度</p></td></tr>"
    "</tbody></table><p>下列说法正确的是（　　）。</p>"
)


def test_a_word_table_keeps_its_rows_and_cells():
    assert html_to_text(WORD_TABLE) == (
        "如下表所示：\n| 岗位 | 职责 |\n| 合规负责人 | 审核 制度 |\n下列说法正确的是（　　）。"
    )


def test_the_table_shows_as_a_table_with_every_cell_escaped():
    html = render_question_text("表：\n| <script>x</script> | 乙 |\n| 丙 | 丁 |\n完")
    assert "<table>" in html and "<td>&lt;script&gt;x&lt;/script&gt;</td>" in html
    assert "<script>" not in html
    assert html.startswith("表：<br>") and html.endswith("完")


def test_a_moodle_question_with_a_table_imports_it_as_rows():
    data = f"""<?xml version="1.0" encoding="UTF-8"?>
<quiz><question type="truefalse"><name><text>表格</text></name>
<questiontext format="html"><text><![CDATA[{WORD_TABLE}]]></text></questiontext>
<answer fraction="100" format="moodle_auto_format"><text>true</text></answer>
<answer fraction="0" format="moodle_auto_format"><text>false</text></answer>
</question></quiz>""".encode()
    question = moodle_xml.parse(data).questions[0]
    assert "| 合规负责人 | 审核 制度 |" in question.stem


@pytest.mark.django_db
def test_the_exam_page_shows_the_table(client, org, learner):
    bank = make_bank(org)
    services.question_create(
        bank=bank,
        kind="true_false",
        stem=html_to_text(WORD_TABLE),
        key=["true"],
        audit=False,
    )
    exam = make_exam(org, blueprint=make_blueprint(bank, sections=[{"count": 1}]), users=[learner])
    attempt = services.attempt_start(exam=exam, user=learner)
    client.force_login(learner)
    page = client.get(reverse("assessments:attempt_take", args=[attempt.pk])).content.decode()
    assert '<div class="question-table"><table>' in page
    assert "<td>合规负责人</td><td>审核 制度</td>" in page
