"""Reads for the exam engine, scoped to what the caller may see (via access_for)."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.organisations.access import access_for

from . import stats
from .models import (
    AnnualExamTemplate,
    Attempt,
    AttemptEvent,
    AttemptItem,
    Blueprint,
    Exam,
    ExamCandidate,
    ExamKind,
    Question,
    QuestionBank,
    QuestionKind,
)
from .paper import PaperRow


def _owner_q(access, field: str) -> Q:
    """Objects owned by organisations the user administers (or, for regulators, their own)."""
    return Q(**{f"{field}__in": access.admin_org_ids | access.regulator_ids})


def banks_manageable_by(user) -> QuerySet[QuestionBank]:
    access = access_for(user)
    qs = QuestionBank.objects.select_related("organisation")
    if access.is_platform_admin:
        return qs
    return qs.filter(_owner_q(access, "organisation_id"))


def questions_manageable_by(user) -> QuerySet[Question]:
    """Questions of the banks the user administers, less those of banks withheld from them
    while they may sit an exam drawing on it (see `banks_withheld_from`)."""
    return (
        Question.objects.filter(bank__in=banks_manageable_by(user))
        .exclude(bank_id__in=banks_withheld_from(user))
        .select_related("bank")
    )


def fixed_question_choices(user, *, bank_id: int | None = None) -> QuerySet[Question]:
    """What a blueprint section may fix: active questions of the blueprint's own bank among those
    the user may see (of all the banks they administer while the blueprint has no bank yet)."""
    qs = questions_manageable_by(user).filter(status=Question.Status.ACTIVE)
    return qs.filter(bank_id=bank_id) if bank_id else qs


def blueprints_manageable_by(user) -> QuerySet[Blueprint]:
    return Blueprint.objects.filter(bank__in=banks_manageable_by(user)).select_related("bank")


def exams_manageable_by(user) -> QuerySet[Exam]:
    access = access_for(user)
    qs = Exam.objects.select_related("organisation", "blueprint")
    if access.is_platform_admin:
        return qs
    return qs.filter(_owner_q(access, "organisation_id"))


def annual_templates_manageable_by(user) -> QuerySet[AnnualExamTemplate]:
    access = access_for(user)
    qs = AnnualExamTemplate.objects.select_related("organisation", "blueprint")
    if access.is_platform_admin:
        return qs
    return qs.filter(organisation_id__in=access.admin_org_ids)


def template_owner_choices(user):
    from lms.organisations.models import Organisation

    access = access_for(user)
    if access.is_platform_admin:
        return Organisation.objects.filter(kind="enterprise")
    return Organisation.objects.filter(pk__in=access.admin_org_ids)


# --- answer keys stay hidden from whoever may still sit an exam ---------------------------------


def exams_still_open_to(user, *, now=None) -> QuerySet[Exam]:
    """Exams the person may still sit: one they have an attempt open in, or one they are named a
    candidate of that has not closed and in which they have an attempt left. (Being a member of a
    course quiz's organisation does not count until the person starts the quiz.)"""
    if not getattr(user, "is_authenticated", False):
        return Exam.objects.none()
    now = now or timezone.now()
    used = (
        Attempt.objects.filter(user=user, exam_id=OuterRef("exam_id"))
        .order_by()
        .values("exam_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    attempts_left = (
        ExamCandidate.objects.filter(user=user, exam__closes_at__gt=now)
        .annotate(used=Coalesce(Subquery(used), 0))
        .filter(used__lt=F("exam__attempts_allowed") + F("extra_attempts"))
    )
    return Exam.objects.filter(
        Q(pk__in=attempts_left.values("exam_id")) | Q(pk__in=_open_attempts(user).values("exam_id"))
    )


def _open_attempts(user) -> QuerySet[Attempt]:
    if not getattr(user, "is_authenticated", False):
        return Attempt.objects.none()
    return Attempt.objects.filter(user=user, status=Attempt.Status.OPEN)


def banks_withheld_from(user, *, now=None) -> QuerySet[QuestionBank, Any]:
    """The one rule for answer keys: while a person may still sit an exam (`exams_still_open_to`),
    the bank it draws on is withheld from them, and so is the bank of every question on the
    paper of an attempt they have open: its keys and explanations (knowledge checks, the
    admin's question views, import and export) and its short answers to grade."""
    on_open_papers = AttemptItem.objects.filter(attempt__in=_open_attempts(user)).values(
        "question__bank_id"
    )
    return QuestionBank.objects.filter(
        Q(pk__in=exams_still_open_to(user, now=now).values("blueprint__bank_id"))
        | Q(pk__in=on_open_papers)
    ).values("pk")


def _exam_withholding(user, *, bank_id: int, now=None) -> Exam | None:
    """The exam that withholds a withheld bank: one drawing on it, else the open attempt's whose
    paper holds its questions."""
    exams = exams_still_open_to(user, now=now).order_by("closes_at")
    return (
        exams.filter(blueprint__bank_id=bank_id).first()
        or exams.filter(
            attempts__in=_open_attempts(user), attempts__items__question__bank_id=bank_id
        ).first()
    )


def _withheld_because(exam: Exam | None) -> dict:
    if exam is None:  # it closed between the two reads
        return {"exam": _("an exam open to you"), "closes": "—"}
    return {
        "exam": exam.title,
        "closes": timezone.localtime(exam.closes_at).strftime("%Y-%m-%d %H:%M"),
    }


def bank_withheld_reason(user, *, bank_id: int, now=None) -> str | None:
    """Why the bank's keys are withheld from the person (naming the exam), or None."""
    if not banks_withheld_from(user, now=now).filter(pk=bank_id).exists():
        return None
    exam = _exam_withholding(user, bank_id=bank_id, now=now)
    return _(
        "You may still sit “%(exam)s” (until %(closes)s), which draws on this question bank: "
        "its answers and explanations stay hidden from you until you have finished it or it "
        "closes."
    ) % _withheld_because(exam)


def withheld_bank_reasons(user, *, now=None) -> list[str]:
    """One line for each bank the user administers that is withheld from them (for the admin)."""
    managed = {
        bank.pk: bank
        for bank in banks_manageable_by(user).filter(pk__in=banks_withheld_from(user, now=now))
    }
    if not managed:
        return []
    reasons = []
    for bank_id, bank in managed.items():
        exam = _exam_withholding(user, bank_id=bank_id, now=now)
        reasons.append(
            _(
                "The questions of the bank “%(bank)s” are hidden from you while you may still "
                "sit “%(exam)s” (until %(closes)s)."
            )
            % {"bank": bank.name, **_withheld_because(exam)}
        )
    return reasons


def knowledge_check_questions_for(user) -> QuerySet[Question]:
    """Questions a lesson may show with instant feedback: active, not in a sealed bank, in a
    shared bank or one of the person's own organisations."""
    access = access_for(user)
    qs = Question.objects.filter(
        status=Question.Status.ACTIVE, bank__organisation__kind="enterprise"
    ).exclude(kind=QuestionKind.SHORT_ANSWER)
    if access.is_platform_admin:
        return qs
    return qs.filter(Q(bank__is_shared=True) | Q(bank__organisation_id__in=access.member_org_ids))


def knowledge_check_offered(user, *, question_id: int, lesson_id: int) -> Question | None:
    """The question, if a published lesson the person may open asks it as a knowledge check
    and the person may practise with it; else None. (Whether its key is withheld from them
    just now is `bank_withheld_reason`.)"""
    from content.selectors import lesson_asks_knowledge_check

    question = knowledge_check_questions_for(user).filter(pk=question_id).first()
    if question is None or not lesson_asks_knowledge_check(
        user=user, lesson_id=lesson_id, question_id=question_id
    ):
        return None
    return question


# --- learner side ------------------------------------------------------------------------------


@dataclass
class MyExam:
    exam: Exam
    attempts: list[Attempt]
    open_attempt: Attempt | None
    counted: Attempt | None
    attempts_left: int
    is_open_now: bool


def exams_for_learner(user, *, now=None) -> list[MyExam]:
    """The person's exams (named, audience, appointment, annual; course quizzes they started),
    each with their attempts. Two queries whatever the number of exams."""
    now = now or timezone.now()
    candidacies = {
        c.exam_id: c
        for c in ExamCandidate.objects.filter(user=user).only(
            "exam_id", "extra_attempts", "extra_minutes"
        )
    }
    exams = (
        Exam.objects.filter(Q(pk__in=list(candidacies)) | Q(attempts__user=user))
        .distinct()
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "attempts",
                queryset=Attempt.objects.filter(user=user).order_by("number"),
                to_attr="my_attempts",
            )
        )
        .order_by("-closes_at")
    )
    result = []
    for exam in exams:
        candidate = candidacies.get(exam.pk)
        allowed = exam.attempts_allowed + (candidate.extra_attempts if candidate else 0)
        attempts = exam.my_attempts
        result.append(
            MyExam(
                exam=exam,
                attempts=attempts,
                open_attempt=next((a for a in attempts if a.is_open), None),
                counted=counted_attempt(exam=exam, attempts=attempts),
                attempts_left=max(0, allowed - len(attempts)),
                is_open_now=exam.is_window_open(now=now),
            )
        )
    result.sort(key=lambda m: (not m.is_open_now, m.exam.closes_at))
    return result


