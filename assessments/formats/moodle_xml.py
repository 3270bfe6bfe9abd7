"""Moodle XML: multichoice (single and multiple), truefalse, shortanswer, essay.

Categories and tags become tags. Our difficulty and regulation reference travel in elements
Moodle ignores (`hegui_difficulty`, `hegui_reference`), so an export imports back the same.
"""

import base64
import binascii
import html
import re
import xml.etree.ElementTree as ET

from django.utils.translation import gettext as _

from ..grading import OPTION_LETTERS as LETTERS
from . import DOCUMENT_FILE_MARK, IMAGE_FILE_MARK, ParsedQuestion, ParseResult, Problem
from . import media as marks
from .media import MediaFiles, has_known_media, question_file_names, text_to_html, used_names
from .text import clean_text, html_to_text

SUPPORTED = {"multichoice", "truefalse", "shortanswer", "essay"}
CATEGORY_ROOTS = {"$course$", "$system$", "$module$", "$cat1$", "top", ""}


def _text(element, path: str = "text") -> str:
    if element is None:
        return ""
    node = element.find(path) if path else element
    if node is None or node.text is None:
        return ""
    fmt = element.get("format", "html")
    raw = node.text
    return html_to_text(raw) if fmt in ("html", "moodle_auto_format") else raw.strip()


_OPEN, _CLOSE = "\ue010", "\ue011"  # an image's place while the HTML becomes text
_DOC_OPEN, _DOC_CLOSE = "\ue012", "\ue013"  # another file's place
_PLUGINFILE_IMAGE, _PLUGINFILE_ELEMENT = marks.IMAGE_TAG, marks.PLAYER_OR_LINK
_PLUGINFILE_TAG, _PLUGINFILE = marks.ANY_TAG, marks.BARE
_file_name = marks.file_name


def _decode(node) -> bytes | None:
    try:
        return base64.b64decode((node.text or "").strip(), validate=False)
    except (binascii.Error, ValueError):
        return None


class _Media:
    """The images and other files of one question (by file name) and what could not be
    kept."""

    def __init__(self):
        self.files: dict[str, bytes] = {}
        self.documents: dict[str, bytes] = {}
        self.warnings: list[str] = []

    def rich(self, container) -> str:
        """The text of a Moodle text element (questiontext, answer, feedback…): HTML made
        text, each `@@PLUGINFILE@@` image kept as [[imagefile:NAME]] and each other file (an
        audio player, a link) as [[file:NAME]], with its embedded bytes."""
        if container is None:
            return ""
        node = container.find("text")
        if node is None or node.text is None:
            return ""
        files = {f.get("name", ""): f for f in container.findall("file")}
        raw = node.text

        def image(match):
            name = _file_name(match.group(1))
            embedded = files.get(name)
            data = _decode(embedded) if embedded is not None else None
            if not data:
                self.warnings.append(
                    _("the image %(name)s is not in the file: it was left out") % {"name": name}
                )
                return " " + _("[image %(name)s]") % {"name": name} + " "
            self.files[name] = data
            return f"{_OPEN}{name}{_CLOSE}"

        def other(match):
            name = _file_name(match.group(match.lastindex or 1))
            embedded = files.get(name)
            data = _decode(embedded) if embedded is not None else None
            if not data:
                self.warnings.append(
                    _("the file %(name)s is not in the file: it was left out") % {"name": name}
                )
                return " " + _("[file %(name)s]") % {"name": name} + " "
            self.documents[name] = data
            words = marks.link_text(match.group(0))  # a link's own words stay before it
            words = "" if words in (name, html.escape(name, quote=False)) else words
            return f"{words}{_DOC_OPEN}{name}{_DOC_CLOSE}"

        raw = _PLUGINFILE_IMAGE.sub(image, raw)
        raw = _PLUGINFILE_ELEMENT.sub(other, raw)
        raw = _PLUGINFILE_TAG.sub(other, raw)
        raw = _PLUGINFILE.sub(other, raw)
        fmt = container.get("format", "html")
        text = html_to_text(raw) if fmt in ("html", "moodle_auto_format") else raw.strip()
        text = re.sub(f"{_OPEN}(.*?){_CLOSE}", lambda m: IMAGE_FILE_MARK % m.group(1), text)
        return re.sub(
            f"{_DOC_OPEN}(.*?){_DOC_CLOSE}", lambda m: DOCUMENT_FILE_MARK % m.group(1), text
        )

    def legacy(self, element) -> str:
        """Moodle 1.x-2.x's <image> with <image_base64>: an image after the text."""
        name = _file_name((element.findtext("image") or "").strip())
        encoded = element.find("image_base64")
        if not name and encoded is None:
            return ""
        data = _decode(encoded) if encoded is not None else None
        if not data:
            self.warnings.append(
                _("the image %(name)s is not in the file: it was left out") % {"name": name}
            )
            return ""
        name = name or "image"
        self.files[name] = data
        return IMAGE_FILE_MARK % name


