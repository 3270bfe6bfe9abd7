"""Taking an exam: starting, saving answers, submitting, grading and the deadline.

The answer-save path is the hot path of an exam day: one UPDATE statement when all is well.
"""

import functools
import json
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, connection, transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from lms import display
from lms.audit.services import audit_record
from lms.resilience import outages
from lms.resilience.windows import extended_close

from .. import draw, grading
from ..exceptions import (
    AttemptClosed,
    BadAnswer,
    ExamError,
    ExamNotOpen,
    NoAttemptsLeft,
    NotEligible,
    NotOnPaper,
)
from ..models import Attempt, AttemptItem, Exam, ExamCandidate, ExamKind, Question
from ..payloads import MAX_BIGINT
from ..signals import attempt_finalised
from .banks import bank_candidates, blueprint_draw_index
from .integrity import attempt_networks_cache, attempt_submit_if_idle, attempts_submit_idle

# Saves in flight when the deadline passes are still accepted for this long (longer when an
# outage the server recorded hit the attempt: attempt_closes_at).
SAVE_GRACE = timedelta(seconds=60)
_HUNDRED = Decimal(100)


def candidate_for(*, exam: Exam, user) -> ExamCandidate | None:
    """The person's place in the exam, or None. Course quizzes are open to the organisation's
    members without being named."""
    candidate = ExamCandidate.objects.filter(exam=exam, user=user).first()
    if candidate is None and exam.kind == ExamKind.COURSE_QUIZ:
        from lms.organisations.access import access_for

        if exam.organisation_id in access_for(user).member_org_ids:
            return ExamCandidate(exam=exam, user=user)
    return candidate


def attempts_allowed_for(*, exam: Exam, candidate: ExamCandidate) -> int:
    return exam.attempts_allowed + candidate.extra_attempts


def attempt_deadline(*, exam: Exam, candidate: ExamCandidate, started_at) -> datetime:
    """The server's deadline: min(start + time limit (+ extra time), window close)."""
    if exam.time_limit_minutes is None:
        return exam.closes_at
    limit = timedelta(minutes=exam.time_limit_minutes + candidate.extra_minutes)
    return min(started_at + limit, exam.closes_at)


def _draw_spec(exam: Exam, sections: list[draw.SectionSpec], bank_id: int) -> dict:
    return {
        "algorithm": draw.ALGORITHM_VERSION,
        "bank": bank_id,
        "shuffle_questions": exam.shuffle_questions,
        "shuffle_options": exam.shuffle_options,
        "sections": [
            {
                "count": s.count,
                "points": str(s.points),
                "kind": s.kind,
                "tag": s.tag,
                "difficulty_min": s.difficulty_min,
                "difficulty_max": s.difficulty_max,
                "fixed_ids": list(s.fixed_ids),
                "title": s.title,
            }
            for s in sections
        ],
    }


def draw_spec_sections(spec: dict) -> list[draw.SectionSpec]:
    return [
        draw.SectionSpec(
            **{**s, "points": Decimal(s["points"]), "fixed_ids": tuple(s["fixed_ids"])}
        )
        for s in spec["sections"]
    ]