def counted_attempt(*, exam: Exam, attempts: list[Attempt]) -> Attempt | None:
    """The attempt that counts by the exam's grading method (highest or last graded)."""
    graded = [a for a in attempts if a.status == Attempt.Status.GRADED]
    if not graded:
        return None
    if exam.grading_method == Exam.GradingMethod.LAST:
        return max(graded, key=lambda a: (a.submitted_at, a.number))
    return max(graded, key=lambda a: (a.percent, a.submitted_at))


def attempt_of(user, attempt_id: int) -> Attempt:
    """The person's own attempt (anyone else's is a 404)."""
    return Attempt.objects.select_related("exam__blueprint__bank__organisation").get(
        pk=attempt_id, user=user
    )


@dataclass(frozen=True)
class AttemptClock:
    deadline: datetime
    is_open: bool


def attempt_clock(*, attempt_id: int, user_id: int) -> AttemptClock | None:
    """The person's attempt's deadline and whether it is still open (one query); None for
    anyone else's."""
    row = (
        Attempt.objects.filter(pk=attempt_id, user_id=user_id)
        .values_list("deadline", "status")
        .first()
    )
    if row is None:
        return None
    return AttemptClock(deadline=row[0], is_open=row[1] == Attempt.Status.OPEN)


def exam_question_count(exam: Exam) -> int:
    from .services.banks import blueprint_specs

    return sum(s.size for s in blueprint_specs(blueprint=exam.blueprint))


