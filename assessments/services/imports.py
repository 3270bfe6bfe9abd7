"""Importing and exporting questions in every supported format."""

from dataclasses import dataclass, field

from django.db import transaction

from lms.audit.services import audit_record

from .. import formats
from ..formats import ParseResult, Problem, moodle_xml, tabular
from ..grading import key_problems, normalise_text
from ..models import Question, QuestionBank
from .banks import QUESTION_CONTENT_FIELDS, clean_tags, question_create, question_update


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def questions_import(
    *, bank: QuestionBank, data: bytes, fmt: str, dry_run: bool = False, actor=None
) -> ImportReport:
    """Import a file into a bank: all or nothing. A question with the same type and stem as an
    active one in the bank updates it (a new version if it was used); identical ones are left.
    Unsupported question types are skipped with their reason; any malformed question means
    nothing is imported and the report names its position."""
    parsed: ParseResult = formats.parse(data, fmt)
    report = ImportReport(skipped=parsed.skipped, errors=list(parsed.errors), dry_run=dry_run)
    for q in parsed.questions:
        for problem in key_problems(kind=q.kind, options=q.options, key=q.key):
            report.errors.append(Problem(q.position, str(problem)))
    if report.errors:
        report.errors.sort(key=lambda p: p.position)
        return report
    existing = {
        (q.kind, normalise_text(q.stem)): q
        for q in Question.objects.filter(bank=bank, status=Question.Status.ACTIVE)
    }
    with transaction.atomic():
        for parsed_q in parsed.questions:
            content = parsed_q.content()
            content["tags"] = clean_tags(content["tags"])
            match = existing.get((parsed_q.kind, normalise_text(parsed_q.stem)))
            if match is None:
                question = question_create(bank=bank, actor=actor, audit=False, **content)
                existing[(question.kind, normalise_text(question.stem))] = question
                report.created += 1
            elif all(getattr(match, f) == content[f] for f in QUESTION_CONTENT_FIELDS):
                report.unchanged += 1
            else:
                question_update(question=match, actor=actor, **content)
                report.updated += 1
        if dry_run:
            transaction.set_rollback(True)
        else:
            audit_record(
                action="question_bank.import",
                target=bank,
                actor=actor,
                organisation=bank.organisation,
                data={
                    "format": fmt,
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "skipped": len(report.skipped),
                },
            )
    return report


def questions_export(*, questions, fmt: str) -> bytes:
    """Export questions as xlsx, csv or Moodle XML; importing the file gives them back."""
    questions = list(questions)
    if fmt == "moodle-xml":
        return moodle_xml.export(questions)
    if fmt in ("xlsx", "csv"):
        return tabular.export(questions, fmt)
    raise ValueError(f"cannot export to {fmt}")