def attempt_start(*, exam: Exam, user, now=None, candidate: ExamCandidate | None = None) -> Attempt:
    """Start an attempt, or resume the one already open (a second tab, a reload, a crash).

    The paper is drawn and frozen here: its questions, their order and option order. Three
    queries and one statement when all is well (two with `candidate`, the person's place the
    caller has just read): the person's attempts, their place, the blueprint's sections with
    the bank's fingerprint; then the attempt and its items written in one statement. The draw
    uses the bank's candidates indexed by the blueprint's sections, built once per version of
    the bank (`blueprint_draw_index`).
    """
    now = now or timezone.now()
    mine = list(exam.attempts.filter(user=user))
    open_attempt = next((a for a in mine if a.status == Attempt.Status.OPEN), None)
    if open_attempt is not None and not attempt_submit_if_expired(attempt=open_attempt, now=now):
        attempt_networks_cache(attempt=open_attempt)
        return open_attempt
    if candidate is None:
        candidate = candidate_for(exam=exam, user=user)
    if candidate is None:
        raise NotEligible(_("You are not among the people this exam is for."))
    if not exam.is_window_open(now=now):
        raise ExamNotOpen(
            _("This exam is open from %(opens)s to %(closes)s.")
            % {
                "opens": timezone.localtime(exam.opens_at).strftime("%Y-%m-%d %H:%M"),
                "closes": timezone.localtime(exam.closes_at).strftime("%Y-%m-%d %H:%M"),
            }
        )
    used = len(mine)
    if used >= attempts_allowed_for(exam=exam, candidate=candidate):
        raise NoAttemptsLeft(_("You have used all %(n)d attempts of this exam.") % {"n": used})
    bank_id = exam.blueprint.bank_id
    index = blueprint_draw_index(blueprint_id=exam.blueprint_id, bank_id=bank_id)
    seed = secrets.randbits(62)
    paper = draw.draw_from_index(
        seed=seed,
        index=index,
        shuffle_questions=exam.shuffle_questions,
        shuffle_options=exam.shuffle_options,
    )
    attempt = Attempt(
        exam=exam,
        user=user,
        number=used + 1,
        seed=seed,
        draw_spec=_draw_spec(exam, list(index.sections), bank_id),
        started_at=now,
        deadline=attempt_deadline(exam=exam, candidate=candidate, started_at=now),
        max_score=sum((item.points for item in paper), Decimal(0)),
    )
    try:
        if transaction.get_connection().vendor != "postgresql":
            with transaction.atomic():  # two statements elsewhere (SQLite in development)
                _insert_paper_orm(attempt, paper)
        elif transaction.get_connection().in_atomic_block:
            # inside a caller's transaction a refused insert must not break it: a savepoint
            with transaction.atomic():
                _insert_paper(attempt, paper)
        else:
            _insert_paper(attempt, paper)
    except IntegrityError:
        # Another tab started the same exam a moment ago: resume that attempt.
        existing = exam.attempts.filter(user=user, status=Attempt.Status.OPEN).first()
        if existing is None:
            raise
        return existing
    attempt_networks_cache(attempt=attempt)
    return attempt


