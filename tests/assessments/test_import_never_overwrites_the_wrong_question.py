"""An import matches a file's questions to the bank's by a stable identity (Moodle's ID number,
a given name, else type + stem + options), never lets one question of a file overwrite
another, and says what it would overwrite before it does."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from assessments.services.imports import questions_import
from tests.factories.assessments import make_bank, make_question

pytestmark = pytest.mark.django_db

STEM = "下列说法正确的是（　　）。"


def _gift(*questions: str) -> bytes:
    return "\n\n".join(questions).encode()


def test_two_questions_sharing_a_stem_in_one_file_are_both_kept(org):
    bank = make_bank(org)
    data = _gift(
        f"{STEM}{{=合规是全员的责任 ~合规只是法务的事}}",
        f"{STEM}{{=重大风险应当及时报告 ~风险可以不报告}}",
    )
    report = questions_import(bank=bank, data=data, fmt="gift")
    assert report.ok and report.created == 2, report.errors
    assert sorted(q.options[0] for q in bank.questions.all()) == [
        "合规是全员的责任",
        "重大风险应当及时报告",
    ]


def test_a_later_file_with_the_same_stem_does_not_overwrite_an_unrelated_question(org):
    bank = make_bank(org)
    first = make_question(bank, stem=STEM, options=["甲", "乙"], key=["A"])
    report = questions_import(bank=bank, data=_gift(f"{STEM}{{~丙 =丁}}"), fmt="gift")
    assert report.ok and report.created == 1 and report.updated == 0
    first.refresh_from_db()
    assert first.options == ["甲", "乙"] and first.is_active


def _xml(idnumber: str, stem: str, name: str = "数据合规-001") -> str:
    return f"""
  <question type="truefalse">
    <name><text>{name}</text></name>
    <questiontext format="html"><text><![CDATA[<p>{stem}</p>]]></text></questiontext>
    <generalfeedback format="html"><text></text></generalfeedback>
    <idnumber>{idnumber}</idnumber>
    <answer fraction="100" format="moodle_auto_format"><text>true</text></answer>
    <answer fraction="0" format="moodle_auto_format"><text>false</text></answer>
  </question>"""


def _quiz(*questions: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<quiz>' + "".join(questions) + "</quiz>"
    ).encode()


def test_a_moodle_id_number_matches_the_question_even_when_its_stem_changed(org):
    bank = make_bank(org)
    questions_import(
        bank=bank, data=_quiz(_xml("DS-1", "重要数据出境须经评估。")), fmt="moodle-xml"
    )
    question = bank.questions.get()
    assert question.idnumber == "DS-1" and question.name == "数据合规-001"
    report = questions_import(
        bank=bank, data=_quiz(_xml("DS-1", "重要数据出境须经安全评估。")), fmt="moodle-xml"
    )
    assert report.ok and (report.created, report.updated) == (0, 1)
    (change,) = report.updates
    assert change.question_id == question.pk
    assert change.old_stem == "重要数据出境须经评估。"
    assert change.stem == "重要数据出境须经安全评估。"
    assert bank.questions.get(status="active").stem == "重要数据出境须经安全评估。"


def test_a_given_name_matches_the_question_when_there_is_no_id_number(org):
    bank = make_bank(org)
    questions_import(bank=bank, data=_gift("::出境-1::个人信息可以随意出境。{F}"), fmt="gift")
    report = questions_import(
        bank=bank, data=_gift("::出境-1::个人信息可以不经评估出境。{F}"), fmt="gift"
    )
    assert (report.created, report.updated) == (0, 1)


def test_a_name_that_is_only_the_first_words_of_the_stem_is_no_identity(org):
    bank = make_bank(org)
    data = _quiz(_xml("", "下列说法正确的是：合规是全员责任。", name="下列说法正确的是"))
    questions_import(bank=bank, data=data, fmt="moodle-xml")
    assert bank.questions.get().name == ""
    other = _quiz(_xml("", "下列说法正确的是：风险应当报告。", name="下列说法正确的是"))
    report = questions_import(bank=bank, data=other, fmt="moodle-xml")
    assert (report.created, report.updated) == (1, 0)


def test_one_id_number_twice_in_a_file_with_different_content_imports_nothing(org):
    bank = make_bank(org)
    data = _quiz(_xml("DS-1", "第一道题。"), _xml("DS-1", "另一道题。"))
    with translation.override("en"):
        report = questions_import(bank=bank, data=data, fmt="moodle-xml")
    assert not report.ok and bank.questions.count() == 0
    assert [p.position for p in report.errors] == [2]
    assert "#1" in report.errors[0].message


def test_the_dry_run_lists_what_it_would_overwrite_with_old_and_new_stem(org, tmp_path):
    bank = make_bank(org)
    question = make_question(bank, kind="true_false", stem="旧题干：合规负责人可以兼任。")
    question.idnumber = "HG-7"
    question.save()
    path = tmp_path / "bank.xml"
    path.write_bytes(_quiz(_xml("HG-7", "新题干：合规负责人不得兼任。")))
    out = StringIO()
    call_command("import_questions", str(path), "--bank", str(bank.pk), "--dry-run", stdout=out)
    text = out.getvalue()
    assert f"将更新 #1：题目 {question.pk}" in text
    assert "旧题干：合规负责人可以兼任。" in text and "新题干：合规负责人不得兼任。" in text
    question.refresh_from_db()
    assert question.stem == "旧题干：合规负责人可以兼任。"


def test_the_command_refuses_a_file_whose_questions_collide(org, tmp_path):
    bank = make_bank(org)
    path = tmp_path / "bank.xml"
    path.write_bytes(_quiz(_xml("DS-1", "第一道题。"), _xml("DS-1", "另一道题。")))
    with pytest.raises(CommandError):
        call_command(
            "import_questions",
            str(path),
            "--bank",
            str(bank.pk),
            stdout=StringIO(),
            stderr=StringIO(),
        )
    assert bank.questions.count() == 0


def test_the_import_page_previews_what_it_would_overwrite(client, org):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from lms.organisations.models import ComplianceRole
    from tests.factories.organisations import person

    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME).user
    bank = make_bank(org)
    question = make_question(bank, kind="true_false", stem="旧题干：合规负责人可以兼任。")
    question.idnumber = "HG-7"
    question.save()
    client.force_login(admin)
    url = reverse("assessments_admin:bank_transfer", args=[bank.pk])
    upload = SimpleUploadedFile("bank.xml", _quiz(_xml("HG-7", "新题干：合规负责人不得兼任。")))
    page = client.post(url, {"file": upload}).content.decode()
    assert 'id="import-updates"' in page
    assert "旧题干：合规负责人可以兼任。" in page and "新题干：合规负责人不得兼任。" in page
    question.refresh_from_db()
    assert question.stem == "旧题干：合规负责人可以兼任。"
