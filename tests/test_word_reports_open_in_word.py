"""A Word report people download opens, says what was put in it, and survives pasted control
characters (lms/word.py)."""

import io
import zipfile

from lms.word import WordDocument, clean_text, docx_response, docx_text


def test_a_report_holds_its_title_headings_and_table_rows():
    doc = WordDocument("2026年第三季度合规管理报告", subtitle="城投集团")
    doc.heading("一、培训完成情况")
    doc.paragraph("应训 120 人，已完成 118 人。")
    doc.table(["部门", "应训", "完成"], [["财务部", 20, 19], ["法务部", 5, None]])
    doc.bullets(["下季度重点：新员工入职培训"])
    doc.blank_lines("主要负责人意见：")
    data = doc.to_bytes()

    assert zipfile.is_zipfile(io.BytesIO(data))
    text = docx_text(data)
    assert "2026年第三季度合规管理报告" in text
    assert "一、培训完成情况" in text
    assert "财务部 | 20 | 19" in text
    assert "法务部 | 5 | " in text
    assert "下季度重点：新员工入职培训" in text


def test_control_characters_pasted_from_word_do_not_break_the_file():
    doc = WordDocument("报告\x0b标题")
    doc.paragraph("第一行\x0b第二行\x00")
    doc.table(["列\x0c"], [["值\x1f"]])
    text = docx_text(doc.to_bytes())
    assert "报告标题" in text and "第一行第二行" in text and "值" in text
    assert clean_text(None) == ""


def test_the_download_keeps_its_chinese_file_name():
    response = docx_response(b"x", "合规报告.docx")
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert "filename*=utf-8''" in response["Content-Disposition"]
