"""Importing and exporting questions in every supported format."""

import hashlib
import json
import secrets
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from content.selectors import (
    document_in_collection_of,
    document_links,
    image_in_collection_of,
    image_urls,
    media_files,
)
from content.services import document_check, document_import, image_check, image_import
from lms.audit.services import audit_record

from .. import formats
from ..formats import (
    DOCUMENT_FILE_MARK,
    DOCUMENT_MARK,
    IMAGE_FILE_MARK,
    IMAGE_MARK,
    ParsedQuestion,
    ParseResult,
    Problem,
    gift,
    moodle_xml,
    tabular,
)
from ..formats.media import media_keys, without_marks
from ..grading import key_problems, normalise_text
from ..models import ImportPreview, Question, QuestionBank
from .banks import QUESTION_CONTENT_FIELDS, clean_tags, question_create, question_update

CREATE, UPDATE, UNCHANGED = "create", "update", "unchanged"


@dataclass
class PlannedChange:
    """What importing one question of the file does (or, in a dry run, would do)."""

    action: str  # CREATE, UPDATE or UNCHANGED
    position: int
    name: str
    stem: str
    old_stem: str = ""
    question_id: int | None = None
    fields: list[str] = field(default_factory=list)  # labels of the fields an update changes
    content: dict = field(default_factory=dict, repr=False)
    match: Question | None = field(default=None, repr=False)
    images: dict[str, bytes] = field(default_factory=dict, repr=False)  # to store, by file name
    documents: dict[str, bytes] = field(default_factory=dict, repr=False)  # the same, not images


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: list[Problem] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    changes: list[PlannedChange] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # questions kept without something
    dry_run: bool = False
    changed_since_preview: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def updates(self) -> list[PlannedChange]:
        return [c for c in self.changes if c.action == UPDATE]

    @property
    def creations(self) -> list[PlannedChange]:
        return [c for c in self.changes if c.action == CREATE]

    @property
    def skipped_reasons(self) -> list[tuple[str, int]]:
        """Each reason for skipping (e.g. one unsupported question type) with its count."""
        return Counter(p.message for p in self.skipped).most_common()

    def fingerprint(self) -> str:
        """What this plan would do, as a digest: the same file on an unchanged bank gives the
        same one."""
        plan = [(c.action, c.position, c.question_id, c.content) for c in self.changes]
        blob = json.dumps(plan, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(blob.encode()).hexdigest()


def own_name(name: str, stem: str) -> str:
    """The question's name if someone gave it one; "" when it is only the first words of the
    stem (Moodle names a question after its text when nobody names it)."""
    short = normalise_text(without_marks(name)).rstrip(".…")
    if not short or normalise_text(without_marks(stem)).startswith(short):
        return ""
    return name.strip()


def _content_key(kind: str, stem: str, options: list) -> tuple:
    return (kind, normalise_text(stem), tuple(normalise_text(str(o)) for o in options))


def _field_label(name: str) -> str:
    field = Question._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


IMAGE_FIELDS = ("stem", "explanation", "options", "option_feedback")


def _replace_in_text(parsed: ParsedQuestion, old: str, new: str) -> None:
    for name in IMAGE_FIELDS:
        value = getattr(parsed, name)
        if isinstance(value, list):
            setattr(parsed, name, [v.replace(old, new) for v in value])
        else:
            setattr(parsed, name, value.replace(old, new))


def _images(bank: QuestionBank, parsed: ParsedQuestion) -> tuple[dict, list[Problem]]:
    """The question's embedded images: one already in the organisation's collection (same
    content) is named by its id at once; a new one stays [[imagefile:NAME]] until stored; one
    that is no image becomes a note in the text and a warning."""
    pending: dict[str, bytes] = {}
    warnings: list[Problem] = []
    for name, data in parsed.media.items():
        mark = IMAGE_FILE_MARK % name
        problem = image_check(data=data)
        if problem:
            warnings.append(
                Problem(
                    parsed.position,
                    _("the image %(name)s was left out: %(reason)s")
                    % {"name": name, "reason": problem},
                    parsed.name,
                )
            )
            _replace_in_text(parsed, mark, _("[image %(name)s]") % {"name": name})
            continue
        digest = hashlib.sha1(data).hexdigest()  # noqa: S324 - Wagtail's file_hash
        existing = image_in_collection_of(organisation=bank.organisation, data_hash=digest)
        if existing is not None:
            _replace_in_text(parsed, mark, IMAGE_MARK % existing.pk)
        else:
            pending[name] = data
    return pending, warnings


def _documents(bank: QuestionBank, parsed: ParsedQuestion) -> tuple[dict, list[Problem]]:
    """The question's other embedded files (audio, PDF…), as `_images` does with images: one
    of a type or size an import does not keep becomes a note in the text and a warning."""
    pending: dict[str, bytes] = {}
    warnings: list[Problem] = []
    for name, data in parsed.documents.items():
        mark = DOCUMENT_FILE_MARK % name
        problem = document_check(file_name=name, data=data)
        if problem:
            warnings.append(
                Problem(
                    parsed.position,
                    _("the file %(name)s was left out: %(reason)s")
                    % {"name": name, "reason": problem},
                    parsed.name,
                )
            )
            _replace_in_text(parsed, mark, _("[file %(name)s]") % {"name": name})
            continue
        digest = hashlib.sha1(data).hexdigest()  # noqa: S324 - Wagtail's file_hash
        existing = document_in_collection_of(organisation=bank.organisation, data_hash=digest)
        if existing is not None:
            _replace_in_text(parsed, mark, DOCUMENT_MARK % existing.pk)
        else:
            pending[name] = data
    return pending, warnings


def _foreign_media(bank: QuestionBank, parsed: ParsedQuestion) -> list[Problem]:
    """A stored mark (a spreadsheet keeps `[[image:ID]]`) naming an image or document that is
    not in the organisation's collection would show nothing: a warning."""
    texts = [parsed.stem, parsed.explanation, *parsed.options, *parsed.option_feedback]
    keys = {key for text in texts for key in media_keys(text)}
    if not keys:
        return []
    organisation = bank.organisation
    known = {
        ("image", pk)
        for pk in image_urls(
            ids=[pk for kind, pk in keys if kind == "image"], organisation=organisation
        )
    } | {
        ("document", pk)
        for pk in document_links(
            ids=[pk for kind, pk in keys if kind == "document"], organisation=organisation
        )
    }
    return [
        Problem(
            parsed.position,
            (
                _("the image no. %(id)d is not in your organisation's library: it will not show")
                if kind == "image"
                else _(
                    "the file no. %(id)d is not in your organisation's library: it will not show"
                )
            )
            % {"id": pk},
            parsed.name,
        )
        for kind, pk in sorted(keys - known)
    ]


def _plan(bank: QuestionBank, questions: list[ParsedQuestion]) -> tuple[list, list, list]:
    """Match each question of the file to the bank's active questions by a stable identity:
    Moodle's ID number where present, else a name someone gave it, else type + stem + options.
    Two questions of one file never land on the same question."""
    active = list(Question.objects.filter(bank=bank, status=Question.Status.ACTIVE))
    by_idnumber = {q.idnumber: q for q in active if q.idnumber}
    by_name: dict[str, list[Question]] = defaultdict(list)
    by_content: dict[tuple, list[Question]] = defaultdict(list)
    for q in active:
        if q.name:
            by_name[q.name].append(q)
        by_content[_content_key(q.kind, q.stem, q.options)].append(q)
    names_in_file = Counter(own_name(q.name, q.stem) for q in questions)

    changes: list[PlannedChange] = []
    errors: list[Problem] = []
    warnings: list[Problem] = []
    seen: dict[tuple, tuple[int, dict]] = {}
    for parsed in questions:
        warnings.extend(_foreign_media(bank, parsed))
        images, image_warnings = _images(bank, parsed)
        documents, document_warnings = _documents(bank, parsed)
        warnings.extend(image_warnings + document_warnings)
        content = parsed.content()
        # the bank's own name as the file's category (our GIFT export writes it) is no tag
        content["tags"] = clean_tags(
            [t for t in content["tags"] if not (t == bank.name and t in parsed.category)]
        )
        content["name"] = own_name(parsed.name, parsed.stem)
        name, idnumber = content["name"], content["idnumber"]
        match = by_idnumber.get(idnumber) if idnumber else None
        if match is None and name and names_in_file[name] == 1 and len(by_name[name]) == 1:
            match = by_name[name][0]
            if idnumber and match.idnumber and match.idnumber != idnumber:
                match = None
        if match is None:
            match = next(
                (
                    q
                    for q in by_content[_content_key(parsed.kind, parsed.stem, parsed.options)]
                    if not (idnumber and q.idnumber and q.idnumber != idnumber)
                    and not (name and q.name and q.name != name)
                ),
                None,
            )
        if match is not None:
            content["name"] = name or match.name
            content["idnumber"] = idnumber or match.idnumber
            identity: tuple = ("question", match.pk)
        elif idnumber:
            identity = ("idnumber", idnumber)
        else:
            identity = _content_key(parsed.kind, parsed.stem, parsed.options)
        change = PlannedChange(
            action=CREATE,
            position=parsed.position,
            name=parsed.name,
            stem=parsed.stem,
            content=content,
            match=match,
            images=images,
            documents=documents,
        )
        if identity in seen:
            other, other_content = seen[identity]
            if other_content != content:
                errors.append(
                    Problem(
                        parsed.position,
                        _(
                            "it is the same question as #%(other)d of this file (same ID number, "
                            "or same stem and options) with different content: one would "
                            "overwrite the other"
                        )
                        % {"other": other},
                        parsed.name,
                    )
                )
                continue
            change.action = UNCHANGED  # the same question twice: stored once
        else:
            seen[identity] = (parsed.position, content)
            if match is not None:
                change.question_id, change.old_stem = match.pk, match.stem
                change.fields = [
                    _field_label(f)
                    for f in QUESTION_CONTENT_FIELDS
                    if getattr(match, f) != content[f]
                ]
                change.action = UPDATE if change.fields else UNCHANGED
        changes.append(change)
    return changes, errors, warnings


def questions_import(
    *, bank: QuestionBank, data: bytes, fmt: str, dry_run: bool = False, actor=None
) -> ImportReport:
    """Import a file into a bank: all or nothing. A question matching an active one of the bank
    (see `_plan`) updates it (a new version if it was used); identical ones are left. The
    report lists every question to create and every update with its old and new stem.
    Unsupported question types are skipped with their reason; any malformed question means
    nothing is imported and the report names its position."""
    parsed: ParseResult = formats.parse(data, fmt)
    report = ImportReport(
        skipped=parsed.skipped,
        errors=list(parsed.errors),
        warnings=list(parsed.warnings),
        dry_run=dry_run,
    )
    for q in parsed.questions:
        for problem in key_problems(
            kind=q.kind,
            options=q.options,
            key=q.key,
            weights=q.option_weights,
            feedback=q.option_feedback,
        ):
            report.errors.append(Problem(q.position, str(problem), q.name))
    if not report.errors:
        report.changes, plan_errors, plan_warnings = _plan(bank, parsed.questions)
        report.errors.extend(plan_errors)
        report.warnings.extend(plan_warnings)
        report.errors.extend(_field_problems(bank, report.changes))
    if report.errors:
        report.errors.sort(key=lambda p: p.position)
        return report
    counts = Counter(change.action for change in report.changes)
    report.created, report.updated, report.unchanged = (
        counts[CREATE],
        counts[UPDATE],
        counts[UNCHANGED],
    )
    if dry_run:
        return report
    try:
        _store(bank=bank, report=report, fmt=fmt, actor=actor)
    except ValidationError as exc:  # a limit no check above knew of: still a report, no 500
        report.errors.append(Problem(0, " ".join(exc.messages)))
        report.created = report.updated = report.unchanged = 0
    return report


def _field_problems(bank: QuestionBank, changes: list[PlannedChange]) -> list[Problem]:
    """Every field limit (lengths, difficulty, key) as a problem of its question's row."""
    problems = []
    for change in changes:
        if change.action == UNCHANGED:
            continue
        try:
            Question(bank=bank, **change.content).full_clean(
                exclude=["lineage"], validate_unique=False, validate_constraints=False
            )
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                label = _field_label(name) if name != "__all__" else ""
                for message in messages:
                    problems.append(
                        Problem(
                            change.position,
                            _("%(field)s: %(problem)s") % {"field": label, "problem": message}
                            if label
                            else message,
                            change.name,
                        )
                    )
    return problems


@transaction.atomic
def _store(*, bank: QuestionBank, report: ImportReport, fmt: str, actor) -> None:
    for change in report.changes:
        if change.action != UNCHANGED:
            _store_images(bank, change)
        if change.action == CREATE:
            question = question_create(bank=bank, actor=actor, audit=False, **change.content)
            change.question_id = question.pk
        elif change.action == UPDATE:
            assert change.match is not None, "an update names the question it updates"
            question = question_update(question=change.match, actor=actor, **change.content)
            change.question_id = question.pk
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


PREVIEW_LIFETIME = timedelta(hours=12)


class PreviewRefused(Exception):
    """A confirmation naming no preview of this person for this bank (unknown, someone else's,
    for another bank, expired or already used)."""


def import_preview_create(
    *, bank: QuestionBank, user, data: bytes, fmt: str, filename: str = ""
) -> tuple[ImportReport, str | None]:
    """Check a file against a bank and keep it, server-side, for its uploader to confirm. The
    report says what importing would create, update (old and new stem) and skip; the token
    names the kept file (None when there is nothing to import or the file has errors). Older
    previews of this person expire."""
    ImportPreview.objects.filter(created_at__lt=timezone.now() - PREVIEW_LIFETIME).delete()
    report = questions_import(bank=bank, data=data, fmt=fmt, dry_run=True)
    if not report.ok or not (report.created or report.updated):
        return report, None
    token = secrets.token_urlsafe(32)
    ImportPreview.objects.create(
        token=token,
        user=user,
        bank=bank,
        filename=filename[:255],
        file_format=fmt,
        data=data,
        fingerprint=report.fingerprint(),
    )
    return report, token


def import_preview_for(*, bank: QuestionBank, user, token: str) -> ImportPreview:
    preview = ImportPreview.objects.filter(
        token=token or "",
        user=user,
        bank=bank,
        created_at__gte=timezone.now() - PREVIEW_LIFETIME,
    ).first()
    if preview is None:
        raise PreviewRefused(
            _("This preview is unknown, expired or already imported: upload the file again.")
        )
    return preview


def import_preview_confirm(
    *, bank: QuestionBank, user, token: str
) -> tuple[ImportReport, str | None]:
    """Import the file of a preview, exactly as previewed. If the bank changed since the
    preview so that the import would now do something else, nothing is imported: the new
    plan comes back (dry run) with a fresh token to confirm. Raises `PreviewRefused` for a
    token that is not this person's preview for this bank."""
    with transaction.atomic():
        preview = import_preview_for(bank=bank, user=user, token=token)
        preview = ImportPreview.objects.select_for_update().get(pk=preview.pk)
        data, fmt = bytes(preview.data), preview.file_format
        check = questions_import(bank=bank, data=data, fmt=fmt, dry_run=True)
        if check.ok and check.fingerprint() == preview.fingerprint:
            report = questions_import(bank=bank, data=data, fmt=fmt, actor=user)
            preview.delete()
            return report, None
        preview.delete()
    report, new_token = import_preview_create(
        bank=bank, user=user, data=data, fmt=fmt, filename=preview.filename
    )
    report.changed_since_preview = True
    return report, new_token


def import_preview_discard(*, bank: QuestionBank, user, token: str) -> None:
    ImportPreview.objects.filter(token=token or "", user=user, bank=bank).delete()


def _store_images(bank: QuestionBank, change: PlannedChange) -> None:
    """The change's new images and documents into the organisation's collection, their ids in
    its text."""
    stored = [
        (
            IMAGE_FILE_MARK % name,
            IMAGE_MARK % image_import(organisation=bank.organisation, file_name=name, data=data).pk,
        )
        for name, data in change.images.items()
    ] + [
        (
            DOCUMENT_FILE_MARK % name,
            DOCUMENT_MARK
            % document_import(organisation=bank.organisation, file_name=name, data=data).pk,
        )
        for name, data in change.documents.items()
    ]
    for old, new in stored:
        for field_name in IMAGE_FIELDS:
            value = change.content[field_name]
            if isinstance(value, list):
                change.content[field_name] = [v.replace(old, new) for v in value]
            else:
                change.content[field_name] = value.replace(old, new)


def _export_media(questions: list) -> dict:
    """The bytes of the images and documents the questions show, from each one's bank's
    organisation's collection (nothing of another organisation)."""
    banks = QuestionBank.objects.select_related("organisation").in_bulk(
        {getattr(q, "bank_id", None) for q in questions} - {None}
    )
    by_organisation: dict = defaultdict(set)
    for q in questions:
        bank = banks.get(getattr(q, "bank_id", None))
        texts = [q.stem, q.explanation, *q.options, *(getattr(q, "option_feedback", []) or [])]
        for text in texts:
            for key in media_keys(text):
                by_organisation[bank.organisation if bank is not None else None].add(key)
    found: dict = {}
    for organisation, keys in by_organisation.items():
        found.update(
            media_files(
                image_ids=[pk for kind, pk in keys if kind == "image"],
                document_ids=[pk for kind, pk in keys if kind == "document"],
                organisation=organisation,
            )
        )
    return found


def questions_export(*, questions, fmt: str, category: str = "") -> bytes:
    """Export questions as xlsx, csv, Moodle XML or GIFT (under `category`, e.g. the bank's
    name); importing the file gives them back. Moodle XML carries the images and documents
    the questions show (their bytes in the file); GIFT names them (`@@PLUGINFILE@@/NAME`) but
    cannot hold them; a spreadsheet keeps the marks, which an import into the same
    organisation shows again."""
    questions = list(questions)
    if fmt == "moodle-xml":
        return moodle_xml.export(questions, media=_export_media(questions))
    if fmt == "gift":
        return gift.export(questions, category=category, media=_export_media(questions))
    if fmt in ("xlsx", "csv"):
        return tabular.export(questions, fmt)
    raise ValueError(f"cannot export to {fmt}")
