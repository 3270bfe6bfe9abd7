"""Stored marks of images and documents (`[[image:ID]]`, `[[document:ID]]`) written as the HTML
Moodle keeps files with: `@@PLUGINFILE@@/NAME` references whose bytes travel beside the text
(Moodle XML's `<file>` elements). Pure: the caller gives each mark's file name and bytes."""

import re
from collections.abc import Mapping
from html import escape
from urllib.parse import quote, unquote

MARK = re.compile(r"\[\[(image|document):(\d+)\]\]")
AUDIO_EXTENSIONS = {"mp3", "m4a", "ogg", "oga", "wav"}

MediaKey = tuple[str, int]  # ("image" or "document", id)
MediaFiles = Mapping[MediaKey, tuple[str, bytes]]  # key: (file name, bytes)


ANY_MARK = re.compile(r"\[\[(?:image|document|imagefile|file):[^\]]*\]\]")


def without_marks(text: str) -> str:
    """The text without its media marks (a question's name made from its stem)."""
    return ANY_MARK.sub("", text or "")


def link_text(element: str) -> str:
    """The words of a link element (`<a href=…>words</a>`), "" for a player."""
    if element[:2].lower() != "<a" or element[2:3].isalpha():
        return ""
    return re.sub(r"<[^>]*>", "", element[element.index(">") + 1 :]).strip()


def media_keys(text: str) -> list[MediaKey]:
    return [(kind, int(pk)) for kind, pk in MARK.findall(text or "")]


def is_audio(name: str) -> bool:
    return "." in name and name.rsplit(".", 1)[-1].lower() in AUDIO_EXTENSIONS


def question_file_names(texts, media: MediaFiles) -> dict[MediaKey, str]:
    """A file name for each known mark of one question's texts, unique within the question
    (Moodle keeps files per text area; an import gathers them per question)."""
    names: dict[MediaKey, str] = {}
    used: set[str] = set()
    for text in texts:
        for key in media_keys(text):
            if key in names or key not in media:
                continue
            name = media[key][0] or f"{key[0]}-{key[1]}"
            if name in used:
                name = f"{key[1]}-{name}"
            used.add(name)
            names[key] = name
    return names


def has_known_media(text: str, names: Mapping[MediaKey, str]) -> bool:
    return any(key in names for key in media_keys(text))


def _reference(key: MediaKey, name: str) -> str:
    src = "@@PLUGINFILE@@/" + quote(name)
    shown = escape(name)
    if key[0] == "image":
        return f'<img src="{src}" alt="{shown}">'
    if is_audio(name):
        return f'<audio controls="true"><source src="{src}">{shown}</audio>'
    return f'<a href="{src}">{shown}</a>'


def text_to_html(text: str, names: Mapping[MediaKey, str]) -> str:
    """Stored text as HTML: escaped, line breaks as <br>, each known mark as its file's
    `@@PLUGINFILE@@` reference (an unknown one stays as text)."""
    out, last = [], 0
    for match in MARK.finditer(text):
        key = (match.group(1), int(match.group(2)))
        if key not in names:
            continue
        out.append(escape(text[last : match.start()], quote=False))
        out.append(_reference(key, names[key]))
        last = match.end()
    out.append(escape(text[last:], quote=False))
    return "<br>\n".join("".join(out).split("\n"))


def used_names(text: str, names: Mapping[MediaKey, str]) -> list[tuple[MediaKey, str]]:
    return [(key, names[key]) for key in dict.fromkeys(media_keys(text)) if key in names]


IMAGE_TAG = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']@@PLUGINFILE@@/([^"']+)["'][^>]*>""", re.I)
PLAYER_OR_LINK = re.compile(
    r"""<(audio|video|a)\b(?:(?!</\1>).)*?@@PLUGINFILE@@/([^"'\s<>]+)(?:(?!</\1>).)*?</\1\s*>""",
    re.I | re.S,
)
ANY_TAG = re.compile(r"""<[^<>]*@@PLUGINFILE@@/([^"'\s<>]+)[^<>]*>""", re.I)
BARE = re.compile(r"""@@PLUGINFILE@@/([^"'\s<>]+)""")


def file_name(reference: str) -> str:
    return unquote(reference.split("?")[0]).rsplit("/", 1)[-1]


def without_plugin_files(raw: str, image_note: str, file_note: str) -> tuple[str, list[str]]:
    """HTML whose `@@PLUGINFILE@@` references have no bytes beside them (GIFT holds none): each
    image, player or link becomes a note naming its file (`image_note % name`); the names."""
    names: list[str] = []

    def note(template: str):
        def replace(match) -> str:
            name = file_name(match.group(match.lastindex or 1))
            names.append(name)
            return " " + escape(template % {"name": name}, quote=False) + " "

        return replace

    raw = IMAGE_TAG.sub(note(image_note), raw)
    raw = PLAYER_OR_LINK.sub(note(file_note), raw)
    raw = ANY_TAG.sub(note(file_note), raw)
    raw = BARE.sub(note(file_note), raw)
    return raw, list(dict.fromkeys(names))
