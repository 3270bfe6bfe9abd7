"""Question banks, questions (with versions) and blueprints."""

import functools
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.services import audit_record, audited_save

from .. import draw
from ..models import Blueprint, BlueprintSection, Question, QuestionBank

QUESTION_CONTENT_FIELDS = (
    "kind",
    "stem",
    "options",
    "key",
    "explanation",
    "option_weights",
    "option_feedback",
    "tags",
    "difficulty",
    "regulation_reference",
    "name",
    "idnumber",
)


@transaction.atomic
def bank_save(*, bank: QuestionBank, actor=None) -> QuestionBank:
    audited_save(bank, actor=actor, organisation=bank.organisation, label="question_bank")
    return bank


def clean_tags(tags: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for tag in tags:
        tag = " ".join(str(tag).split())
        if tag and tag not in seen:
            seen.append(tag[:100])
    return seen


@transaction.atomic
def question_create(*, bank: QuestionBank, actor=None, audit: bool = True, **fields) -> Question:
    """A new question (version 1 of its lineage)."""
    fields["tags"] = clean_tags(fields.get("tags", []))
    question = Question(bank=bank, **fields)
    question.full_clean()
    question.save()
    if audit:
        audit_record(
            action="question.create", target=question, actor=actor, organisation=bank.organisation
        )
    return question


def question_is_used(*, question: Question) -> bool:
    return question.attempt_items.exists()


@transaction.atomic
def question_update(*, question: Question, actor=None, **changes) -> Question:
    """Change a question. Once any attempt used it, the change becomes a new version instead
    and the old version is retired: attempts keep what they showed."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    if not question.is_active:
        raise ValidationError(_("A retired question cannot be edited; edit its current version."))
    if "tags" in changes:
        changes["tags"] = clean_tags(changes["tags"])
    unknown = set(changes) - set(QUESTION_CONTENT_FIELDS)
    if unknown:
        raise ValueError(f"not question content: {sorted(unknown)}")
    diff = {f: [getattr(question, f), v] for f, v in changes.items() if getattr(question, f) != v}
    if not diff:
        return question
    if not question_is_used(question=question):
        for f, v in changes.items():
            setattr(question, f, v)
        question.full_clean()
        question.save()
        audit_record(
            action="question.update",
            target=question,
            actor=actor,
            organisation=question.bank.organisation,
            data={"changes": diff},
        )
        return question
    new = Question(
        bank=question.bank,
        lineage_id=question.lineage_id_or_self,
        version=_next_version(question),
        **{f: changes.get(f, getattr(question, f)) for f in QUESTION_CONTENT_FIELDS},
    )
    new.full_clean()
    now = timezone.now()
    new.created_at = now
    new.save()
    if not question.lineage_id:
        Question.objects.filter(pk=question.pk).update(lineage_id=question.pk)
    question.status, question.retired_at = Question.Status.RETIRED, now
    question.save(update_fields=["status", "retired_at"])
    BlueprintSection.fixed_questions.through.objects.filter(question_id=question.pk).update(
        question_id=new.pk
    )
    audit_record(
        action="question.new_version",
        target=new,
        actor=actor,
        organisation=new.bank.organisation,
        data={"previous_version": question.pk, "changes": diff},
    )
    return new


def _next_version(question: Question) -> int:
    lineage = question.lineage_id_or_self
    versions = Question.objects.filter(Q(pk=lineage) | Q(lineage_id=lineage))
    return max(versions.values_list("version", flat=True)) + 1


@transaction.atomic
def question_retire(*, question: Question, actor=None) -> Question:
    """Questions are retired, never deleted: they stop being drawn, attempts keep them."""
    if question.is_active:
        question.status, question.retired_at = Question.Status.RETIRED, timezone.now()
        question.save(update_fields=["status", "retired_at"])
        audit_record(
            action="question.retire",
            target=question,
            actor=actor,
            organisation=question.bank.organisation,
        )
    return question


# --- blueprints ---------------------------------------------------------------------------


def section_spec(section: BlueprintSection, fixed_ids: Iterable[int] = ()) -> draw.SectionSpec:
    return draw.SectionSpec(
        count=section.count,
        points=section.points,
        kind=section.kind,
        tag=section.tag,
        difficulty_min=section.difficulty_min,
        difficulty_max=section.difficulty_max,
        fixed_ids=tuple(fixed_ids),
        title=section.title,
    )


def blueprint_specs(*, blueprint: Blueprint) -> list[draw.SectionSpec]:
    """The blueprint's sections (saved or still in a form) as pure draw specifications."""
    specs = []
    sections = (
        blueprint.sections.prefetch_related("fixed_questions")
        if blueprint.pk and not _has_unsaved_sections(blueprint)
        else blueprint.sections.all()
    )
    for section in sections:
        fixed = [q.pk for q in section.fixed_questions.all()]
        specs.append(section_spec(section, fixed))
    return specs


@functools.cache
def _draw_inputs_sql() -> str:
    section, question = BlueprintSection._meta, Question._meta
    fixed = BlueprintSection.fixed_questions.through._meta
    q = connection.ops.quote_name
    columns = ", ".join(f"s.{q(f)}" for f in _SECTION_COLUMNS)
    return (
        f"SELECT {columns}, ARRAY(SELECT f.{q('question_id')} FROM {q(fixed.db_table)} f "
        f"WHERE f.{q('blueprintsection_id')} = s.{q('id')} ORDER BY f.{q('question_id')}), "
        f"b.* FROM {q(section.db_table)} s CROSS JOIN (SELECT count(*), "
        f"count(*) FILTER (WHERE {q('status')} = %s), max({q('created_at')}), "
        f"max({q('updated_at')}), max({q('retired_at')}), max({q('id')}) "
        f"FROM {q(question.db_table)} WHERE {q('bank_id')} = %s) b "
        f"WHERE s.{q('blueprint_id')} = %s ORDER BY s.{q('position')}, s.{q('id')}"
    )


_SECTION_COLUMNS = (
    "count",
    "points",
    "kind",
    "tag",
    "difficulty_min",
    "difficulty_max",
    "title",
)


def blueprint_draw_index(*, blueprint_id: int, bank_id: int) -> draw.DrawIndex:
    """What starting an exam draws from, in one query: the blueprint's saved sections (with
    their fixed questions) and the fingerprint of its bank's questions; the bank's candidates
    indexed by those sections are then built once per fingerprint (at most _INDEXES_PER_BANK blueprints a bank)."""
    if connection.vendor != "postgresql":  # SQLite in development: the ORM, three queries
        blueprint = Blueprint.objects.get(pk=blueprint_id)
        specs = blueprint_specs(blueprint=blueprint)
        return _indexed(bank_id, _bank_fingerprint(bank_id), specs)
    with connection.cursor() as cursor:
        cursor.execute(_draw_inputs_sql(), [Question.Status.ACTIVE, bank_id, blueprint_id])
        rows = cursor.fetchall()
    width = len(_SECTION_COLUMNS)
    sections = [
        draw.SectionSpec(
            **dict(zip(_SECTION_COLUMNS, row[:width], strict=True)), fixed_ids=tuple(row[width])
        )
        for row in rows
    ]
    fingerprint = tuple(rows[0][width + 1 :]) if rows else _bank_fingerprint(bank_id)
    return _indexed(bank_id, fingerprint, sections)


def _has_unsaved_sections(blueprint: Blueprint) -> bool:
    # A blueprint edited in a form holds its sections in memory (modelcluster) until saved.
    return any(s.pk is None for s in blueprint.sections.all())


# Drawable questions per bank, keyed by a fingerprint of the bank's questions: starting an
# exam reads one aggregate row instead of decoding every question's tags and options. Indexed by
# a blueprint's sections once per fingerprint too (at most _INDEXES_PER_BANK blueprints a bank).
_candidate_cache: dict[int, tuple[tuple, list[draw.Candidate]]] = {}
_index_cache: dict[int, tuple[tuple, dict[tuple[draw.SectionSpec, ...], draw.DrawIndex]]] = {}
_INDEXES_PER_BANK = 16


def _bank_fingerprint(bank_id: int) -> tuple:
    row = Question.objects.filter(bank_id=bank_id).aggregate(
        n=Count("pk"),
        active=Count("pk", filter=Q(status=Question.Status.ACTIVE)),
        created=Max("created_at"),
        updated=Max("updated_at"),
        retired=Max("retired_at"),
        top=Max("pk"),
    )
    return tuple(row[k] for k in ("n", "active", "created", "updated", "retired", "top"))


def _active_candidates(bank_id: int, fingerprint: tuple) -> list[draw.Candidate]:
    cached = _candidate_cache.get(bank_id)
    if cached and cached[0] == fingerprint:
        return cached[1]
    candidates = _load_candidates(
        Question.objects.filter(bank_id=bank_id, status=Question.Status.ACTIVE)
    )
    _candidate_cache[bank_id] = (fingerprint, candidates)
    return candidates


def bank_candidates(*, bank: QuestionBank, as_of=None) -> list[draw.Candidate]:
    """Questions drawable from the bank now (or as they stood at `as_of`, to rebuild a paper)."""
    if as_of is None:
        return _active_candidates(bank.pk, _bank_fingerprint(bank.pk))
    qs = Question.objects.filter(bank=bank, created_at__lte=as_of).filter(
        Q(retired_at__isnull=True) | Q(retired_at__gt=as_of)
    )
    return _load_candidates(qs)


def _indexed(bank_id: int, fingerprint: tuple, sections: list[draw.SectionSpec]) -> draw.DrawIndex:
    cached = _index_cache.get(bank_id)
    if cached is None or cached[0] != fingerprint:
        cached = (fingerprint, {})
        _index_cache[bank_id] = cached
    key = tuple(sections)
    index = cached[1].get(key)
    if index is None:
        if len(cached[1]) >= _INDEXES_PER_BANK:
            cached[1].clear()
        index = draw.index_candidates(list(sections), _active_candidates(bank_id, fingerprint))
        cached[1][key] = index
    return index


def _load_candidates(qs) -> list[draw.Candidate]:
    return [
        draw.Candidate(
            id=pk, kind=kind, tags=frozenset(tags or ()), difficulty=d, option_count=len(o)
        )
        for pk, kind, tags, d, o in qs.values_list("pk", "kind", "tags", "difficulty", "options")
    ]


def blueprint_problems(*, blueprint: Blueprint) -> list[str]:
    """Why the bank cannot fill this blueprint (empty when it can)."""
    specs = blueprint_specs(blueprint=blueprint)
    if not specs:
        return [_("A blueprint needs at least one section.")]
    problems = []
    for index, spec in enumerate(specs):
        if not spec.fixed_ids and spec.count < 1:
            problems.append(
                _("Section %(n)d draws no questions: give a number or fixed questions.")
                % {"n": index + 1}
            )
    for shortfall in draw.blueprint_shortfalls(specs, bank_candidates(bank=blueprint.bank)):
        if shortfall.missing_fixed:
            problems.append(
                _("Section %(n)d: fixed questions %(ids)s are not active questions of this bank.")
                % {
                    "n": shortfall.section + 1,
                    "ids": ", ".join(map(str, shortfall.missing_fixed)),
                }
            )
        else:
            problems.append(
                _(
                    "Section %(n)d asks for %(wanted)d questions but the bank has only "
                    "%(available)d that match."
                )
                % {
                    "n": shortfall.section + 1,
                    "wanted": shortfall.wanted,
                    "available": shortfall.available,
                }
            )
    return problems


@transaction.atomic
def blueprint_save(*, blueprint: Blueprint, actor=None) -> Blueprint:
    """Save a blueprint (and its sections) after checking the bank can fill it."""

    def sections_fill() -> None:
        for section in blueprint.sections.all():
            section.full_clean(exclude=["blueprint"])
        problems = blueprint_problems(blueprint=blueprint)
        if problems:
            raise ValidationError(problems)

    audited_save(
        blueprint, actor=actor, organisation=blueprint.bank.organisation, validate=sections_fill
    )
    return blueprint


@transaction.atomic
def blueprint_create(
    *, bank: QuestionBank, name: str, sections: list[dict], actor=None
) -> Blueprint:
    """A blueprint from plain section dicts (count, points, kind, tag, difficulty_min/max,
    fixed_questions: list of Question)."""
    blueprint = Blueprint(bank=bank, name=name)
    fixed: list[list] = []
    for position, data in enumerate(sections):
        data = dict(data)
        fixed.append(list(data.pop("fixed_questions", [])))
        section = BlueprintSection(position=position, **data)
        blueprint.sections.add(section)
        section.fixed_questions.set(fixed[-1])
    return blueprint_save(blueprint=blueprint, actor=actor)
