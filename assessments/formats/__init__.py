"""Question import and export formats. Parsers are pure: bytes in, `ParseResult` out.

A question of a type we do not support is skipped with its reason; a malformed question is an
error naming its position, and the importer then imports nothing.
"""

from dataclasses import dataclass, field


@dataclass
class ParsedQuestion:
    kind: str
    stem: str
    options: list[str] = field(default_factory=list)
    key: list[str] = field(default_factory=list)
    explanation: str = ""
    option_weights: list[float] = field(default_factory=list)  # percent per option; [] = none
    option_feedback: list[str] = field(default_factory=list)  # per option; [] = none
    tags: list[str] = field(default_factory=list)
    difficulty: int = 3
    regulation_reference: str = ""
    name: str = ""  # Moodle's question name (GIFT ::name::)
    idnumber: str = ""  # Moodle's ID number
    category: list[str] = field(default_factory=list)  # the category path it came under
    # embedded images by file name, shown where the text says [[imagefile:NAME]]
    media: dict[str, bytes] = field(default_factory=dict)
    # embedded other files (audio, PDF…) by file name, where the text says [[file:NAME]]
    documents: dict[str, bytes] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)  # what could not be kept, and why
    position: int = 0  # 1-based place in the file (row or question number)

    def content(self) -> dict:
        return {
            "kind": self.kind,
            "stem": self.stem,
            "options": self.options,
            "key": self.key,
            "explanation": self.explanation,
            "option_weights": self.option_weights,
            "option_feedback": self.option_feedback,
            "tags": self.tags,
            "difficulty": self.difficulty,
            "regulation_reference": self.regulation_reference,
            "name": self.name,
            "idnumber": self.idnumber,
        }


@dataclass
class Problem:
    position: int
    message: str
    name: str = ""

    def __str__(self):
        if not self.position:  # about the whole file (its message names a line if any)
            return self.message
        where = f"#{self.position}" + (f" ({self.name})" if self.name else "")
        return f"{where}: {self.message}"


@dataclass
class ParseResult:
    questions: list[ParsedQuestion] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # kept questions that lost something


IMAGE_FILE_MARK = "[[imagefile:%s]]"  # an image of the file, by name, until it is stored
IMAGE_MARK = "[[image:%d]]"  # a stored image of the library, by id
DOCUMENT_FILE_MARK = "[[file:%s]]"  # another embedded file (audio, PDF…), until it is stored
DOCUMENT_MARK = "[[document:%d]]"  # a stored document of the library, by id


FORMATS = ("xlsx", "csv", "moodle-xml", "gift")
FORMAT_LABELS = {  # names of file formats: the same in every language
    "xlsx": "Excel (xlsx)",
    "csv": "CSV",
    "moodle-xml": "Moodle XML",
    "gift": "GIFT",
}


def guess_format(filename: str) -> str | None:
    name = filename.lower()
    if name.endswith(".xlsx"):
        return "xlsx"
    if name.endswith(".csv"):
        return "csv"
    if name.endswith(".xml"):
        return "moodle-xml"
    if name.endswith((".gift", ".gift.txt", ".txt")):
        return "gift"
    return None


def parse(data: bytes, fmt: str) -> ParseResult:
    from . import gift, moodle_xml, tabular

    if fmt == "moodle-xml":
        result = moodle_xml.parse(data)
    elif fmt == "gift":
        result = gift.parse(data)
    elif fmt in ("xlsx", "csv"):
        result = tabular.parse(data, fmt)
    else:
        raise ValueError(f"unknown format {fmt}")
    for question in result.questions:
        _clean_controls(question)
        result.warnings.extend(
            Problem(question.position, warning, question.name) for warning in question.warnings
        )
    return result


def _clean_controls(question: ParsedQuestion) -> None:
    from .text import clean_text

    for name in ("stem", "explanation", "regulation_reference", "name", "idnumber"):
        setattr(question, name, clean_text(getattr(question, name)).strip())
    for name in ("options", "key", "tags", "option_feedback"):
        setattr(question, name, [clean_text(str(v)).strip() for v in getattr(question, name)])
