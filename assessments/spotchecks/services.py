"""Spot-check campaigns: every change of state, audited.

Lifecycle: `campaign_save` (draft only) → `campaign_commit` (scope frozen, seed hash published,
population snapshot stored) → `campaign_draw` (seed revealed, selection stored) →
`campaign_start` (exam created, people put in it and notified by Celery) → `campaign_close`
(no-shows failed, verdicts, rectification notices, risk grades) → rectification reports.
"""

import secrets
from datetime import timedelta
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.models import Attempt, ExamKind
from assessments.services import exam_assign, exam_create
from lms.attachments import attachment_problems
from lms.audit.services import audit_record, editable_fields, saved_changes, stored_state
from lms.notifications.services import notification_send
from lms.organisations.models import ComplianceRole, Organisation, Staff
from lms.organisations.selectors import (
    compliance_heads_of,
    enterprises_in_jurisdiction,
    staff_active,
)
from lms.organisations.services import organisation_save
from lms.refusals import Refused
from lms.resilience import outbox

from . import draw as pure_draw
from . import notices, signals
from . import verdict as rules
from .models import (
    Campaign,
    Draw,
    DrawnEnterprise,
    DrawnInspector,
    DrawnPerson,
    InspectorRecusal,
    Outcome,
    Rectification,
    RectificationAttachment,
    RectificationReport,
)

NOTIFY_CHUNK = 500


class CampaignRefused(Refused):
    """A request the campaign's state or population does not allow; `messages` say why."""


# --- scope and population ---------------------------------------------------------------------


def inspector_pool(*, regulator: Organisation):
    """The regulator's active staff whose position is regulator inspector."""
    return (
        staff_active()
        .filter(
            organisation=regulator,
            position__compliance_role=ComplianceRole.REGULATOR_INSPECTOR,
        )
        .select_related("user")
    )


def campaign_scope(*, campaign: Campaign):
    """The enterprises the campaign may draw: the jurisdiction through the filters, plus
    explicit includes, less explicit excludes."""
    jurisdiction = enterprises_in_jurisdiction(regulator=campaign.regulator)
    filtered = jurisdiction
    if campaign.scope_sectors:
        filtered = filtered.filter(sector__in=campaign.scope_sectors)
    if campaign.scope_region_prefix:
        filtered = filtered.filter(region_code__startswith=campaign.scope_region_prefix)
    if campaign.scope_risk_grades:
        filtered = filtered.filter(risk_grade__in=campaign.scope_risk_grades)
    ids = set(filtered.values_list("pk", flat=True))
    if campaign.pk:
        includes = set(campaign.scope_include.values_list("pk", flat=True))
        ids |= set(jurisdiction.filter(pk__in=includes).values_list("pk", flat=True))
        ids -= set(campaign.scope_exclude.values_list("pk", flat=True))
    return Organisation.objects.filter(pk__in=ids)


def campaign_snapshot(*, campaign: Campaign) -> dict:
    """The population as the draw sees it: sorted ids only, nothing personal."""
    enterprises = sorted(campaign_scope(campaign=campaign).values_list("pk", "risk_grade"))
    enterprise_ids = [pk for pk, _grade in enterprises]
    roles = {role: n for role, n in (campaign.roles or {}).items() if n > 0}
    staff: dict[str, dict[str, list[int]]] = {}
    for org_id, role, staff_id in (
        staff_active()
        .filter(
            organisation_id__in=enterprise_ids,
            position__compliance_role__in=list(roles),
        )
        .values_list("organisation_id", "position__compliance_role", "pk")
        .order_by("pk")
    ):
        staff.setdefault(str(org_id), {}).setdefault(role, []).append(staff_id)
    pool = list(inspector_pool(regulator=campaign.regulator).values_list("pk", "user_id"))
    recusals = set(
        InspectorRecusal.objects.filter(
            inspector_id__in=[pk for pk, _ in pool], enterprise_id__in=enterprise_ids
        ).values_list("inspector_id", "enterprise_id")
    )
    # A present or former membership of the enterprise is a link too, whatever its status.
    staff_of_user = {user_id: pk for pk, user_id in pool}
    for user_id, org_id in Staff.objects.filter(
        user_id__in=list(staff_of_user), organisation_id__in=enterprise_ids
    ).values_list("user_id", "organisation_id"):
        recusals.add((staff_of_user[user_id], org_id))
    return {
        "algorithm": pure_draw.ALGORITHM,
        "enterprises": [[pk, grade] for pk, grade in enterprises],
        "staff": staff,
        "inspectors": sorted(pk for pk, _ in pool),
        "recusals": sorted([list(pair) for pair in recusals]),
        "params": {
            "enterprises": pure_draw.resolve_enterprise_count(
                mode=campaign.enterprise_count_mode,
                value=campaign.enterprise_count_value,
                scope_size=len(enterprises),
            ),
            "roles": roles,
            "inspectors": campaign.inspectors_per_enterprise,
            "weighting": campaign.weighting,
            "weights": pure_draw.RISK_GRADE_WEIGHTS,
        },
    }


