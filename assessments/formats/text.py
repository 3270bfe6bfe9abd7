"""HTML to plain text for imported stems: we store text and always render it escaped.

A simple HTML table becomes one line per row, its cells between pipes (`| 甲 | 乙 |`), which
`assessments.question_text` shows as a table again (escaped cell by cell: nothing of the
HTML but its text survives, so nothing needs sanitising)."""

import html
import re
from html.parser import HTMLParser

_BLOCK = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"}
TABLE_CELL_SEPARATOR = " | "
_SPACES = re.compile(r"[ \t\f\v\xa0\u200b]+")


class _TextCollector(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.tables = 0  # depth: a table inside a cell is read as the cell's text
        self.row: list[str] | None = None
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.skip += 1
        elif tag == "table":
            self.tables += 1
            if self.tables == 1:
                self.parts.append("\n")
        elif self.tables == 1 and tag == "tr":
            self.row = []
        elif self.tables == 1 and tag in ("td", "th") and self.row is not None:
            self._end_cell()
            self.cell = []
        elif tag in _BLOCK or (self.tables > 1 and tag in ("td", "th")):
            self._text(" " if self.cell is not None else "\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.skip = max(0, self.skip - 1)
        elif tag == "table":
            self.tables = max(0, self.tables - 1)
            if self.tables == 0:
                self._end_row()
                self.parts.append("\n")
        elif self.tables == 1 and tag in ("td", "th"):
            self._end_cell()
        elif self.tables == 1 and tag == "tr":
            self._end_row()
        elif tag in _BLOCK:
            self._text(" " if self.cell is not None else "\n")

    def handle_data(self, data):
        if not self.skip:
            self._text(data)

    def _text(self, data: str) -> None:
        if self.cell is not None:
            self.cell.append(data)
        elif self.tables and self.row is not None:
            pass  # text between cells (whitespace of the markup)
        else:
            self.parts.append(data)

    def _end_cell(self) -> None:
        if self.cell is not None and self.row is not None:
            # a pipe inside a cell would split it: the full-width one reads the same
            self.row.append(
                _SPACES.sub(" ", "".join(self.cell).replace("\n", " ").replace("\r", " "))
                .strip(" ")
                .replace("|", "｜")
            )
        self.cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self.row:
            self.parts.append("\n| " + TABLE_CELL_SEPARATOR.join(self.row) + " |\n")
        self.row = None


def html_to_text(value: str) -> str:
    collector = _TextCollector()
    collector.feed(value)
    collector.close()
    # spaces of the markup collapse; the ideographic space of a blank（　　）stays
    lines = [_SPACES.sub(" ", line).strip(" ") for line in "".join(collector.parts).splitlines()]
    return "\n".join(line for line in lines if line).strip()


def unescape(value: str) -> str:
    return html.unescape(value)


# C0 controls XML 1.0 and xlsx cannot hold (tab, line feed and carriage return they can), and DEL.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Without control characters: Word's vertical tab (a manual line break) and a form feed
    become line breaks, the others go."""
    return _CONTROL.sub("", value.replace("\x0b", "\n").replace("\x0c", "\n"))