def _category_tags(path: str) -> list[str]:
    """The names of a category path: `/` separates them, `//` is a slash inside a name
    (Moodle's escape); `$course$`, `$module$`, `$system$` and `top` are roots, not names."""
    parts = [p.replace("\ue009", "/") for p in path.replace("//", "\ue009").split("/")]
    return [part.strip() for part in parts if part.strip() not in CATEGORY_ROOTS]


def parse(data: bytes) -> ParseResult:
    result = ParseResult()
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        line, column = exc.position
        result.errors.append(
            Problem(
                0,
                _("line %(line)d, column %(column)d: not valid XML (%(error)s)")
                % {"line": line, "column": column + 1, "error": str(exc.msg).split(":")[0]},
            )
        )
        return result
    if root.tag != "quiz":
        result.errors.append(Problem(0, _("not a Moodle XML file: the root element is not <quiz>")))
        return result
    category: list[str] = []
    position = 0
    for element in root.findall("question"):
        qtype = element.get("type", "")
        if qtype == "category":
            category = _category_tags(_text(element.find("category"), "text"))
            continue
        position += 1
        name = (element.findtext("name/text") or "").strip()  # plain text in Moodle
        if qtype not in SUPPORTED:
            result.skipped.append(
                Problem(
                    position, _("question type '%(type)s' is not supported") % {"type": qtype}, name
                )
            )
            continue
        media = _Media()
        try:
            question = _question(element, qtype, media)
        except ValueError as exc:
            result.errors.append(Problem(position, str(exc), name))
            continue
        question.position = position
        question.name = name
        question.media, question.warnings = media.files, media.warnings
        question.documents = media.documents
        question.idnumber = (element.findtext("idnumber") or "").strip()
        question.category = category
        question.tags = list(dict.fromkeys([*category, *question.tags]))
        result.questions.append(question)
    return result


def _question(element, qtype: str, media: _Media) -> ParsedQuestion:
    stem = media.rich(element.find("questiontext"))
    legacy = media.legacy(element)
    stem = f"{stem}\n{legacy}".strip() if legacy else stem
    if not stem:
        raise ValueError(_("the question text is empty"))
    explanation = media.rich(element.find("generalfeedback"))
    # Moodle 4.x writes the question's tags and, apart, the ones only its course sees
    tags = [
        (t.findtext("text") or "").strip()
        for t in [*element.findall("tags/tag"), *element.findall("coursetags/tag")]
        if (t.findtext("text") or "").strip()
    ]
    difficulty = element.findtext("hegui_difficulty") or "3"
    if not difficulty.strip().isdigit() or not 1 <= int(difficulty) <= 5:
        raise ValueError(_("difficulty must be 1-5, not '%(value)s'") % {"value": difficulty})
    common = {
        "stem": stem,
        "explanation": explanation,
        "tags": tags,
        "difficulty": int(difficulty),
        "regulation_reference": (element.findtext("hegui_reference") or "").strip(),
    }
    answer_elements = element.findall("answer")
    answers = [(_fraction(a), media.rich(a)) for a in answer_elements]
    if qtype == "multichoice":
        single = (element.findtext("single") or "true").strip().lower() in ("true", "1")
        if len(answers) < 2:
            raise ValueError(_("a multiple-choice question needs at least two answers"))
        if len(answers) > len(LETTERS):
            raise ValueError(_("a question has at most ten answers"))
        if any(not text for _f, text in answers):
            raise ValueError(_("an answer is empty"))
        if single:
            key = [LETTERS[i] for i, (f, _t) in enumerate(answers) if f >= 100]
            if not key:
                # Moodle scores any answer worth 100% as right: several may be
                raise ValueError(_("a single-answer question needs an answer worth 100%"))
        else:
            key = [LETTERS[i] for i, (f, _t) in enumerate(answers) if f > 0]
            if not key:
                raise ValueError(_("no answer is marked correct"))
        weights = [_number(f) for f, _t in answers]
        if single and all(w in (0, 100) for w in weights):
            weights = []  # only the key scores: no partial credit to keep
        scoring = (element.findtext("hegui_scoring") or "").strip()
        if not single and scoring == "all_or_nothing":
            weights = []
        feedback = [media.rich(a.find("feedback")) for a in answer_elements]
        return ParsedQuestion(
            kind="multiple" if not single else "single",
            options=[t for _f, t in answers],
            key=key,
            option_weights=weights,
            option_feedback=feedback if any(feedback) else [],
            **common,
        )
    if qtype == "truefalse":
        right = [t.strip().lower() for f, t in answers if f >= 100]
        if right not in (["true"], ["false"]):
            raise ValueError(_("a true/false question needs 'true' or 'false' worth 100%"))
        return ParsedQuestion(kind="true_false", key=right, **common)
    if qtype == "shortanswer":
        accepted = [t for f, t in answers if f >= 100 and t]
        if not accepted:
            raise ValueError(_("no accepted answer is worth 100%"))
        return ParsedQuestion(kind="fill_in", key=accepted, **common)
    reference = _text(element.find("graderinfo"))
    return ParsedQuestion(kind="short_answer", key=[reference] if reference else [], **common)