def problem_messages(problems: list[tuple[str, dict]]) -> list[str]:
    """The draw's refusals in words, naming up to five enterprises."""
    role_labels = dict(ComplianceRole.choices)
    messages = []
    for code, params in problems:
        names = _names(params.get("enterprise_ids", []))
        if code == "empty_scope":
            messages.append(
                _("The scope is empty: no enterprise in your jurisdiction matches the filters.")
            )
        elif code == "too_few_enterprises_asked":
            messages.append(_("Draw at least one enterprise."))
        elif code == "too_many_enterprises":
            messages.append(
                _("You asked for %(asked)d enterprises but the scope has only %(available)d.")
                % params
            )
        elif code == "too_few_staff":
            messages.append(
                _(
                    "You asked for %(count)d %(role)s per enterprise, but these enterprises have "
                    "fewer: %(names)s. Exclude them or ask for fewer."
                )
                % {"count": params["count"], "role": role_labels[params["role"]], "names": names}
            )
        elif code == "pool_too_small":
            messages.append(
                _(
                    "You asked for %(asked)d inspectors per enterprise but your inspector pool "
                    "has only %(available)d."
                )
                % params
            )
        elif code == "pool_too_small_after_recusal":
            messages.append(
                _(
                    "Once recused inspectors are left out, fewer than %(asked)d inspectors remain "
                    "for: %(names)s. Ask for fewer inspectors or exclude these enterprises."
                )
                % {"asked": params["asked"], "names": names}
            )
    return messages


def _names(enterprise_ids: list[int]) -> str:
    shown = list(
        Organisation.objects.filter(pk__in=enterprise_ids[:5]).values_list("name", flat=True)
    )
    more = len(enterprise_ids) - len(shown)
    text = "、".join(shown)
    return text + (_(" and %(n)d more") % {"n": more} if more > 0 else "")


def campaign_preflight(*, campaign: Campaign) -> list[str]:
    """What would stop the commit, in words (empty when the campaign can be committed)."""
    return problem_messages(pure_draw.problems(campaign_snapshot(campaign=campaign)))


# --- draft --------------------------------------------------------------------------------


def _refuse(campaign: Campaign, *, action: str, actor, message: str) -> NoReturn:
    audit_record(
        action=f"spotcheck.{action}_refused",
        target=campaign,
        actor=actor,
        organisation=campaign.regulator,
        data={"status": campaign.status},
    )
    raise CampaignRefused([message])


