"""Control characters (Word's \\x0b line break and others) are cleaned at import, and the XML
and xlsx exports of questions that already hold them never break."""

import xml.etree.ElementTree as ET

import pytest

from assessments.services.imports import questions_export, questions_import
from tests.factories.assessments import make_bank, make_question

pytestmark = pytest.mark.django_db


def test_control_characters_are_cleaned_at_import(org):
    bank = make_bank(org)
    csv = (
        "题型,题干,选项A,选项B,答案,解析\n"
        "单选题,合规负责人\x0b由谁任命？\x07,董事会\x01,经理,A,见\x0c第五条\n"
    ).encode()
    report = questions_import(bank=bank, data=csv, fmt="csv")
    assert report.ok, report.errors
    question = bank.questions.get()
    assert question.stem == "合规负责人\n由谁任命？"
    assert question.options == ["董事会", "经理"]
    assert question.explanation == "见\n第五条"


def test_gift_control_characters_are_cleaned_too(org):
    bank = make_bank(org)
    report = questions_import(
        bank=bank, data="合规\x0b管理\x1b覆盖全部业务。{T}".encode(), fmt="gift"
    )
    assert report.ok and bank.questions.get().stem == "合规\n管理覆盖全部业务。"


@pytest.mark.parametrize("fmt", ["moodle-xml", "xlsx", "csv"])
def test_exports_of_questions_holding_control_characters_import_back(org, fmt):
    source = make_bank(org)
    question = make_question(
        source,
        stem="从 Word 粘贴的题干\x0b第二行\x08",
        options=["甲\x01", "乙"],
        key=["A"],
        explanation="解析\x0c",
    )
    data = questions_export(questions=[question], fmt=fmt)
    if fmt == "moodle-xml":
        ET.fromstring(data)  # well-formed
    target = make_bank(org)
    report = questions_import(bank=target, data=data, fmt=fmt)
    assert report.ok, report.errors
    imported = target.questions.get()
    assert imported.stem == "从 Word 粘贴的题干\n第二行"
    assert imported.options == ["甲", "乙"] and imported.explanation == "解析"