def _number(value: float):
    return int(value) if float(value).is_integer() else value


def _fraction(answer) -> float:
    try:
        return float(answer.get("fraction", "0"))
    except ValueError as exc:
        raise ValueError(
            _("answer fraction '%(value)s' is not a number") % {"value": answer.get("fraction")}
        ) from exc


def export(questions, media: MediaFiles | None = None) -> bytes:
    """Moodle XML of these questions (model instances or ParsedQuestion). A text with images or
    documents of `media` (by mark, see `formats.media`) is written as HTML whose
    `@@PLUGINFILE@@/NAME` references have their bytes in `<file>` elements, as Moodle's own
    export writes them; any other text is plain."""
    root = ET.Element("quiz")
    media = media or {}
    for q in questions:
        names = question_file_names(
            [q.stem, q.explanation, *q.options, *(getattr(q, "option_feedback", []) or [])],
            media,
        )
        qtype = {
            "single": "multichoice",
            "multiple": "multichoice",
            "true_false": "truefalse",
            "fill_in": "shortanswer",
            "short_answer": "essay",
        }[q.kind]
        element = ET.SubElement(root, "question", type=qtype)
        name = ET.SubElement(element, "name")
        ET.SubElement(name, "text").text = (
            getattr(q, "name", "") or " ".join(marks.without_marks(q.stem).split())[:50]
        )
        _text_element(element, "questiontext", q.stem, names, media)
        _text_element(element, "generalfeedback", q.explanation, names, media)
        ET.SubElement(element, "defaultgrade").text = "1"
        if getattr(q, "idnumber", ""):
            ET.SubElement(element, "idnumber").text = q.idnumber
        ET.SubElement(element, "hegui_difficulty").text = str(q.difficulty)
        if q.regulation_reference:
            ET.SubElement(element, "hegui_reference").text = q.regulation_reference
        if q.kind in ("single", "multiple"):
            weights = list(getattr(q, "option_weights", []) or [])
            feedback = list(getattr(q, "option_feedback", []) or [])
            ET.SubElement(element, "single").text = "true" if q.kind == "single" else "false"
            ET.SubElement(element, "shuffleanswers").text = "true"
            if q.kind == "multiple" and not weights:
                # ours scores all-or-nothing; Moodle reads the fractions below
                ET.SubElement(element, "hegui_scoring").text = "all_or_nothing"
            right, wrong = len(q.key), len(q.options) - len(q.key)
            for index, (letter, option) in enumerate(zip(LETTERS, q.options, strict=False)):
                if weights:
                    fraction = weights[index]
                elif q.kind == "single":
                    fraction = 100 if letter in q.key else 0
                else:  # Moodle's way: wrong options cost, so ticking everything scores 0
                    fraction = 100 / right if letter in q.key else (-100 / wrong if wrong else 0)
                remark = feedback[index] if index < len(feedback) else ""
                _answer(element, option, fraction, remark, names, media)
        elif q.kind == "true_false":
            _answer(element, "true", 100 if q.key == ["true"] else 0)
            _answer(element, "false", 100 if q.key == ["false"] else 0)
        elif q.kind == "fill_in":
            for accepted in q.key:
                _answer(element, accepted, 100)
        else:
            ET.SubElement(element, "responseformat").text = "plain"
            info = ET.SubElement(element, "graderinfo", format="plain_text")
            ET.SubElement(info, "text").text = q.key[0] if q.key else ""
        if q.tags:
            tags = ET.SubElement(element, "tags")
            for tag in q.tags:
                ET.SubElement(ET.SubElement(tags, "tag"), "text").text = tag
    for node in root.iter():  # stored text may hold controls XML cannot: never a broken file
        if node.text:
            node.text = clean_text(node.text)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def _text_element(parent, tag: str, text: str, names, media, **attributes):
    """`<tag format=…><text>…</text><file…>…</tag>`: HTML with its files when the text shows
    known media, else plain text."""
    if has_known_media(text, names):
        container = ET.SubElement(parent, tag, {**attributes, "format": "html"})
        ET.SubElement(container, "text").text = text_to_html(text, names)
        for key, name in used_names(text, names):
            node = ET.SubElement(container, "file", name=name, path="/", encoding="base64")
            node.text = base64.b64encode(media[key][1]).decode("ascii")
        return container
    container = ET.SubElement(parent, tag, {**attributes, "format": "plain_text"})
    ET.SubElement(container, "text").text = text
    return container


def _answer(parent, text: str, fraction: float, feedback: str = "", names=None, media=None) -> None:
    names, media = names or {}, media or {}
    answer = _text_element(parent, "answer", text, names, media, fraction=f"{fraction:.7g}")
    if feedback:
        _text_element(answer, "feedback", feedback, names, media)