def _insert_paper(attempt: Attempt, paper: list[draw.PaperItem]) -> None:
    """Write a new attempt and its items in one statement on PostgreSQL (an INSERT of the
    attempt in a WITH, the items read from one JSON document): one round trip, atomic without a
    transaction.
    Every other column gets its model default, as `Model.save` and `bulk_create` give it."""
    connection = transaction.get_connection()
    sql, attempt_fields, other_fields = _insert_paper_sql(connection.vendor)
    template = AttemptItem(attempt_id=0, question_id=0, position=0, points=Decimal(0))
    rows = json.dumps(
        [
            {
                "question_id": item.question_id,
                "position": position,
                "section": item.section,
                "points": str(item.points),
                "option_order": list(item.option_order),
            }
            for position, item in enumerate(paper)
        ],
        separators=(",", ":"),
    )
    params = [
        *(f.get_db_prep_save(f.pre_save(attempt, add=True), connection) for f in attempt_fields),
        *(f.get_db_prep_save(f.pre_save(template, add=True), connection) for f in other_fields),
        rows,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        attempt.pk = cursor.fetchone()[0]
    attempt._state.adding = False
    attempt._state.db = connection.alias


def _insert_paper_orm(attempt: Attempt, paper: list[draw.PaperItem]) -> None:
    """The same write through the ORM, for databases without a writable WITH (SQLite)."""
    attempt.save(force_insert=True)
    AttemptItem.objects.bulk_create(
        AttemptItem(
            attempt=attempt,
            question_id=item.question_id,
            position=position,
            section=item.section,
            points=item.points,
            option_order=list(item.option_order),
        )
        for position, item in enumerate(paper)
    )


@functools.cache
def _insert_paper_sql(vendor: str) -> tuple[str, list, list]:
    connection = transaction.get_connection()
    quote = connection.ops.quote_name
    attempt_fields = [f for f in Attempt._meta.concrete_fields if not f.primary_key]
    item_fields = [f for f in AttemptItem._meta.concrete_fields if not f.primary_key]
    drawn = [f for f in item_fields if f.attname in _DRAWN_COLUMNS]
    others = [
        f for f in item_fields if f.attname not in _DRAWN_COLUMNS and f.attname != "attempt_id"
    ]
    sql = (
        f"WITH new_attempt AS (INSERT INTO {quote(Attempt._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in attempt_fields)}) "
        f"VALUES ({', '.join(['%s'] * len(attempt_fields))}) RETURNING {quote('id')}), "
        f"new_items AS (INSERT INTO {quote(AttemptItem._meta.db_table)} "
        f"({', '.join(quote(f.column) for f in [*drawn, *others])}, {quote('attempt_id')}) "
        f"SELECT {', '.join('drawn.' + quote(f.column) for f in drawn)}"
        f"{''.join(f', %s::{f.db_type(connection)}' for f in others)}, new_attempt.{quote('id')} "
        f"FROM new_attempt, jsonb_to_recordset(%s::jsonb) AS drawn("
        f"{', '.join(f'{quote(f.column)} {f.db_type(connection)}' for f in drawn)})) "
        f"SELECT {quote('id')} FROM new_attempt"
    )
    return sql, attempt_fields, others


# The columns of an attempt item the draw decides; the others take their defaults.
_DRAWN_COLUMNS = frozenset({"question_id", "position", "section", "points", "option_order"})


def attempt_rebuild_paper(*, attempt: Attempt) -> list[draw.PaperItem]:
    """Redraw an attempt's paper from its stored seed, as the bank stood when it started."""
    spec = attempt.draw_spec
    from ..models import QuestionBank

    return draw.draw_paper(
        seed=attempt.seed,
        sections=draw_spec_sections(spec),
        candidates=bank_candidates(
            bank=QuestionBank.objects.get(pk=spec["bank"]), as_of=attempt.started_at
        ),
        shuffle_questions=spec["shuffle_questions"],
        shuffle_options=spec["shuffle_options"],
    )


@dataclass(frozen=True)
class SaveResult:
    seq: int
    stale: bool  # a newer answer was already stored; it stands


@functools.cache
def _save_statement() -> str:
    """The save's UPDATE, written once per process from the models' tables and columns."""
    item, attempt = AttemptItem._meta, Attempt._meta

    def col(meta, name):
        return connection.ops.quote_name(meta.get_field(name).column)

    return (
        f"UPDATE {connection.ops.quote_name(item.db_table)} AS i "
        f"SET {col(item, 'answer')} = %s::jsonb, {col(item, 'seq')} = %s, "
        f"{col(item, 'saved_at')} = %s "
        f"FROM {connection.ops.quote_name(attempt.db_table)} AS a "
        f"WHERE i.{col(item, 'attempt')} = %s AND i.{col(item, 'question')} = %s "
        f"AND i.{col(item, 'seq')} < %s AND NOT i.{col(item, 'is_closed')} "
        f"AND a.{col(attempt, 'id')} = i.{col(item, 'attempt')} "
        f"AND a.{col(attempt, 'user')} = %s AND a.{col(attempt, 'status')} = %s "
        f"AND a.{col(attempt, 'deadline')} > %s"
    )


def _save_update(*, attempt_id, user_id, question_id, answer, seq, now) -> int:
    """The one conditional UPDATE of a save: the person, the open attempt, the deadline plus
    grace and the sequence all in its WHERE clause. On PostgreSQL its SQL is written once, not
    built by the ORM on every save (that was most of a save's CPU, bench/answer_save.py);
    elsewhere (SQLite in development) the ORM builds it. The tests check both agree."""
    if connection.vendor != "postgresql":
        return _save_update_orm(
            attempt_id=attempt_id,
            user_id=user_id,
            question_id=question_id,
            answer=answer,
            seq=seq,
            now=now,
        )
    with connection.cursor() as cursor:
        cursor.execute(
            _save_statement(),
            [
                json.dumps(answer),
                seq,
                now,
                attempt_id,
                question_id,
                seq,
                user_id,
                Attempt.Status.OPEN.value,
                now - SAVE_GRACE,
            ],
        )
        return cursor.rowcount


def _save_update_orm(*, attempt_id, user_id, question_id, answer, seq, now) -> int:
    return AttemptItem.objects.filter(
        attempt_id=attempt_id,
        question_id=question_id,
        seq__lt=seq,
        is_closed=False,
        attempt__user_id=user_id,
        attempt__status=Attempt.Status.OPEN,
        attempt__deadline__gt=now - SAVE_GRACE,
    ).update(answer=answer, seq=seq, saved_at=now)


def response_save(
    *, attempt_id: int, user_id: int, question_id: int, answer, seq: int, now=None
) -> SaveResult:
    """Store an answer if its sequence number is newer than the stored one.

    One UPDATE when it applies (the person, the open attempt, the deadline plus grace and the
    sequence are all in its WHERE clause); a single diagnostic read only when it does not.
    """
    problem = grading.answer_problems(answer)
    if problem:
        raise BadAnswer(problem)
    if not isinstance(seq, int) or isinstance(seq, bool) or not 1 <= seq <= MAX_BIGINT:
        raise BadAnswer(_("The sequence number must be a positive whole number."))
    if not 1 <= question_id <= MAX_BIGINT:
        raise NotOnPaper  # no question has such an id (and SQLite could not even compare it)
    now = now or timezone.now()
    updated = _save_update(
        attempt_id=attempt_id,
        user_id=user_id,
        question_id=question_id,
        answer=answer,
        seq=seq,
        now=now,
    )
    if updated:
        return SaveResult(seq=seq, stale=False)
    items = AttemptItem.objects.filter(attempt_id=OuterRef("pk"), question_id=question_id)
    attempt = (
        Attempt.objects.filter(pk=attempt_id, user_id=user_id)
        .annotate(on_paper=Exists(items), stored_seq=Subquery(items.values("seq")[:1]))
        .first()
    )
    if attempt is None:
        raise Attempt.DoesNotExist
    if not attempt.on_paper:
        raise NotOnPaper
    if attempt.status != Attempt.Status.OPEN or attempt_submit_if_expired(attempt=attempt, now=now):
        raise AttemptClosed
    if attempt.deadline <= now - SAVE_GRACE:
        # Past the usual grace, but an outage hit the attempt: the page is sending what it
        # kept while the server failed, and it is still in time.
        updated = AttemptItem.objects.filter(
            attempt_id=attempt_id,
            question_id=question_id,
            seq__lt=seq,
            is_closed=False,
            attempt__user_id=user_id,
            attempt__status=Attempt.Status.OPEN,
        ).update(answer=answer, seq=seq, saved_at=now)
        if updated:
            return SaveResult(seq=seq, stale=False)
        if AttemptItem.objects.filter(attempt_id=attempt_id, is_closed=True).exists():
            raise AttemptClosed  # submitted meanwhile
    return SaveResult(seq=attempt.stored_seq, stale=True)


def responses_save(
    *, attempt_id: int, user_id: int, entries: list, now=None
) -> list[SaveResult | ExamError]:
    """Store each answer the page sent in one request (payloads.parse_answer_batch), each as
    `response_save` does: one UPDATE per answer when all is well. Per entry, in order: its
    SaveResult (stale when a newer answer stands), or the refusal of that entry alone (a bad
    answer, a question not on the paper). An attempt that is closed or not the person's refuses
    the whole request (AttemptClosed, Attempt.DoesNotExist): answers stored before it was
    found closed stay stored."""
    now = now or timezone.now()
    results: list[SaveResult | ExamError] = []
    for entry in entries:
        if isinstance(entry, ExamError):
            results.append(entry)
            continue
        try:
            results.append(
                response_save(
                    attempt_id=attempt_id,
                    user_id=user_id,
                    question_id=entry.question_id,
                    answer=entry.answer,
                    seq=entry.seq,
                    now=now,
                )
            )
        except (BadAnswer, NotOnPaper) as exc:
            results.append(exc)
    return results


def attempt_closes_at(*, attempt: Attempt, now):
    """When the attempt stops taking answers: its deadline plus the grace for saves in flight,
    extended past every outage the server recorded that hit it (lms.resilience.outages), so an
    answer given in time while the server was failing is accepted when the page sends it again.
    The outages are read only once the usual grace is over."""
    usual = attempt.deadline + SAVE_GRACE
    if now < usual:
        return usual
    return extended_close(
        started_at=attempt.started_at,
        deadline=attempt.deadline,
        grace=SAVE_GRACE,
        recovery=outages.RECOVERY,
        windows=outages.windows_since(attempt.started_at, now=now),
    )


def attempt_is_past_grace(*, attempt: Attempt, now) -> bool:
    return now >= attempt_closes_at(attempt=attempt, now=now)


def attempt_submit_if_expired(*, attempt: Attempt, now=None) -> bool:
    """The check made on every access: an open attempt past its deadline (and the grace for
    saves in flight) is submitted, finishing at its deadline; so is one without activity for
    the exam's idle minutes (integrity). True if it is no longer open."""
    now = now or timezone.now()
    if attempt.status != Attempt.Status.OPEN:
        return True
    if attempt_is_past_grace(attempt=attempt, now=now):
        attempt_submit(attempt_id=attempt.pk, now=now, auto=True)
        return True
    return attempt_submit_if_idle(attempt=attempt, now=now)


# Why the server submitted a paper before its deadline (audit action attempt.integrity_submit).
INTEGRITY_REASONS = frozenset({"leave_limit", "idle"})


@transaction.atomic
def attempt_submit(
    *, attempt_id: int, user=None, now=None, auto: bool = False, reason: str = ""
) -> Attempt:
    """Submit and grade. Idempotent: a second (or simultaneous) submit returns the same result.

    The finish time is the deadline when submitted after it. `reason`: the integrity rule that
    made the server submit it (INTEGRITY_REASONS), if one did.
    """
    now = now or timezone.now()
    attempt = Attempt.objects.select_for_update().select_related("exam").get(pk=attempt_id)
    if user is not None and attempt.user_id != user.pk:
        raise Attempt.DoesNotExist
    if attempt.status != Attempt.Status.OPEN:
        return attempt
    # Closing the items first waits for any save holding their rows, and stops later ones.
    AttemptItem.objects.filter(attempt=attempt).update(is_closed=True)
    items = list(attempt.items.select_related("question"))
    for item in items:
        item.awarded = grading.grade(
            kind=item.question.kind,
            key=item.question.key,
            answer=item.answer,
            points=item.points,
            weights=item.question.option_weights,
        )
    AttemptItem.objects.bulk_update(items, ["awarded"])
    attempt.submitted_at = min(now, attempt.deadline)
    attempt.auto_submitted = auto or now >= attempt.deadline
    _attempt_total(attempt, items, now=now)
    attempt.save()
    if reason in INTEGRITY_REASONS:
        action = "attempt.integrity_submit"
    elif attempt.auto_submitted:
        action = "attempt.auto_submit"
    else:
        action = "attempt.submit"
    audit_record(
        action=action,
        target=attempt,
        actor=user,
        organisation=attempt.exam.organisation,
        data={
            "score": str(attempt.score),
            "status": attempt.status,
            **({"reason": reason} if reason else {}),
        },
    )
    if attempt.status == Attempt.Status.GRADED:
        _on_commit_finalised(attempt)
    return attempt


def _attempt_total(attempt: Attempt, items: list[AttemptItem], *, now) -> None:
    pending = any(i.awarded is None for i in items)
    attempt.score = sum((i.awarded or Decimal(0) for i in items), Decimal(0))
    attempt.max_score = sum((i.points for i in items), Decimal(0))
    if pending:
        attempt.status = Attempt.Status.AWAITING_GRADING
        attempt.percent = attempt.passed = attempt.graded_at = None
        return
    attempt.status = Attempt.Status.GRADED
    attempt.percent = (
        (attempt.score * _HUNDRED / attempt.max_score).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
        if attempt.max_score
        else Decimal(0)
    )
    attempt.passed = attempt.percent >= attempt.exam.pass_mark
    attempt.graded_at = now


def _on_commit_finalised(attempt: Attempt) -> None:
    def send():
        attempt_finalised.send(sender=Attempt, attempt=attempt)

    transaction.on_commit(send)


@transaction.atomic
def attempt_item_grade(
    *, item_id: int, points: Decimal, grader, comment: str = "", now=None
) -> AttemptItem:
    """A human grade for a short answer; the attempt is finalised once nothing is pending.

    Only an administrator of the exam grades, never their own attempt, and never an answer to
    a question whose bank is withheld from them (they may still sit an exam drawing on it)."""
    from django.core.exceptions import PermissionDenied, ValidationError

    from ..selectors import bank_withheld_reason, exams_manageable_by

    now = now or timezone.now()
    item = AttemptItem.objects.select_related("attempt__exam", "question").get(pk=item_id)
    attempt = Attempt.objects.select_for_update().select_related("exam").get(pk=item.attempt_id)
    if not exams_manageable_by(grader).filter(pk=attempt.exam_id).exists():
        raise PermissionDenied
    if attempt.user_id == grader.pk:
        raise PermissionDenied(_("Nobody grades their own attempt: another administrator will."))
    withheld = bank_withheld_reason(grader, bank_id=item.question.bank_id, now=now)
    if withheld:
        raise PermissionDenied(withheld)
    if attempt.status == Attempt.Status.OPEN:
        raise ValidationError(_("The attempt is still in progress."))
    points = Decimal(points)
    if points < 0 or points > item.points:
        raise ValidationError(
            _("Give between 0 and %(max)s points.") % {"max": display.number(item.points)}
        )
    before = item.awarded
    item.awarded, item.grader, item.grader_comment = points, grader, comment
    item.save(update_fields=["awarded", "grader", "grader_comment"])
    was_final = attempt.status == Attempt.Status.GRADED
    old_outcome = (attempt.score, attempt.passed)
    _attempt_total(attempt, list(attempt.items.all()), now=now)
    attempt.save()
    audit_record(
        action="attempt.grade_item",
        target=attempt,
        actor=grader,
        organisation=attempt.exam.organisation,
        data={"item": item.pk, "before": str(before), "after": str(points)},
    )
    if attempt.status == Attempt.Status.GRADED and (
        not was_final or old_outcome != (attempt.score, attempt.passed)
    ):
        _on_commit_finalised(attempt)
    return item


@transaction.atomic
def question_correct_key(*, question: Question, key: list, actor, reason: str = "") -> list[int]:
    """Correct a wrong key on this very version and regrade every attempt that showed it.

    The one change made in place, on purpose: the attempts must be graded against the right key.
    Audited with the old and new key and each attempt's old and new score. Returns the ids of
    the attempts whose outcome changed. Option grades (partial credit) named the old key's
    options as right: they go, and the corrected key scores all-or-nothing.
    """
    from django.core.exceptions import ValidationError

    question = Question.objects.select_for_update().get(pk=question.pk)
    problems = grading.key_problems(kind=question.kind, options=question.options, key=key)
    if problems:
        raise ValidationError({"key": problems})
    old_key, old_weights = question.key, question.option_weights
    question.key, question.option_weights = key, []
    question.save(update_fields=["key", "option_weights"])
    audit_record(
        action="question.correct_key",
        target=question,
        actor=actor,
        organisation=question.bank.organisation,
        data={
            "old_key": old_key,
            "new_key": key,
            "reason": reason,
            **({"old_option_grades": old_weights} if old_weights else {}),
        },
    )
    changed: list[int] = []
    now = timezone.now()
    attempt_ids = (
        AttemptItem.objects.filter(question=question, is_closed=True)
        .values_list("attempt_id", flat=True)
        .distinct()
    )
    for attempt in (
        Attempt.objects.select_for_update().select_related("exam").filter(pk__in=list(attempt_ids))
    ):
        items = list(attempt.items.select_related("question"))
        for item in items:
            if item.question_id == question.pk:
                item.awarded = grading.grade(
                    kind=question.kind, key=key, answer=item.answer, points=item.points
                )
                if item.awarded is None:  # a short answer keeps its human grade
                    continue
                item.save(update_fields=["awarded"])
        before = (attempt.score, attempt.passed, attempt.status)
        _attempt_total(attempt, items, now=now)
        if attempt.status == Attempt.Status.GRADED and before[2] == Attempt.Status.GRADED:
            attempt.graded_at = now
        attempt.save()
        if before[:2] != (attempt.score, attempt.passed):
            changed.append(attempt.pk)
            audit_record(
                action="attempt.regrade",
                target=attempt,
                actor=actor,
                organisation=attempt.exam.organisation,
                data={
                    "question": question.pk,
                    "old_score": str(before[0]),
                    "new_score": str(attempt.score),
                    "old_passed": before[1],
                    "new_passed": attempt.passed,
                },
            )
            if attempt.status == Attempt.Status.GRADED:
                _on_commit_finalised(attempt)
    return changed


def attempts_submit_expired(*, now=None) -> int:
    """The beat sweep: submit every open attempt past its deadline and grace (extended by the
    outages that hit it, read once for the whole sweep), then those idle past their exam's
    minutes without activity."""
    now = now or timezone.now()
    return _attempts_submit_past_deadline(now=now) + attempts_submit_idle(now=now)


def _attempts_submit_past_deadline(*, now) -> int:
    due = list(
        Attempt.objects.filter(status=Attempt.Status.OPEN, deadline__lte=now - SAVE_GRACE).only(
            "pk", "started_at", "deadline"
        )
    )
    if not due:
        return 0
    windows = outages.windows_since(min(a.started_at for a in due), now=now)
    expired = [
        a.pk
        for a in due
        if now
        >= extended_close(
            started_at=a.started_at,
            deadline=a.deadline,
            grace=SAVE_GRACE,
            recovery=outages.RECOVERY,
            windows=windows,
        )
    ]
    for attempt_id in expired:
        attempt_submit(attempt_id=attempt_id, now=now, auto=True)
    return len(expired)
