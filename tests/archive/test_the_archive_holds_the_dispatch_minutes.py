"""The inspection archive holds the minutes of the dispatch meetings held in its range (the
real `lms.dispatch` section, as registered by the app), as a Word document whose text says
who attended, what was said and decided; a meeting outside the range is left out. The
people's PDFs in the same archive read as their files."""

import datetime
import io
import zipfile

import pytest
from django.utils import translation

from lms.archive import services
from lms.archive.models import InspectionArchive
from lms.dispatch import services as dispatch
from lms.dispatch.quarters import Quarter
from lms.organisations.models import ComplianceRole
from lms.spreadsheets import read_rows
from lms.word import docx_text
from tests.certificates.conftest import pdf_fonts, pdf_text
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


def meeting(world, quarter, day, minutes, decisions):
    return dispatch.meeting_record(
        actor=world["head"].user,
        organisation_id=world["org"].pk,
        quarter=quarter,
        held_on=quarter.start.replace(day=day),
        attendee_ids=[world["head"].pk, world["admin"].pk, world["principal"].pk],
        minutes=minutes,
        decisions=decisions,
        priorities="开展招投标专项排查。",
    )


@pytest.fixture
def principal(world):
    world["principal"] = person(
        world["org"], role=ComplianceRole.PRINCIPAL, user__full_name="周总经理"
    )
    return world


def build(world, start, end, language="zh-hans") -> zipfile.ZipFile:
    archive = InspectionArchive.objects.create(
        organisation=world["org"],
        start=start,
        end=end,
        requested_by=world["head"].user,
        language=language,
    )
    services.archive_build_here(archive_id=archive.pk)
    archive.refresh_from_db()
    assert archive.status == "done", archive.error
    with archive.file.open("rb") as fh:
        return zipfile.ZipFile(io.BytesIO(fh.read()))


def test_the_minutes_held_in_the_range_are_in_the_archive(principal, tmp_path):
    world = principal
    meeting(world, Quarter(2025, 2), 20, "汇报采购部合同审查问题。", "采购部问题限期整改。")
    meeting(world, Quarter(2025, 3), 15, "复核整改完成情况。", "整改验收通过。")
    meeting(world, Quarter(2024, 4), 10, "去年的会议，不在范围内。", "不应出现。")

    zf = build(world, datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))

    word = [n for n in zf.namelist() if n.endswith(".docx")]
    assert word == ["合规管理调度/季度合规调度会议纪要 2025-01-01 至 2025-12-31.docx"]
    text = docx_text(zf.read(word[0]))
    assert "汇报采购部合同审查问题。" in text and "采购部问题限期整改。" in text
    assert "复核整改完成情况。" in text and "整改验收通过。" in text
    assert "周总经理" in text and "张负责人" in text  # who attended
    assert "不在范围内" not in text
    index = [row for _number, row in read_rows(zf.read("目录.xlsx"))]
    assert [word[0], "合规管理调度"] == index[[r[0] for r in index].index(word[0])][:2]

    # the people's files beside them: their PDFs read as the file, in the embedded font
    pdfs = sorted(n for n in zf.namelist() if n.endswith(".pdf"))
    head_pdf = zf.read(next(n for n in pdfs if "张负责人" in n))
    text = pdf_text(head_pdf, tmp_path)
    for words in ("合规档案", "张负责人", "岗位与任职", "培训", "考试", "证书", "奖惩记录"):
        assert words in text
    assert " yes " in pdf_fonts(head_pdf, tmp_path)  # the font is embedded


def test_no_meeting_in_the_range_adds_no_minutes(world):
    zf = build(world, datetime.date(2001, 1, 1), datetime.date(2001, 12, 31))
    assert not [n for n in zf.namelist() if n.endswith(".docx")]


def test_in_english_the_folder_and_file_are_named_in_english(principal):
    world = principal
    meeting(world, Quarter(2025, 2), 20, "汇报。", "整改。")
    with translation.override("en"):
        zf = build(world, datetime.date(2025, 4, 1), datetime.date(2025, 6, 30), language="en")
    assert (
        "Compliance dispatch/Quarterly dispatch minutes 2025-04-01 to 2025-06-30.docx"
        in zf.namelist()
    )
