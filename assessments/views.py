"""Learner pages and the JSON endpoints of an exam. Thin: parse, call one service, render."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lms.audit.context import client_ip

from . import grading, paper, selectors, services
from .exceptions import ExamError, OutsideAllowedNetworks
from .models import Attempt, Exam, QuestionKind
from .payloads import (
    MAX_BIGINT,
    MAX_INTEGER,
    AnswerRequest,
    parse_answer_batch,
    parse_answer_request,
)


def home_panel_context(request) -> dict | None:
    my = [m for m in selectors.exams_for_learner(request.user) if m.is_open_now][:5]
    if not my:
        return None
    return {"my_exams": my}


@login_required
@require_GET
def my_exams(request):
    return render(
        request,
        "assessments/my_exams.html",
        {"my_exams": selectors.exams_for_learner(request.user)},
    )


def _visible_exam(request, exam_id: int):
    """The exam and the person's place in it (None: they only have attempts of it)."""
    exam = get_object_or_404(Exam.objects.select_related("organisation", "blueprint"), pk=exam_id)
    candidate = services.candidate_for(exam=exam, user=request.user)
    if candidate is None and not exam.attempts.filter(user=request.user).exists():
        raise Http404
    return exam, candidate


@login_required
def exam_start(request, exam_id: int):
    """The start page with the rules; POST starts (or resumes) the attempt."""
    exam, candidate = _visible_exam(request, exam_id)
    if request.method == "POST":
        # Outside the allowed networks: the refusal page says so (RefusalMiddleware, 403).
        services.exam_network_check(exam=exam, address=client_ip(request))
        try:
            attempt = services.attempt_start(exam=exam, user=request.user, candidate=candidate)
        except ExamError as exc:
            messages.error(request, exc.message)
            return redirect("assessments:exam_start", exam_id=exam.pk)
        return redirect("assessments:attempt_take", attempt_id=attempt.pk)
    mine = [m for m in selectors.exams_for_learner(request.user) if m.exam.pk == exam.pk]
    return render(
        request,
        "assessments/exam_start.html",
        {
            "exam": exam,
            "my": mine[0] if mine else None,
            "extra_minutes": candidate.extra_minutes if candidate else 0,
            "question_count": selectors.exam_question_count(exam),
            "now": timezone.now(),
        },
    )


def _own_attempt(request, attempt_id: int) -> Attempt:
    try:
        return selectors.attempt_of(request.user, attempt_id)
    except Attempt.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_GET