def attempt_paper(attempt: Attempt) -> list[AttemptItem]:
    """The frozen paper with each question: one query whatever the number of questions."""
    return list(attempt.items.select_related("question").order_by("position"))


def attempt_paper_rows(attempt: Attempt) -> list[PaperRow]:
    """The frozen paper as the exam page needs it, without the questions' text (their
    fragments are cached: assessments.paper): one query whatever the number of questions."""
    return [
        PaperRow(*row)
        for row in attempt.items.order_by("position").values_list(
            "question_id",
            "question__kind",
            "question__updated_at",
            "points",
            "option_order",
            "answer",
            "seq",
        )
    ]


def paper_questions(ids: list[int]) -> list[Question]:
    """Questions to render the exam page's fragments from (with what their images need)."""
    return list(Question.objects.filter(pk__in=ids).select_related("bank__organisation"))


def may_review_answers(attempt: Attempt, *, now=None) -> bool:
    now = now or timezone.now()
    policy = attempt.exam.review_policy
    if attempt.is_open or attempt.exam.blueprint.bank.is_sealed:
        # a sealed bank's questions are shown only inside the attempt itself
        return False
    if policy == Exam.ReviewPolicy.IMMEDIATELY:
        return True
    if policy == Exam.ReviewPolicy.AFTER_CLOSE:
        return now >= attempt.exam.closes_at
    return False


# --- results and reports --------------------------------------------------------------------


@dataclass
class PersonResult:
    user: object
    candidate: ExamCandidate | None
    attempts: int
    counted: Attempt | None

    @property
    def passed(self) -> bool | None:
        return self.counted.passed if self.counted else None


def attempts_of_exam(*, exam: Exam) -> QuerySet[Attempt]:
    return exam.attempts.select_related("user").order_by("user_id", "number")


def exam_results(*, exam: Exam) -> list[PersonResult]:
    """One row per person in the exam (candidates and anyone who attempted it) with the attempt
    that counts by the grading method. For spot checks and reports."""
    attempts: dict[int, list[Attempt]] = {}
    users = {}
    for attempt in attempts_of_exam(exam=exam):
        attempts.setdefault(attempt.user_id, []).append(attempt)
        users[attempt.user_id] = attempt.user
    candidates = {c.user_id: c for c in exam.candidates.select_related("user")}
    for c in candidates.values():
        users.setdefault(c.user_id, c.user)
    return [
        PersonResult(
            user=users[uid],
            candidate=candidates.get(uid),
            attempts=len(attempts.get(uid, [])),
            counted=counted_attempt(exam=exam, attempts=attempts.get(uid, [])),
        )
        for uid in sorted(users, key=lambda u: (users[u].full_name, u))
    ]


