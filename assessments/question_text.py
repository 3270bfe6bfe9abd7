"""A question's stored text as HTML: escaped, line breaks kept, and the lines of a table
(`| 甲 | 乙 |`, as imports write a simple HTML table) shown as a table again.

Stored text is plain: every character is escaped here, cell by cell, so a table is as safe
as any other text (no HTML of the imported file survives to be sanitised)."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe


def _is_row(line: str) -> bool:
    line = line.strip()
    return len(line) >= 2 and line.startswith("|") and line.endswith("|")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip()[1:-1].split("|")]


def render_question_text(text: str) -> SafeString:
    html: list[str] = []
    lines = (text or "").splitlines()
    index = 0
    while index < len(lines):
        if _is_row(lines[index]):
            rows = []
            while index < len(lines) and _is_row(lines[index]):
                rows.append(_cells(lines[index]))
                index += 1
            body = "".join(
                "<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>"
                for row in rows
            )
            html.append(f'<div class="question-table"><table><tbody>{body}</tbody></table></div>')
            continue
        html.append(escape(lines[index]) + "<br>")
        index += 1
    out = "".join(html)
    if out.endswith("<br>"):
        out = out[: -len("<br>")]
    return mark_safe(out)  # noqa: S308 - every piece of text above is escaped
