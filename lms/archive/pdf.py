"""People's compliance files as PDFs (A4, Chinese font embedded), printed in Chinese (an
official document) whatever the reader's language, like certificates and commitment letters.

WeasyPrint's layout is the expensive step and most of it is fixed cost per render (fonts,
stylesheet, the document's set-up). So a batch of files is laid out as one document, each file
starting on a new page with a level-1 bookmark, and the document's pages are cut into one PDF
per person at those bookmarks: one layout for many files, measured in bench/archive_build.py.
"""

import logging
from functools import lru_cache

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from certificates.pdf import PDF_LANGUAGE

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


@lru_cache(maxsize=1)
def _fonts_and_css():
    font_config = FontConfiguration()
    css = CSS(string=render_to_string("archive/pdf/file.css"), font_config=font_config)
    return font_config, css


def render_files(files) -> list[bytes]:
    """One PDF per file, in order (the files gathered in Chinese: gather under
    `translation.override(PDF_LANGUAGE)`)."""
    if not files:
        return []
    with translation.override(PDF_LANGUAGE):
        html = render_to_string(
            "archive/pdf/files.html",
            {"files": files, "made_at": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        )
    font_config, css = _fonts_and_css()
    document = HTML(string=html, base_url=str(settings.BASE_DIR)).render(
        stylesheets=[css], font_config=font_config
    )
    starts = sorted(
        {page for level, _label, (page, _x, _y), _state in _bookmarks(document) if level == 1}
    )
    if len(starts) != len(files):  # cannot happen while every file starts with its <h1>
        raise RuntimeError(f"{len(files)} files laid out as {len(starts)}")
    ends = [*starts[1:], len(document.pages)]
    return [
        document.copy(document.pages[a:b]).write_pdf() for a, b in zip(starts, ends, strict=True)
    ]


def _bookmarks(document):
    """Every bookmark as (level, label, target, state), in order."""
    for page_number, page in enumerate(document.pages):
        for level, label, (x, y), state in page.bookmarks:
            yield level, label, (page_number, x, y), state


def render_file(file) -> bytes:
    return render_files([file])[0]
