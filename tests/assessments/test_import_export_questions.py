"""Importing question files (ours and Moodle's own fixtures) and exporting them back."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from assessments.formats import gift, moodle_xml
from assessments.models import Question
from assessments.services.imports import questions_export, questions_import
from tests.factories.assessments import make_bank, make_question

INTEROP = Path(__file__).resolve().parent / "fixtures" / "interop"
MOODLE_XML = INTEROP / "nested_categories_with_questions.xml"
GIFT = INTEROP / "questions.gift.txt"


def test_moodle_fixture_parses_with_categories_as_tags():
    result = moodle_xml.parse(MOODLE_XML.read_bytes())
    assert not result.errors and not result.skipped
    kinds = [q.kind for q in result.questions]
    assert kinds.count("true_false") == 4 and kinds.count("short_answer") == 1
    lambda_q = next(q for q in result.questions if "Lambda" in q.stem)
    assert lambda_q.stem == "Testing Lambda Question"  # HTML reduced to text
    assert lambda_q.tags == ["Iota", "Kappa", "Lambda"]


def test_gift_fixture_skips_matching_and_numerical_with_reasons():
    with translation.override("en"):
        result = gift.parse(GIFT.read_bytes())
    assert not result.errors
    assert {(p.name, p.message) for p in result.skipped} == {
        ("Moodle activities", "matching questions are not supported"),
        ("Q5", "numerical questions are not supported"),
    }
    by_kind = {}
    for q in result.questions:
        by_kind.setdefault(q.kind, []).append(q)
    single = by_kind["single"][0]
    assert single.options == ["yellow", "red", "blue"] and single.key == ["A"]
    multiple = by_kind["multiple"][0]
    assert multiple.options == ["yellow", "red", "off-beige", "blue"]
    assert multiple.key == ["A", "C"]
    assert by_kind["fill_in"][0].key == ["Frog"]
    assert [q.key for q in by_kind["true_false"]] == [["false"], ["true"], ["true"]]
    assert "Hitchiker" in by_kind["true_false"][0].explanation
    assert len(by_kind["short_answer"]) == 1


@pytest.mark.django_db
def test_the_command_imports_moodle_xml_and_prints_counts(org):
    bank = make_bank(org)
    out = StringIO()
    with translation.override("en"):
        call_command("import_questions", str(MOODLE_XML), "--bank", str(bank.pk), stdout=out)
    assert "created 5, updated 0, unchanged 0, skipped 0" in out.getvalue()
    assert bank.questions.count() == 5
    again = StringIO()
    call_command("import_questions", str(MOODLE_XML), "--bank", str(bank.pk), stdout=again)
    assert "新建 0，更新 0，未变 5，跳过 0" in again.getvalue()  # the default language


@pytest.mark.django_db
def test_the_command_reports_skipped_gift_questions_and_dry_run_stores_nothing(org):
    bank = make_bank(org)
    out = StringIO()
    call_command(
        "import_questions",
        str(GIFT),
        "--bank",
        str(bank.pk),
        "--format",
        "gift",
        "--dry-run",
        stdout=out,
    )
    text = out.getvalue()
    # the file holds the same true/false question twice ({T} and {TRUE}): stored once
    assert "试运行（未保存任何内容）：新建 6，更新 0，未变 1，跳过 2" in text
    assert "不支持匹配题" in text  # problems in the default language, Chinese
    assert bank.questions.count() == 0
    call_command(
        "import_questions", str(GIFT), "--bank", str(bank.pk), "--format", "gift", stdout=StringIO()
    )
    assert bank.questions.count() == 6


@pytest.mark.django_db
def test_a_malformed_question_in_the_middle_imports_nothing_and_names_its_position(org, tmp_path):
    bank = make_bank(org)
    path = tmp_path / "bad.gift"
    path.write_text(
        "::ok1:: 合规负责人由谁任命？ {=主要负责人 ~人事部 ~财务部}\n\n"
        "::broken:: 这道题缺少右括号 {=对 ~错\n\n"
        "::ok2:: 合规管理员应当及时报告重大风险。 {T}\n",
        encoding="utf-8",
    )
    err = StringIO()
    with translation.override("en"), pytest.raises(CommandError, match="nothing was imported"):
        call_command(
            "import_questions", str(path), "--bank", str(bank.pk), stderr=err, stdout=StringIO()
        )
    assert "#2 (broken)" in err.getvalue()
    assert bank.questions.count() == 0


@pytest.mark.django_db
def test_a_bad_row_in_a_spreadsheet_imports_nothing(org):
    bank = make_bank(org)
    csv = (
        "题型,题干,选项A,选项B,答案,解析,标签,难度\n"
        "单选题,第一题,甲,乙,A,,数据保护,2\n"
        "单选题,第二题,甲,乙,Z,,数据保护,2\n"
        "判断题,第三题,,,正确,,,3\n"
    ).encode()
    report = questions_import(bank=bank, data=csv, fmt="csv")
    assert not report.ok
    assert [(p.position, "Z" in p.message) for p in report.errors] == [(3, True)]
    assert "第 3 行" in report.errors[0].message  # Chinese by default
    assert bank.questions.count() == 0


@pytest.mark.django_db
def test_a_gbk_csv_with_chinese_headers_imports(org):
    bank = make_bank(org)
    csv = (
        "题型,题干,选项A,选项B,选项C,答案,解析,标签,难度\n"
        "多选题,合规管理三道防线包括？,业务部门,合规部门,审计监督,ABC,三道防线,国企合规，三道防线,4\n"
        "填空题,企业应当设立____。,,,,合规管理部门|合规部,,国企合规,2\n"
    ).encode("gbk")
    report = questions_import(bank=bank, data=csv, fmt="csv")
    assert report.ok and report.created == 2
    multiple = bank.questions.get(kind="multiple")
    assert multiple.key == ["A", "B", "C"] and multiple.tags == ["国企合规", "三道防线"]
    assert multiple.difficulty == 4
    assert bank.questions.get(kind="fill_in").key == ["合规管理部门", "合规部"]


def _all_kinds(bank):
    return [
        make_question(bank, kind="single", stem="单选：合规负责人对谁负责？", tags=["组织"]),
        make_question(bank, kind="multiple", difficulty=4, regulation_reference="第五条"),
        make_question(bank, kind="true_false", key=["false"]),
        make_question(bank, kind="fill_in"),
        make_question(bank, kind="short_answer", stem="简答：<b>请</b>说明 & 论述"),
    ]


def _content(q):
    return (
        q.kind,
        q.stem,
        q.options,
        q.key,
        q.explanation,
        q.tags,
        q.difficulty,
        q.regulation_reference,
    )


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["xlsx", "csv", "moodle-xml"])
def test_importing_an_export_gives_back_the_same_questions(org, fmt):
    source = make_bank(org)
    originals = _all_kinds(source)
    data = questions_export(questions=originals, fmt=fmt)
    target = make_bank(org)
    report = questions_import(bank=target, data=data, fmt=fmt)
    assert report.ok and report.created == 5, report.errors
    imported = sorted(target.questions.all(), key=lambda q: q.kind)
    assert [_content(q) for q in imported] == [
        _content(q) for q in sorted(originals, key=lambda q: q.kind)
    ]
    again = questions_import(bank=target, data=data, fmt=fmt)
    assert again.unchanged == 5 and again.created == 0


@pytest.mark.django_db
def test_a_file_that_is_not_a_spreadsheet_is_an_error_not_a_crash(org):
    bank = make_bank(org)
    report = questions_import(bank=bank, data=b"\x00\x01not a zip", fmt="xlsx")
    assert not report.ok and Question.objects.filter(bank=bank).count() == 0
    xml = questions_import(bank=bank, data=b"<quiz><question type='multichoice'>", fmt="moodle-xml")
    assert not xml.ok


@pytest.mark.django_db
def test_a_csv_export_neutralises_formulae_and_imports_back_unchanged(org):
    import csv
    import io

    from tests.factories.assessments import make_question

    source = make_bank(org)
    question = make_question(
        source,
        stem="+cmd|' /C calc'!A0 这道题干以加号开头",
        options=["-1", "@注意", "=SUM(1)", "普通选项"],
        key=["D"],
    )
    data = questions_export(questions=[question], fmt="csv")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    cells = [cell for row in rows[1:] for cell in row]
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)

    target = make_bank(org)
    report = questions_import(bank=target, data=data, fmt="csv")
    assert report.ok and report.created == 1, report.errors
    assert _content(target.questions.get()) == _content(question)
