"""People's compliance files as PDFs (A4, Chinese font embedded), printed in Chinese (an
official document) whatever the reader's language, like certificates and commitment letters.

Where the time goes (profiled, bench/archive_build.py): WeasyPrint's layout and, for each PDF
written, the subsetting of the font it embeds. So:

- a batch of files is laid out as one document, each file starting on a new page with a
  level-1 bookmark, and the document's pages are cut into one PDF per person at those
  bookmarks (one layout's fixed cost for many files);
- an archive's files share one font: WenQuanYi Micro Hei (5 MB, 30,000 glyphs) is subset once
  to the characters the files use (`fonts_for`), so each PDF then subsets a font of a few
  hundred glyphs instead of the whole face; any character missing falls back to the system's
  fonts as before;
- the file's stylesheet is plain: block layout, the facts in one paragraph, tables without
  collapsed borders, one font family for the page and its margin boxes (the page number was
  set in a second, serif font).
"""

import logging
import shutil
import string
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration

from certificates.pdf import PDF_LANGUAGE

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
logging.getLogger("fontTools").setLevel(logging.ERROR)
logger = logging.getLogger(__name__)

FAMILY = "WenQuanYi Micro Hei"
SUBSET_FAMILY = "Archive WenQuanYi Subset"


@dataclass(frozen=True)
class Styles:
    """A stylesheet and the font configuration it was parsed with (used together)."""

    font_config: FontConfiguration
    css: CSS


def _stylesheet(family: str) -> str:
    return render_to_string("archive/pdf/file.css", {"family": family})


@lru_cache(maxsize=1)
def _default_styles() -> Styles:
    font_config = FontConfiguration()
    css = CSS(string=_stylesheet(f'"{FAMILY}"'), font_config=font_config)
    return Styles(font_config, css)


@lru_cache(maxsize=1)
def _font_file() -> str | None:
    """WenQuanYi Micro Hei's file, as fontconfig (which WeasyPrint's Pango uses) finds it."""
    fc_match = shutil.which("fc-match")
    if fc_match is None:
        return None
    try:
        found = subprocess.run(  # noqa: S603 - a fixed program and family name
            [fc_match, "--format=%{file}", FAMILY],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    return found if found and "wqy" in Path(found).name.lower() else None


def _subset_font(source: str, characters: set[str], target: Path) -> bool:
    from fontTools import subset

    options = subset.Options()
    options.font_number = 0
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.notdef_outline = True
    try:
        font = subset.load_font(source, options)
        subsetter = subset.Subsetter(options)
        subsetter.populate(unicodes=sorted({ord(c) for c in characters if c.isprintable()}))
        subsetter.subset(font)
        subset.save_font(font, str(target), options)
    except Exception:  # a font fontTools cannot read: render with the whole face instead
        logger.warning("could not subset %s; the archive embeds the whole face", source)
        return False
    return True


@contextmanager
def fonts_for(files) -> Iterator[Styles]:
    """Styles whose font is subset once to the characters of `files` (an archive's people's
    files), for `render_files(..., styles=)` while the context lasts."""
    source = _font_file()
    if source is None or not files:
        yield _default_styles()
        return
    characters = set(_html(files)) | set(string.printable)
    with tempfile.TemporaryDirectory(prefix="archive-font-") as folder:
        target = Path(folder) / "subset.ttf"
        if not _subset_font(source, characters, target):
            yield _default_styles()
            return
        font_config = FontConfiguration()
        face = f'@font-face {{ font-family: "{SUBSET_FAMILY}"; src: url("{target.as_uri()}"); }}\n'
        css = CSS(
            string=face + _stylesheet(f'"{SUBSET_FAMILY}", "{FAMILY}"'), font_config=font_config
        )
        yield Styles(font_config, css)


def _html(files) -> str:
    with translation.override(PDF_LANGUAGE):
        return render_to_string(
            "archive/pdf/files.html",
            {"files": files, "made_at": timezone.localtime().strftime("%Y-%m-%d %H:%M")},
        )


def render_files(files, *, styles: Styles | None = None) -> list[bytes]:
    """One PDF per file, in order (the files gathered in Chinese: gather under
    `translation.override(PDF_LANGUAGE)`)."""
    if not files:
        return []
    styles = styles or _default_styles()
    document = HTML(string=_html(files), base_url=str(settings.BASE_DIR)).render(
        stylesheets=[styles.css], font_config=styles.font_config
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