def attempt_take(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if services.attempt_submit_if_expired(attempt=attempt):
        return redirect("assessments:attempt_result", attempt_id=attempt.pk)
    services.attempt_network_check(
        attempt_id=attempt.pk, user_id=request.user.pk, address=client_ip(request), action="page"
    )
    rows = selectors.attempt_paper_rows(attempt)
    fragments = paper.fragments_for(rows, load=selectors.paper_questions)
    now = timezone.now()
    config = {
        "attemptId": attempt.pk,
        "saveUrl": reverse("assessments:response_save", args=[attempt.pk]),
        "submitUrl": reverse("assessments:attempt_submit", args=[attempt.pk]),
        "resultUrl": reverse("assessments:attempt_result", args=[attempt.pk]),
        "timeUrl": reverse("assessments:attempt_time", args=[attempt.pk]),
        # Saves, the submit, integrity events and the countdown's poll carry it instead of the
        # session (assessments/middleware.py).
        "token": services.attempt_token_issue(
            attempt=attempt, language=translation.get_language(), now=now
        ),
        "serverNow": int(now.timestamp() * 1000),
        "deadline": int(attempt.deadline.timestamp() * 1000),
        "answers": {str(r.question_id): {"answer": r.answer, "seq": r.seq} for r in rows},
        "integrity": _integrity_config(attempt),
        "messages": {
            "saving": _("Saving…"),
            "saved": _("All answers saved"),
            "savedOne": _("Saved"),
            "offline": _("Offline: kept on this device"),
            "pending": _("Waiting to be sent"),
            "confirm": _("Submit your paper now? You cannot change answers afterwards."),
            "timeUp": _("Time is up: submitting your paper…"),
            "closed": _("This attempt is closed: answers are no longer accepted."),
            "submitting": _("Submitting…"),
            "submitFailed": _(
                "Your paper is not submitted yet: the server did not answer. Trying again "
                "every few seconds; keep this page open."
            ),
        },
    }
    return render(
        request,
        "assessments/attempt_take.html",
        {
            "attempt": attempt,
            "exam": attempt.exam,
            "paper": paper.paper_html(rows, fragments),
            "question_count": len(rows),
            "config": config,
        },
    )


def _integrity_config(attempt: Attempt) -> dict:
    exam = attempt.exam
    if not exam.integrity_watch:
        return {"watch": False}
    limit = exam.integrity_leave_limit
    return {
        "watch": True,
        "eventUrl": reverse("assessments:attempt_event", args=[attempt.pk]),
        "limit": limit,
        "fullScreen": exam.integrity_full_screen,
        "messages": {
            "left": (
                _(
                    "You left the exam page (%(n)s of %(limit)s times). When you reach "
                    "%(limit)s, your paper is submitted."
                )
                if limit
                else _("You left the exam page (%(n)s times). Every time is recorded.")
            ),
            "blocked": _("Copying, pasting and the context menu are not allowed in this exam."),
            "fullScreen": _("This exam is taken in full screen."),
            "enterFullScreen": _("Back to full screen"),
            "submitted": _("You left the exam page too often: your paper has been submitted."),
        },
    }


def json_error(message: str, status: int, **extra) -> JsonResponse:
    return JsonResponse({"ok": False, "error": message, **extra}, status=status)


def _save_result_json(entry, result) -> dict:
    question = getattr(entry, "question_id", None)
    if isinstance(result, ExamError):
        return {"question": question, "ok": False, "error": result.message}
    return {"question": question, "ok": True, "seq": result.seq, "stale": result.stale}


def answers_save(request, *, attempt_id: int, user_id: int) -> JsonResponse:
    """The person's answers to their attempt, from a session or an exam token (the middleware).

    {"question": id, "answer": [...], "seq": n} -> {"ok", "seq", "stale"}; or every answer the
    page has waiting, {"answers": [{...}, ...]} -> {"ok", "results": [{"question", "ok", "seq",
    "stale"} or {"question", "ok": false, "error"}, ...]} in the order sent. Idempotent and
    ordered by the client's sequence numbers; 409 after the deadline and grace.
    """
    try:
        services.attempt_network_check(
            attempt_id=attempt_id, user_id=user_id, address=client_ip(request), action="save"
        )
    except OutsideAllowedNetworks as exc:
        return json_error(exc.message, exc.status, reason="network")
    try:
        batch = parse_answer_batch(request.body)
        if batch.single:
            payload = batch.entries[0]
            assert isinstance(payload, AnswerRequest)  # a single bad answer raised
            result = services.response_save(
                attempt_id=attempt_id,
                user_id=user_id,
                question_id=payload.question_id,
                answer=payload.answer,
                seq=payload.seq,
            )
            return JsonResponse({"ok": True, "seq": result.seq, "stale": result.stale})
        results = services.responses_save(
            attempt_id=attempt_id, user_id=user_id, entries=batch.entries
        )
    except Attempt.DoesNotExist:
        return json_error(_("No such attempt."), 404)
    except ExamError as exc:
        return json_error(exc.message, exc.status)
    return JsonResponse(
        {
            "ok": True,
            "results": [
                _save_result_json(e, r) for e, r in zip(batch.entries, results, strict=True)
            ],
        }
    )


def _session_ended() -> JsonResponse:
    """The exam page asked with the session, and the session is gone (the page keeps what it
    has not sent)."""
    return json_error(_("Your session has ended. Sign in again: your answers are kept."), 401)


@require_POST
def response_save(request, attempt_id: int):
    """Saving with the session (a page without its exam token, or whose token has expired)."""
    if not request.user.is_authenticated:
        return _session_ended()
    return answers_save(request, attempt_id=attempt_id, user_id=request.user.pk)


def paper_submit(request, *, attempt_id: int, user, as_json: bool):
    """Submit the person's attempt, from a session or an exam token (the middleware)."""
    try:
        services.attempt_network_check(
            attempt_id=attempt_id, user_id=user.pk, address=client_ip(request), action="submit"
        )
    except OutsideAllowedNetworks as exc:
        if as_json:
            return json_error(exc.message, exc.status, reason="network")
        raise
    try:
        services.attempt_submit(attempt_id=attempt_id, user=user)
    except Attempt.DoesNotExist:
        if as_json:
            return json_error(_("No such attempt."), 404)
        raise Http404 from None
    url = reverse("assessments:attempt_result", args=[attempt_id])
    if as_json:
        return JsonResponse({"ok": True, "resultUrl": url})
    return redirect(url)


@require_POST
def attempt_submit(request, attempt_id: int):
    if not request.user.is_authenticated:
        return _session_ended()
    attempt = _own_attempt(request, attempt_id)
    return paper_submit(
        request,
        attempt_id=attempt.pk,
        user=request.user,
        as_json=request.content_type == "application/json",
    )


def integrity_event(request, *, attempt_id: int, user_id: int) -> JsonResponse:
    """{"kind": "left_page" | …} -> {"ok", "leaves", "limit", "submitted", "resultUrl"}, from a
    session or an exam token (the middleware): the exam page reports an integrity event; the
    server stores it at its own time and submits the paper when its own count reaches the limit.
    404 for anyone else's attempt, 409 once it is closed."""
    kind = None
    try:
        body = json.loads(request.body or b"{}")
        kind = body.get("kind") if isinstance(body, dict) else None
    except ValueError:
        pass
    if not isinstance(kind, str):
        return json_error(_("The exam page does not report such an event."), 400)
    try:
        result = services.attempt_event_record(attempt_id=attempt_id, user_id=user_id, kind=kind)
    except Attempt.DoesNotExist:
        return json_error(_("No such attempt."), 404)
    except ExamError as exc:
        return json_error(exc.message, exc.status)
    return JsonResponse(
        {
            "ok": True,
            "leaves": result.leaves,
            "limit": result.limit,
            "submitted": result.submitted,
            "resultUrl": reverse("assessments:attempt_result", args=[attempt_id]),
        }
    )


@require_POST
def attempt_event(request, attempt_id: int):
    """An integrity event with the session (a page without its exam token, or whose token has
    expired)."""
    if not request.user.is_authenticated:
        return _session_ended()
    return integrity_event(request, attempt_id=attempt_id, user_id=request.user.pk)


def clock(request, *, attempt_id: int, user_id: int) -> JsonResponse:
    """What the exam page's countdown follows, from a session or an exam token (the
    middleware): {"ok", "serverNow", "deadline" (ms since the epoch), "open", "submitted",
    "resultUrl"}. One query; 404 for anyone else's attempt. The server's clock only: a page whose
    device clock drifts, or whose deadline a proctor moved, corrects its countdown."""
    state = selectors.attempt_clock(attempt_id=attempt_id, user_id=user_id)
    if state is None:
        return json_error(_("No such attempt."), 404)
    now = timezone.now()
    return JsonResponse(
        {
            "ok": True,
            "serverNow": int(now.timestamp() * 1000),
            "deadline": int(state.deadline.timestamp() * 1000),
            "open": state.is_open,
            "submitted": not state.is_open,
            "resultUrl": reverse("assessments:attempt_result", args=[attempt_id]),
        }
    )


@require_GET
def attempt_time(request, attempt_id: int):
    """The countdown's poll with the session (a page without its exam token, or whose token has
    expired)."""
    if not request.user.is_authenticated:
        return _session_ended()
    return clock(request, attempt_id=attempt_id, user_id=request.user.pk)


@login_required
@require_GET
def attempt_result(request, attempt_id: int):
    attempt = _own_attempt(request, attempt_id)
    if not services.attempt_submit_if_expired(attempt=attempt):
        return redirect("assessments:attempt_take", attempt_id=attempt.pk)
    attempt.refresh_from_db()
    review = selectors.may_review_answers(attempt)
    items = selectors.attempt_paper(attempt) if review else []
    for item in items:
        options = item.question.lettered_options
        feedback = item.question.option_feedback or []
        item.shown_options = [
            (*options[i], feedback[i] if i < len(feedback) else "")
            for i in item.option_order
            if i < len(options)
        ]
    integrity = selectors.integrity_logs(attempt_ids=[attempt.pk]).get(attempt.pk)
    return render(
        request,
        "assessments/attempt_result.html",
        {
            "attempt": attempt,
            "exam": attempt.exam,
            "review": review,
            "items": items,
            "submitted_by_server": integrity.submitted_by_server if integrity else None,
        },
    )


@require_POST
def knowledge_check_answer(request):
    """{"question": id, "lesson": id, "answer": [...]} -> {"correct", "explanation", "key"}:
    instant feedback for a lesson's knowledge check. Only for a question the published lesson
    asks and the person may practise with, and never while its bank is withheld from them
    (an exam they may still sit draws on it, or its question is on their open paper)."""
    if not request.user.is_authenticated:
        return json_error(_("Sign in to check your answer."), 401)
    try:
        payload = parse_answer_request(request.body)
    except ExamError as exc:
        return json_error(exc.message, exc.status)
    question_id, answer, lesson_id = payload.question_id, payload.answer, payload.lesson_id or 0
    question = None
    # ids beyond the database's integers are no question (bigint) or lesson page (integer)
    if 0 < question_id <= MAX_BIGINT and 0 < lesson_id <= MAX_INTEGER:
        question = selectors.knowledge_check_offered(
            request.user, question_id=question_id, lesson_id=lesson_id
        )
    if question is None:
        return json_error(_("No such question."), 404)
    withheld = selectors.bank_withheld_reason(request.user, bank_id=question.bank_id)
    if withheld:
        return json_error(withheld, 403)
    correct = grading.is_correct(kind=question.kind, key=question.key, answer=answer)
    key = question.key
    if question.kind == QuestionKind.TRUE_FALSE:
        key = [_("True") if question.key == [grading.TRUE] else _("False")]
    return JsonResponse(
        {"ok": True, "correct": bool(correct), "explanation": question.explanation, "key": key}
    )
