"""A spot check running and closing: the exam started and the drawn people put in it and told,
their results recorded, then the verdicts, rectification notices and new risk grades at close."""

from datetime import timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Attempt, ExamKind
from assessments.services import exam_assign, exam_create
from lms.audit.services import audit_record
from lms.notifications.services import notification_send
from lms.organisations.selectors import compliance_heads_of
from lms.organisations.services import organisation_save
from lms.resilience import outbox

from .. import notices, signals
from .. import verdict as rules
from ..models import Campaign, DrawnEnterprise, DrawnPerson, Outcome
from .campaigns import CampaignRefused
from .rectifications import _rectification_issue, _sent

if TYPE_CHECKING:
    from lms.organisations.models import Organisation

NOTIFY_CHUNK = 500


def campaign_start(*, campaign: Campaign, actor) -> Campaign:
    """Create the spot-check exam on the sealed bank and hand the drawn people to Celery, which
    puts them in it and notifies them: the request returns at once, however many were drawn."""
    from .. import tasks

    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != Campaign.Status.DRAWN:
            raise CampaignRefused([_("Only a drawn campaign that has not started can start.")])
        exam = exam_create(
            organisation=locked.regulator,
            title=locked.title,
            kind=ExamKind.SPOT_CHECK,
            blueprint=locked.blueprint,
            opens_at=locked.opens_at,
            closes_at=locked.closes_at,
            actor=actor,
            time_limit_minutes=locked.time_limit_minutes,
            pass_mark=locked.pass_mark,
            attempts_allowed=1,
            review_policy="score_only",
        )
        locked.exam = exam
        locked.status = Campaign.Status.RUNNING
        locked.started_at = timezone.now()
        locked.save(update_fields=["exam", "status", "started_at"])
        audit_record(
            action="spotcheck.start", target=locked, actor=actor, organisation=locked.regulator
        )
        outbox.enqueue(tasks.campaign_enrol, locked.pk)
    return locked


def campaign_enrol(*, campaign_id: int) -> int:
    """Put every drawn person in the exam (idempotent), then queue their notices in chunks."""
    from .. import tasks

    campaign = Campaign.objects.select_related("exam").get(pk=campaign_id)
    if campaign.exam is None:  # drawn before its exam was set: nothing to put people in
        return 0
    people = DrawnPerson.objects.filter(campaign=campaign).select_related("user")
    added = exam_assign(exam=campaign.exam, users=[p.user for p in people], actor=None)
    pending = list(
        people.filter(notified_at__isnull=True).order_by("pk").values_list("pk", flat=True)
    )
    for start in range(0, len(pending), NOTIFY_CHUNK):
        chunk = pending[start : start + NOTIFY_CHUNK]
        outbox.enqueue(tasks.drawn_people_notify, chunk)
    return len(added)


def drawn_people_notify(*, person_ids: list[int]) -> int:
    """Tell each drawn person they were drawn and where to sit the exam (once each)."""
    from django.urls import reverse

    sent = 0
    for person in DrawnPerson.objects.filter(
        pk__in=person_ids, notified_at__isnull=True
    ).select_related("campaign__exam", "campaign__regulator", "user"):
        campaign = person.campaign
        notification_send(
            user=person.user,
            key=f"spotcheck:{campaign.pk}:{person.pk}",
            kind=notices.DRAWN,
            params={
                "title": campaign.title,
                "regulator": campaign.regulator.name,
                "closes": timezone.localtime(campaign.closes_at).strftime("%Y-%m-%d %H:%M"),
            },
            link=reverse("spotchecks:my_spot_checks"),
        )
        DrawnPerson.objects.filter(pk=person.pk).update(notified_at=timezone.now())
        sent += 1
    return sent


def attempt_record(*, attempt: Attempt) -> None:
    """Record a finalised attempt on the drawn person (the campaign must still be running)."""
    person = (
        DrawnPerson.objects.filter(
            campaign__exam_id=attempt.exam_id,
            campaign__status=Campaign.Status.RUNNING,
            user_id=attempt.user_id,
        )
        .select_related("campaign")
        .first()
    )
    if person is None or attempt.passed is None:
        return
    if person.percent is not None and person.outcome == Outcome.PASSED and not attempt.passed:
        # a later, worse attempt does not undo a pass of a multi-attempt exam
        return
    person.attempt = attempt
    person.percent = attempt.percent
    person.outcome = Outcome.PASSED if attempt.passed else Outcome.FAILED
    person.finished_at = attempt.submitted_at
    person.save(update_fields=["attempt", "percent", "outcome", "finished_at"])


