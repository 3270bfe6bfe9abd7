"""A bank exports to GIFT as Moodle writes it (escapes, `$CATEGORY:`, names, per-answer and
general feedback, ID numbers and tags in Moodle 4.x's comments), and the file imports back as
the same questions, from the admin's export button too."""

import pytest
from django.urls import reverse

from assessments.formats import ParsedQuestion, gift
from assessments.services.imports import questions_export, questions_import
from lms.organisations.models import ComplianceRole
from tests.factories.assessments import make_bank, make_question
from tests.factories.organisations import person


def _tricky() -> ParsedQuestion:
    return ParsedQuestion(
        kind="single",
        stem="依据《办法》第3条: 下列{哪一项}正确=？~#\\\n第二行",
        options=["甲：对", "乙=错", "丙~#"],
        key=["A"],
        explanation="见第3条\n#注意",
        option_weights=[100, 50, 0],
        option_feedback=["正确", "一半#分", ""],
        tags=["数据合规", "a/b"],
        difficulty=5,
        regulation_reference="《办法》第3条",
        name="名称::含冒号",
        idnumber="HG:001",
    )


def test_every_reserved_character_is_escaped_as_moodle_does():
    text = gift.export([_tricky()]).decode()
    assert "::名称\\:\\:含冒号::" in text
    assert "第3条\\: 下列\\{哪一项\\}正确\\=？\\~\\#\\\\\\n第二行{" in text
    assert "\t=甲：对" in text  # a full-width colon needs no escape
    assert "\t~%50%乙\\=错#一半\\#分" in text
    assert "\t####见第3条\\n\\#注意" in text
    assert "// [id:HG\\:001]" in text and "// [tag:数据合规]" in text


def test_export_then_import_gives_the_same_question():
    question = _tricky()
    back = gift.parse(gift.export([question]))
    assert not back.errors and len(back.questions) == 1
    assert back.questions[0].content() == question.content()


def test_true_false_fill_in_and_short_answer_round_trip():
    questions = [
        ParsedQuestion(kind="true_false", stem="合规负责人可以兼任。", key=["false"]),
        ParsedQuestion(
            kind="fill_in", stem="合规管理的第一责任人是 _____ 。", key=["董事长", "党委书记"]
        ),
        ParsedQuestion(kind="short_answer", stem="简述三道防线。", key=["业务、合规、审计"]),
        ParsedQuestion(
            kind="multiple", stem="哪些要报告？", options=["甲", "乙", "丙"], key=["A", "C"]
        ),
    ]
    back = gift.parse(gift.export(questions))
    assert not back.errors
    assert [q.content() for q in back.questions] == [q.content() for q in questions]


def test_the_category_is_written_first_with_slashes_doubled():
    text = gift.export([_tricky()], category="合规/题库").decode()
    assert text.startswith("$CATEGORY: $course$/top/合规//题库\n")
    assert gift.parse(text.encode()).questions[0].category == ["合规/题库"]


@pytest.mark.django_db
def test_the_admin_exports_a_bank_as_gift_and_it_imports_back_unchanged(client, org):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME).user
    bank = make_bank(org, name="年度题库")
    make_question(bank, stem="第一题：谁对合规负责？", tags=["组织"])
    make_question(bank, kind="multiple", stem="第二题：哪些属于防线？")
    make_question(bank, kind="fill_in", stem="第三题：_____ 负责审核。")
    client.force_login(admin)
    page = client.get(reverse("assessments_admin:bank_transfer", args=[bank.pk])).content
    assert b'id="export-gift"' in page and b">GIFT<" in page
    response = client.get(reverse("assessments_admin:bank_export", args=[bank.pk, "gift"]))
    assert response.status_code == 200
    assert 'filename="bank-' in response["Content-Disposition"]
    assert response.content.decode().startswith("$CATEGORY: $course$/top/年度题库")
    report = questions_import(bank=bank, data=response.content, fmt="gift")
    assert report.ok and (report.created, report.updated, report.unchanged) == (0, 0, 3)


@pytest.mark.django_db
def test_a_gift_export_into_another_bank_creates_the_same_questions(org):
    source = make_bank(org, name="源题库")
    make_question(source, stem="谁对合规负责？", options=["董事会", "客户"], key=["A"])
    target = make_bank(org, name="目标题库")
    data = questions_export(questions=source.questions.all(), fmt="gift", category=source.name)
    report = questions_import(bank=target, data=data, fmt="gift")
    assert report.ok and report.created == 1
    copied = target.questions.get()
    assert copied.stem == "谁对合规负责？" and copied.key == ["A"]
    assert "源题库" in copied.tags  # another bank's category is a tag, as from Moodle