def grading_queue_for(user) -> QuerySet[AttemptItem]:
    """Short answers waiting for a grade in exams the user administers: never their own, nor
    any from a bank withheld from them (they could read its reference answers)."""
    return (
        AttemptItem.objects.filter(
            attempt__exam__in=exams_manageable_by(user),
            attempt__status=Attempt.Status.AWAITING_GRADING,
            awarded__isnull=True,
        )
        .exclude(attempt__user=user)
        .exclude(question__bank_id__in=banks_withheld_from(user))
        .select_related("attempt__exam", "attempt__user", "question")
        .order_by("attempt__submitted_at", "position")
    )


def grading_queue_count(user) -> int:
    return grading_queue_for(user).count()


@dataclass
class ExamReport:
    exam: Exam
    candidates: int
    submitted: int
    passed: int
    distribution: list[int]
    items: list[tuple[Question, stats.ItemStatistic]]


def exam_report(*, exam: Exam) -> ExamReport:
    """Facility and discrimination per question and the score distribution."""
    graded = list(
        exam.attempts.filter(status=Attempt.Status.GRADED).values_list("pk", "percent", "passed")
    )
    totals = {pk: float(percent or 0) for pk, percent, _passed in graded}
    scores = [
        stats.ItemScore(attempt_id, qid, float((awarded or 0) / points) if points else 0.0)
        for attempt_id, qid, awarded, points in AttemptItem.objects.filter(
            attempt_id__in=list(totals), awarded__isnull=False
        ).values_list("attempt_id", "question_id", "awarded", "points")
    ]
    per_item = stats.item_statistics(totals=totals, scores=scores)
    questions = Question.objects.in_bulk(list(per_item))
    items = sorted(
        ((questions[qid], s) for qid, s in per_item.items()),
        key=lambda pair: (pair[1].facility if pair[1].facility is not None else 2, pair[0].pk),
    )
    counts = exam.attempts.aggregate(submitted=Count("pk", filter=~Q(status=Attempt.Status.OPEN)))
    return ExamReport(
        exam=exam,
        candidates=exam.candidates.count(),
        submitted=counts["submitted"],
        passed=sum(1 for _pk, _p, passed in graded if passed),
        distribution=stats.score_distribution(list(totals.values())),
        items=items,
    )


def upcoming_exam_count(user, *, now=None) -> int:
    now = now or timezone.now()
    return (
        ExamCandidate.objects.filter(user=user, exam__closes_at__gt=now)
        .exclude(exam__kind=ExamKind.COURSE_QUIZ)
        .count()
    )


# --- results for higher apps (records) ----------------------------------------------------

RECORDED_EXAM_KINDS = (ExamKind.ANNUAL, ExamKind.PRE_APPOINTMENT)


def exam_result_for(*, exam: Exam, user_id: int) -> Attempt | None:
    """The attempt that counts for this person in this exam (None: no graded attempt). One
    query, whatever the number of attempts."""
    return counted_attempt(exam=exam, attempts=list(exam.attempts.filter(user_id=user_id)))


def graded_exam_people() -> QuerySet:
    """(exam id, user id) for everyone with a graded attempt in an annual or pre-appointment
    exam, for the records backfill."""
    return (
        Attempt.objects.filter(exam__kind__in=RECORDED_EXAM_KINDS, status=Attempt.Status.GRADED)
        .values_list("exam_id", "user_id")
        .distinct()
        .order_by("exam_id", "user_id")
    )


def exams_by_id(ids) -> dict[int, Exam]:
    return Exam.objects.in_bulk(list(ids))


def annual_exam_absentees(*, user_ids, closed_from, closed_before) -> list[tuple[Exam, int]]:
    """(exam, user id) for each candidate of an annual exam whose window closed in
    [closed_from, closed_before) without a single attempt of theirs: an exam not sat, for the
    records year end. `user_ids` may be a query."""
    candidates = (
        ExamCandidate.objects.filter(
            exam__kind=ExamKind.ANNUAL,
            exam__closes_at__gte=closed_from,
            exam__closes_at__lt=closed_before,
            user_id__in=user_ids,
        )
        .exclude(
            Exists(Attempt.objects.filter(exam_id=OuterRef("exam_id"), user_id=OuterRef("user_id")))
        )
        .select_related("exam")
        .order_by("exam_id", "user_id")
    )
    return [(candidate.exam, candidate.user_id) for candidate in candidates]