def campaign_save(
    *,
    campaign: Campaign,
    actor,
    include_ids: list[int] | None = None,
    exclude_ids: list[int] | None = None,
) -> Campaign:
    """Create or change a draft campaign. Once committed nothing can change (refused, audited)."""
    if campaign.pk:
        stored = Campaign.objects.get(pk=campaign.pk)
        if stored.is_frozen:
            # The refusal must outlive the caller's rollback, so it is recorded outside it.
            _refuse(
                stored,
                action="change",
                actor=actor,
                message=_(
                    "This campaign's seed is committed: its scope and sizes can no longer change."
                ),
            )
    with transaction.atomic():
        jurisdiction = enterprises_in_jurisdiction(regulator=campaign.regulator)
        errors = {}
        for field, ids in (("scope_include", include_ids), ("scope_exclude", exclude_ids)):
            if ids and jurisdiction.filter(pk__in=ids).count() != len(set(ids)):
                errors[field] = _("Only enterprises in your jurisdiction can be chosen.")
        if errors:
            raise ValidationError(errors)
        is_new = campaign.pk is None
        if is_new:
            campaign.created_by = actor
        tracked = (*editable_fields(type(campaign)), "scope_include", "scope_exclude")
        before = stored_state(campaign, tracked)
        campaign.full_clean()
        campaign.save()
        if include_ids is not None:
            campaign.scope_include.set(include_ids)
        if exclude_ids is not None:
            campaign.scope_exclude.set(exclude_ids)
        changes = saved_changes(campaign, before, tracked)
        audit_record(
            action="spotcheck.campaign_create" if is_new else "spotcheck.campaign_update",
            target=campaign,
            actor=actor,
            organisation=campaign.regulator,
            data={"changes": changes} if changes else {},
        )
    return campaign


@transaction.atomic
def recusal_add(*, inspector: Staff, enterprise: Organisation, reason: str, actor):
    """Record that an inspector must never be drawn for an enterprise."""
    recusal = InspectorRecusal(inspector=inspector, enterprise=enterprise, reason=reason)
    recusal.full_clean()
    recusal.save()
    audit_record(
        action="spotcheck.recusal_add",
        target=recusal,
        actor=actor,
        organisation=inspector.organisation,
        data={"enterprise": enterprise.pk, "reason": reason},
    )
    return recusal


# --- commit and draw ----------------------------------------------------------------------


def campaign_commit(*, campaign: Campaign, actor) -> Draw:
    """Freeze the campaign: store the population snapshot and commit to a secret seed by
    publishing its SHA-256. Refused (before anything is stored) when the population cannot
    meet the request, and refused and audited when the campaign is already committed."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if (
            locked.status == Campaign.Status.DRAFT
            and not Draw.objects.filter(campaign=locked).exists()
        ):
            snapshot = campaign_snapshot(campaign=locked)
            problems = pure_draw.problems(snapshot)
            if problems:
                raise CampaignRefused(problem_messages(problems))
            seed = secrets.token_hex(32)
            record = Draw.objects.create(
                campaign=locked,
                algorithm=pure_draw.ALGORITHM,
                seed_hash=pure_draw.seed_hash(seed),
                committed_at=timezone.now(),
                committed_by=actor,
                snapshot=snapshot,
                population_hash=pure_draw.population_hash(snapshot),
                population_size=len(snapshot["enterprises"]),
                seed=seed,
            )
            locked.status = Campaign.Status.COMMITTED
            locked.save(update_fields=["status"])
            audit_record(
                action="spotcheck.commit",
                target=locked,
                actor=actor,
                organisation=locked.regulator,
                data={
                    "seed_hash": record.seed_hash,
                    "population_hash": record.population_hash,
                    "population_size": record.population_size,
                },
            )
            campaign.status = locked.status
            return record
    _refuse(
        locked,
        action="commit",
        actor=actor,
        message=_("This campaign is already committed: it cannot be committed again."),
    )


def campaign_draw(*, campaign: Campaign, actor) -> Draw:
    """Reveal the seed and draw from the stored snapshot. Only once per campaign."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status == Campaign.Status.COMMITTED:
            record = Draw.objects.select_for_update().get(campaign=locked)
            result = pure_draw.draw(seed=record.seed, snapshot=record.snapshot)
            record.result = result
            record.revealed_at = timezone.now()
            record.save(update_fields=["result", "revealed_at"])
            _store_selection(locked, result)
            locked.status = Campaign.Status.DRAWN
            locked.save(update_fields=["status"])
            audit_record(
                action="spotcheck.draw",
                target=locked,
                actor=actor,
                organisation=locked.regulator,
                data={"seed": record.seed, "enterprises": len(result["enterprises"])},
            )
            campaign.status = locked.status
            return record
    if locked.status == Campaign.Status.DRAFT:
        message = _("Commit the seed before drawing.")
    else:
        message = _("This campaign has been drawn already: there is no second draw.")
    _refuse(locked, action="draw", actor=actor, message=message)


