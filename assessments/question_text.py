"""A question's stored text as HTML: escaped, line breaks kept, and the lines of a table
(`| 甲 | 乙 |`, as imports write a simple HTML table) shown as a table again, and each
`[[image:ID]]` (an image an import stored in the organisation's collection) as that image,
and each `[[document:ID]]` (another file it stored) as an audio player or a link.

Stored text is plain: every character is escaped here, cell by cell, so a table is as safe
as any other text (no HTML of the imported file survives to be sanitised)."""

import re
from collections.abc import Mapping

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

IMAGE = re.compile(r"\[\[image:(\d+)\]\]")
DOCUMENT = re.compile(r"\[\[document:(\d+)\]\]")
MEDIA = re.compile(r"\[\[(image|document):(\d+)\]\]")
AUDIO_EXTENSIONS = {"mp3", "m4a", "ogg", "oga", "wav"}


def image_ids(text: str) -> set[int]:
    return {int(found) for found in IMAGE.findall(text or "")}


def document_ids(text: str) -> set[int]:
    return {int(found) for found in DOCUMENT.findall(text or "")}


def _document(link: tuple[str, str, str]) -> str:
    url, title, filename = link
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension in AUDIO_EXTENSIONS:
        return (
            f'<audio class="question-audio" controls preload="none" src="{escape(url)}">'
            f'<a href="{escape(url)}">{escape(title)}</a></audio>'
        )
    return f'<a class="question-file" href="{escape(url)}">{escape(title)}</a>'


def _line(
    line: str, image_urls: Mapping[int, str], documents: Mapping[int, tuple[str, str, str]]
) -> str:
    """One escaped line, each [[image:ID]] of a known image as the image itself and each
    [[document:ID]] of a known document as its player or link (an unknown one shows nothing)."""
    out, last = [], 0
    for match in MEDIA.finditer(line):
        out.append(escape(line[last : match.start()]))
        pk = int(match.group(2))
        if match.group(1) == "image":
            url = image_urls.get(pk)
            if url:
                out.append(f'<img class="question-image" src="{escape(url)}" alt="">')
        elif pk in documents:
            out.append(_document(documents[pk]))
        last = match.end()
    out.append(escape(line[last:]))
    return "".join(out)


def _is_row(line: str) -> bool:
    line = line.strip()
    return len(line) >= 2 and line.startswith("|") and line.endswith("|")


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip()[1:-1].split("|")]


def render_question_text(
    text: str,
    image_urls: Mapping[int, str] | None = None,
    documents: Mapping[int, tuple[str, str, str]] | None = None,
) -> SafeString:
    """`documents`: (URL, title, file name) by id."""
    html: list[str] = []
    image_urls = image_urls or {}
    documents = documents or {}
    lines = (text or "").splitlines()
    index = 0
    while index < len(lines):
        if _is_row(lines[index]):
            rows = []
            while index < len(lines) and _is_row(lines[index]):
                rows.append(_cells(lines[index]))
                index += 1
            body = "".join(
                "<tr>"
                + "".join(f"<td>{_line(cell, image_urls, documents)}</td>" for cell in row)
                + "</tr>"
                for row in rows
            )
            html.append(f'<div class="question-table"><table><tbody>{body}</tbody></table></div>')
            continue
        html.append(_line(lines[index], image_urls, documents) + "<br>")
        index += 1
    out = "".join(html)
    if out.endswith("<br>"):
        out = out[: -len("<br>")]
    return mark_safe(out)  # noqa: S308 - every piece of text above is escaped