def exam_results_of_organisation(*, organisation_id: int) -> QuerySet[Attempt]:
    """Final results of the organisation's own exams taken by people on its roster, for its HR
    system (lms.integrations), with the person's employee number there. `changed_at` is when
    the result became final (graded_at: attempts keep no other change time; a regrade sets it
    again)."""
    return (
        Attempt.objects.filter(
            status=Attempt.Status.GRADED,
            exam__organisation_id=organisation_id,
            user__memberships__organisation_id=organisation_id,
        )
        .annotate(
            changed_at=F("graded_at"),
            employee_number=F("user__memberships__employee_number"),
            person_email=F("user__email"),
            person_name=F("user__full_name"),
            exam_title=F("exam__title"),
            exam_kind=F("exam__kind"),
        )
        .order_by("pk")
    )


@dataclass
class IntegrityLog:
    """An attempt's integrity events in server time, with the leavings counted."""

    attempt: Attempt
    events: list[AttemptEvent]

    @property
    def leaves(self) -> int:
        from .integrity import LEAVE_KINDS

        return sum(1 for e in self.events if e.kind in LEAVE_KINDS)

    @property
    def submitted_by_server(self) -> AttemptEvent | None:
        """The event that made the server submit the paper (a limit or idleness), if any."""
        closing = {AttemptEvent.Kind.LIMIT_SUBMITTED, AttemptEvent.Kind.IDLE_SUBMITTED}
        return next((e for e in self.events if e.kind in closing), None)


def integrity_logs(*, attempt_ids) -> dict[int, IntegrityLog]:
    """The integrity log of each attempt that has one (one query)."""
    logs: dict[int, IntegrityLog] = {}
    for event in (
        AttemptEvent.objects.filter(attempt_id__in=attempt_ids)
        .select_related("attempt__user")
        .order_by("attempt_id", "at", "pk")
    ):
        log = logs.setdefault(event.attempt_id, IntegrityLog(attempt=event.attempt, events=[]))
        log.events.append(event)
    return logs


def exam_integrity_logs(*, exam: Exam) -> list[IntegrityLog]:
    """Every attempt of the exam with integrity events, by person and attempt number, for the
    exam's report and a spot check's regulator (one query)."""
    logs = integrity_logs(attempt_ids=exam.attempts.values_list("pk", flat=True))
    return sorted(logs.values(), key=lambda log: (log.attempt.user.full_name, log.attempt.number))


# --- an organisation's figures for a period: aggregates only, for a caller that has checked the
# reader may see the organisation (the quarterly dispatch report)


def exam_figures(*, organisation_id: int, start, end) -> dict:
    """Exams the organisation's people sat with a result in [start, end] (course quizzes left
    out; everyone on its roster, past members too): one per person and exam, passed if any graded attempt in the period passed."""
    rows = (
        Attempt.objects.filter(
            user__memberships__organisation_id=organisation_id,
            status=Attempt.Status.GRADED,
            graded_at__date__range=(start, end),
        )
        .exclude(exam__kind=ExamKind.COURSE_QUIZ)
        .values_list("exam_id", "user_id", "passed")
    )
    results: dict[tuple[int, int], bool] = {}
    for exam_id, user_id, passed in rows:
        results[(exam_id, user_id)] = results.get((exam_id, user_id), False) or bool(passed)
    passed_count = sum(results.values())
    return {"sat": len(results), "passed": passed_count, "failed": len(results) - passed_count}


def finished_attempts_of(*, user_ids, organisation_id: int) -> QuerySet[Attempt]:
    """The submitted attempts of these people at an organisation's exams (the compliance file:
    the caller checked who may read), oldest first, with their exams."""
    return (
        Attempt.objects.filter(user_id__in=user_ids, exam__organisation_id=organisation_id)
        .exclude(status=Attempt.Status.OPEN)
        .select_related("exam")
        .order_by("user_id", "started_at", "pk")
    )


def annual_exams_by_organisation(*, organisation_ids, year: int) -> dict[int, dict[str, int]]:
    """Per organisation, its annual exams of `year` (the cycle year, else the year the window
    closes): people with a graded attempt, and people who passed (a graded attempt that
    passed). One GROUP BY query; counts only."""
    graded = Attempt.objects.filter(
        Q(exam__cycle_year=year) | Q(exam__cycle_year__isnull=True, exam__closes_at__year=year),
        exam__kind=ExamKind.ANNUAL,
        exam__organisation_id__in=organisation_ids,
        status=Attempt.Status.GRADED,
    )
    rows = graded.values("exam__organisation_id").annotate(
        sat=Count("user", distinct=True),
        passed=Count("user", distinct=True, filter=Q(passed=True)),
    )
    return {
        row["exam__organisation_id"]: {"sat": row["sat"], "passed": row["passed"]} for row in rows
    }