def _store_selection(campaign: Campaign, result: dict) -> None:
    staff_ids = [s for e in result["enterprises"] for ids in e["staff"].values() for s in ids]
    users = dict(Staff.objects.filter(pk__in=staff_ids).values_list("pk", "user_id"))
    grades = dict(
        Organisation.objects.filter(
            pk__in=[e["enterprise"] for e in result["enterprises"]]
        ).values_list("pk", "risk_grade")
    )
    drawn = DrawnEnterprise.objects.bulk_create(
        [
            DrawnEnterprise(
                campaign=campaign,
                enterprise_id=e["enterprise"],
                drawn_count=sum(len(ids) for ids in e["staff"].values()),
                risk_grade_before=grades[e["enterprise"]],
            )
            for e in result["enterprises"]
        ]
    )
    people, inspectors = [], []
    for row, e in zip(drawn, result["enterprises"], strict=True):
        for role, ids in e["staff"].items():
            people += [
                DrawnPerson(
                    drawn_enterprise=row,
                    campaign=campaign,
                    staff_id=s,
                    user_id=users[s],
                    role=role,
                )
                for s in ids
            ]
        inspectors += [DrawnInspector(drawn_enterprise=row, staff_id=i) for i in e["inspectors"]]
    DrawnPerson.objects.bulk_create(people, batch_size=2000)
    DrawnInspector.objects.bulk_create(inspectors, batch_size=2000)


def draw_verify(*, record: Draw) -> pure_draw.Verification:
    return pure_draw.verify(record.public_record())


# --- running ------------------------------------------------------------------------------


def campaign_start(*, campaign: Campaign, actor) -> Campaign:
    """Create the spot-check exam on the sealed bank and hand the drawn people to Celery, which
    puts them in it and notifies them: the request returns at once, however many were drawn."""
    from . import tasks

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
    from . import tasks

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
    from . import tasks

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


def rectification_returned_notify(*, rectification_id: int, report_id: int) -> int:
    """Tell the firm's compliance head and chief compliance officer that the regulator sent
    their report back, with the regulator's comments (once per returned report)."""
    from django.urls import reverse

    rectification = Rectification.objects.select_related(
        "drawn_enterprise__campaign__regulator", "drawn_enterprise__enterprise"
    ).get(pk=rectification_id)
    drawn = rectification.drawn_enterprise
    params = {
        "title": drawn.campaign.title,
        "regulator": drawn.campaign.regulator.name,
        "enterprise": drawn.enterprise.name,
        "comment": rectification.reviewer_comment,
    }
    return sum(
        _sent(
            notification_send(
                user=user,
                key=f"spotcheck:rectification:{rectification.pk}:returned:{report_id}:{user.pk}",
                kind=notices.RECTIFICATION_RETURNED,
                params=params,
                link=reverse("spotchecks:rectification", args=[rectification.pk]),
            )
        )
        for user in compliance_heads_of(organisation_id=drawn.enterprise_id)
    )


def _sent(notification) -> int:
    return int(notification is not None)


