"""Rectifications a failed enterprise owes: the notice issued at close, the enterprise's report,
the regulator's decision on it, and the flag on those past their deadline."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.attachments import attachment_problems
from lms.audit.services import audit_record
from lms.notifications.services import notification_send
from lms.organisations.selectors import compliance_heads_of

from .. import notices
from ..models import (
    DrawnEnterprise,
    Rectification,
    RectificationAttachment,
    RectificationReport,
)
from .campaigns import CampaignRefused


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
        from .. import tasks

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
