"""Word documents in one place: the reports people download to edit and file (quarterly dispatch
reports, self-inspection drafts, duty summaries) are built with `WordDocument` and served with
`docx_response`.

A Word document is the form Chinese compliance departments work in: the platform drafts the
figures and tables, people finish the text in Word or WPS and file it. The builder keeps the house
look (a Chinese body font that Word and WPS both have, headings in black, tables with a header
row) so every report looks like one product's, and it strips the characters XML 1.0 forbids
(a vertical tab pasted from Word would otherwise make the file unreadable).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
BODY_FONT = "宋体"  # SimSun: present in Word and WPS on every Chinese desktop
HEADING_FONT = "黑体"  # SimHei

_XML_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value: Any) -> str:
    """The text of a value as Word can hold it: None is empty, forbidden control characters go."""
    if value is None:
        return ""
    return _XML_FORBIDDEN.sub("", str(value))


def _set_east_asian_font(run_or_style: Any, name: str) -> None:
    from docx.oxml.ns import qn

    run_or_style.font.name = name
    r_pr = run_or_style.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = r_pr.makeelement(qn("w:rFonts"), {})
        r_pr.append(fonts)
    fonts.set(qn("w:eastAsia"), name)


class WordDocument:
    """A report being written: title, headings, paragraphs, tables, then `to_bytes()`."""

    def __init__(self, title: str, *, subtitle: str = "") -> None:
        from docx import Document
        from docx.enum.text import WD_ALIGN_PARAGRAPH
        from docx.shared import Pt, RGBColor

        self._doc = Document()
        normal = self._doc.styles["Normal"]
        _set_east_asian_font(normal, BODY_FONT)
        normal.font.size = Pt(12)
        for level in (1, 2, 3):
            style = self._doc.styles[f"Heading {level}"]
            _set_east_asian_font(style, HEADING_FONT)
            style.font.color.rgb = RGBColor(0, 0, 0)
        self._doc.core_properties.title = clean_text(title)
        heading = self._doc.add_heading(clean_text(title), level=0)
        heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for run in heading.runs:
            _set_east_asian_font(run, HEADING_FONT)
            run.font.color.rgb = RGBColor(0, 0, 0)
        if subtitle:
            para = self._doc.add_paragraph(clean_text(subtitle))
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def heading(self, text: str, level: int = 1) -> None:
        self._doc.add_heading(clean_text(text), level=level)

    def paragraph(self, text: str = "", *, bold: bool = False) -> None:
        para = self._doc.add_paragraph()
        run = para.add_run(clean_text(text))
        run.bold = bold

    def bullets(self, items: Iterable[str]) -> None:
        for item in items:
            self._doc.add_paragraph(clean_text(item), style="List Bullet")

    def table(self, headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
        """A table with a bold header row; an empty `rows` still gives the header row."""
        rows = [list(r) for r in rows]
        table = self._doc.add_table(rows=1, cols=len(headers))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, headers, strict=True):
            cell.text = ""
            cell.paragraphs[0].add_run(clean_text(text)).bold = True
        for values in rows:
            cells = table.add_row().cells
            for cell, value in zip(cells, values, strict=True):
                cell.text = clean_text(value)
        self._doc.add_paragraph()

    def blank_lines(self, label: str, count: int = 3) -> None:
        """A label followed by empty lines for people to write in (a draft's parts to complete)."""
        self.paragraph(label, bold=True)
        for _ in range(count):
            self._doc.add_paragraph("")

    def to_bytes(self) -> bytes:
        out = io.BytesIO()
        self._doc.save(out)
        return out.getvalue()


def docx_response(data: bytes, filename: str) -> HttpResponse:
    """A download of a Word document, its (Chinese) file name kept in every browser."""
    response = HttpResponse(data, content_type=DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def docx_text(data: bytes) -> str:
    """Every paragraph and table cell of a document, one per line (to check what a report says)."""
    from docx import Document

    doc = Document(io.BytesIO(data))
    lines = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)