def enterprise_risk_grade_update(
    *, enterprise: Organisation, passes: bool, actor, campaign: Campaign
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


def _rectification_issue(campaign, row: DrawnEnterprise, *, deadline, actor) -> Rectification:
    notice = _(
        "In the spot check %(title)s, %(passed)d of the %(drawn)d people drawn from your "
        "enterprise passed, which falls short of the requirement. Please rectify and submit a "
        "rectification report with supporting documents by %(deadline)s."
    ) % {
        "title": campaign.title,
        "passed": row.passed_count,
        "drawn": row.drawn_count,
        "deadline": deadline.isoformat(),
    }
    rectification = Rectification.objects.create(
        drawn_enterprise=row, notice=notice, deadline=deadline
    )
    audit_record(
        action="spotcheck.rectification_issue",
        target=rectification,
        actor=actor,
        organisation=row.enterprise,
        data={"deadline": deadline.isoformat()},
    )
    return rectification


@transaction.atomic
def rectification_submit(
    *, rectification: Rectification, text: str, files, actor
) -> RectificationReport:
    """The enterprise's report (and attachments); nothing is stored if any file is refused."""
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if rectification.status not in (
        Rectification.Status.AWAITING_REPORT,
        Rectification.Status.RETURNED,
    ):
        raise CampaignRefused([_("This rectification is not waiting for a report.")])
    problems = []
    if not text.strip():
        problems.append(_("Describe what was rectified."))
    problems += attachment_problems(files)
    if problems:
        raise CampaignRefused(problems)
    report = RectificationReport.objects.create(
        rectification=rectification, text=text.strip(), submitted_by=actor
    )
    for upload in files:
        RectificationAttachment.objects.create(
            report=report, file=upload, name=upload.name[:200], size=upload.size
        )
    rectification.status = Rectification.Status.SUBMITTED
    rectification.save(update_fields=["status"])
    audit_record(
        action="spotcheck.rectification_submit",
        target=rectification,
        actor=actor,
        organisation=rectification.drawn_enterprise.enterprise,
        data={"report": report.pk, "attachments": len(files)},
    )
    return report


@transaction.atomic
def rectification_decide(
    *, rectification: Rectification, accept: bool, comment: str, actor
) -> Rectification:
    """The regulator accepts the report, or returns it with comments (which are required)."""
    rectification = Rectification.objects.select_for_update().get(pk=rectification.pk)
    if rectification.status != Rectification.Status.SUBMITTED:
        raise CampaignRefused([_("There is no submitted report to decide on.")])
    if not accept and not comment.strip():
        raise CampaignRefused([_("Say what is missing when returning a report.")])
    rectification.status = (
        Rectification.Status.ACCEPTED if accept else Rectification.Status.RETURNED
    )
    rectification.reviewer_comment = comment.strip()
    rectification.decided_by = actor
    rectification.decided_at = timezone.now()
    rectification.save(update_fields=["status", "reviewer_comment", "decided_by", "decided_at"])
    audit_record(
        action="spotcheck.rectification_accept" if accept else "spotcheck.rectification_return",
        target=rectification,
        actor=actor,
        organisation=rectification.drawn_enterprise.enterprise,
        data={"comment": rectification.reviewer_comment},
    )
    if not accept:
        from . import tasks

        report = rectification.reports.order_by("-pk").first()
        if report is not None:  # a rectification is reviewed once a report is in
            report_pk = report.pk
            transaction.on_commit(
                lambda: tasks.rectification_returned_notify.delay(rectification.pk, report_pk)
            )
    return rectification


def rectifications_flag_overdue(*, today=None) -> int:
    """Flag (once) every rectification past its deadline without an accepted report."""
    today = today or timezone.localdate()
    due = Rectification.objects.filter(
        status__in=Rectification.OWED_STATUSES,
        deadline__lt=today,
        overdue_flagged_at__isnull=True,
    ).select_related("drawn_enterprise__enterprise")
    flagged = 0
    for rectification in due:
        with transaction.atomic():
            updated = Rectification.objects.filter(
                pk=rectification.pk, overdue_flagged_at__isnull=True
            ).update(overdue_flagged_at=timezone.now())
            if updated:
                audit_record(
                    action="spotcheck.rectification_overdue",
                    target=rectification,
                    organisation=rectification.drawn_enterprise.enterprise,
                    data={"deadline": rectification.deadline.isoformat()},
                )
                flagged += 1
    return flagged
