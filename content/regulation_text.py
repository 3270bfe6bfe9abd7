"""Split a policy text (as published, one paragraph a line) into a title, preamble and clauses,
and lay the clauses out under their section headings for the page.

A clause's heading is the path of section headings above it, each with its own number
("二、重点任务" / "（一）落实合规管理责任"), one per line; the page shows a heading once, where it
begins, not above every clause. Pure: no database. Used by the demo to build regulation pages
from the seed texts and by the regulation page's template.
"""

import re
from dataclasses import dataclass, field

NUMBER = re.compile(
    r"^(（[一二三四五六七八九十]+）|\([一二三四五六七八九十]+\)|[一二三四五六七八九十]+、|\d+[.．、]\s*)"
)
SENTENCE_END = "。；;：:！？!?"
HEADING_MAX = 30


@dataclass
class Clause:
    number: str
    heading: str
    text: str


@dataclass
class ParsedRegulation:
    title: str
    subtitle: str = ""
    preamble: str = ""
    clauses: list[Clause] = field(default_factory=list)


def parse_regulation(text: str) -> ParsedRegulation:
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    title_lines = []
    while lines and not lines[0].endswith(("。", "：")) and len(lines[0]) <= HEADING_MAX:
        title_lines.append(lines.pop(0))
        if lines and NUMBER.match(lines[0]):
            break
    subtitle = ""
    if title_lines and title_lines[-1][:1] in "（(":
        subtitle = title_lines.pop()
    result = ParsedRegulation(title="".join(title_lines), subtitle=subtitle.strip("（）()"))
    headings: list[tuple[int, str]] = []  # (level, "二、重点任务"), outermost first
    previous_open = False
    for line in lines:
        match = NUMBER.match(line)
        is_heading = (
            match is not None
            and not match.group(1)[0].isdigit()
            and len(line) <= HEADING_MAX
            and line[-1] not in SENTENCE_END
        )
        if previous_open and not match:
            # a paragraph broken across lines in the source
            target = result.clauses[-1] if result.clauses else None
            if target is not None:
                target.text += line
            else:
                result.preamble += line
            previous_open = line[-1] not in SENTENCE_END
            continue
        if is_heading:
            level = _level(match.group(1))
            headings = [h for h in headings if h[0] < level] + [
                (level, match.group(1).strip() + line[match.end() :].strip())
            ]
            previous_open = False
            continue
        heading = "\n".join(text for _level_, text in headings)
        if not result.clauses and not heading:
            result.preamble += ("\n" if result.preamble else "") + line
        else:
            number = match.group(1).strip() if match else ""
            body = line[match.end() :].strip() if match else line
            result.clauses.append(Clause(number=number, heading=heading, text=body))
        previous_open = line[-1] not in SENTENCE_END
    return result


def _level(number: str) -> int:
    """一、 is a section; （一） a part of one."""
    return 0 if number.rstrip().endswith("、") else 1


@dataclass
class Laid:
    """One clause on the page, with the headings that begin just above it."""

    new_headings: list[str]
    depth: int  # how many headings are already open above the first new one
    clause: object


def lay_out(clauses) -> list[Laid]:
    """Each clause with the section headings that start at it (not those already shown)."""
    laid, shown = [], []
    for clause in clauses:
        path = [line for line in (clause.heading or "").split("\n") if line.strip()]
        same = 0
        while same < min(len(path), len(shown)) and path[same] == shown[same]:
            same += 1
        laid.append(Laid(new_headings=path[same:], depth=same, clause=clause))
        shown = path
    return laid