# --- closing and results ------------------------------------------------------------------


def campaign_close(*, campaign: Campaign, actor, now=None) -> Campaign:
    """Close: people without a result count as failed, each enterprise gets its verdict, those
    that fall short a rectification notice, and every drawn enterprise a new risk grade."""
    from .. import tasks

    now = now or timezone.now()
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status != Campaign.Status.RUNNING:
            raise CampaignRefused([_("Only a running campaign can be closed.")])
        DrawnPerson.objects.filter(campaign=locked, outcome=Outcome.PENDING).update(
            outcome=Outcome.NO_SHOW
        )
        deadline = timezone.localdate(now) + timedelta(days=locked.rectification_days)
        for row in DrawnEnterprise.objects.filter(campaign=locked).select_related("enterprise"):
            row.passed_count = row.people.filter(outcome=Outcome.PASSED).count()
            row.drawn_count = row.people.count()
            passes = rules.enterprise_passes(
                passed=row.passed_count,
                drawn=row.drawn_count,
                rule=locked.verdict_rule,
                min_percent=locked.verdict_min_percent,
            )
            row.verdict = DrawnEnterprise.Verdict.PASS if passes else DrawnEnterprise.Verdict.FAIL
            row.risk_grade_after = enterprise_risk_grade_update(
                enterprise=row.enterprise, passes=passes, actor=actor, campaign=locked
            )
            row.save(update_fields=["passed_count", "drawn_count", "verdict", "risk_grade_after"])
            if not passes:
                _rectification_issue(locked, row, deadline=deadline, actor=actor)
        locked.status = Campaign.Status.CLOSED
        locked.closed_at = now
        locked.save(update_fields=["status", "closed_at"])
        audit_record(
            action="spotcheck.close", target=locked, actor=actor, organisation=locked.regulator
        )
        people = list(
            DrawnPerson.objects.filter(campaign=locked).select_related(
                "campaign", "staff__department"
            )
        )
        transaction.on_commit(lambda: _send_outcomes(people))
        transaction.on_commit(lambda: tasks.failed_enterprises_notify.delay(locked.pk))
    return locked


def _send_outcomes(people: list[DrawnPerson]) -> None:
    """Each drawn person's outcome is final once the campaign closes: tell the higher apps."""
    for person in people:
        signals.drawn_person_outcome.send(sender=DrawnPerson, person=person)


def failed_enterprises_notify(*, campaign_id: int) -> int:
    """After closing: tell each failed firm's compliance head and chief compliance officer of
    the verdict and of the rectification it demands (once each); returns notices sent."""
    from django.urls import reverse

    sent = 0
    failed = DrawnEnterprise.objects.filter(
        campaign_id=campaign_id, verdict=DrawnEnterprise.Verdict.FAIL
    ).select_related("campaign__regulator", "enterprise", "rectification")
    for row in failed:
        values = {
            "title": row.campaign.title,
            "regulator": row.campaign.regulator.name,
            "enterprise": row.enterprise.name,
        }
        rectification = getattr(row, "rectification", None)
        for user in compliance_heads_of(organisation_id=row.enterprise_id):
            sent += _sent(
                notification_send(
                    user=user,
                    key=f"spotcheck:{campaign_id}:failed:{row.pk}:{user.pk}",
                    kind=notices.FAILED,
                    params={**values, "passed": row.passed_count, "drawn": row.drawn_count},
                    link=reverse("spotchecks:enterprise_detail", args=[row.pk]),
                )
            )
            if rectification is None:
                continue
            sent += _sent(
                notification_send(
                    user=user,
                    key=f"spotcheck:rectification:{rectification.pk}:demanded:{user.pk}",
                    kind=notices.RECTIFICATION_DEMANDED,
                    params={**values, "deadline": rectification.deadline.isoformat()},
                    link=reverse("spotchecks:rectification", args=[rectification.pk]),
                )
            )
    return sent


def enterprise_risk_grade_update(
    *, enterprise: "Organisation", passes: bool, actor, campaign: Campaign
) -> str:
    """Move the enterprise's risk grade one step by the result (saved by the organisations
    service, so it is validated and audited there too)."""
    before = enterprise.risk_grade
    enterprise.risk_grade = rules.next_risk_grade(grade=before, passes=passes)
    if enterprise.risk_grade != before:
        organisation_save(organisation=enterprise, actor=actor)
        audit_record(
            action="spotcheck.risk_grade",
            target=enterprise,
            actor=actor,
            organisation=enterprise,
            data={"campaign": campaign.pk, "before": before, "after": enterprise.risk_grade},
        )
    return enterprise.risk_grade
