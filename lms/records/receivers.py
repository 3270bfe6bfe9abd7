"""Turn the lower apps' results into ledger entries. Connected in RecordsConfig.ready(); the
backfill calls the same functions, so a past result and a live one make the same entry.

Each receiver uses a fixed number of queries, however many entries a person already has.
"""

from datetime import datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from lms.organisations.selectors import memberships_of

from . import services
from .scoring import PolicyError
from .services import platform_language

ASSIGNED_SOURCES = ("curriculum", "manual")
RESULT_CHANGED = "result changed"


def _membership(user_id: int, organisation_id: int | None):
    """The person's membership in the organisation, else their first active one (a regulator's
    exam or certificate counts where the person works). None: not on any roster."""
    memberships = list(memberships_of(user_id))
    for staff in memberships:
        if staff.organisation_id == organisation_id:
            return staff
    active = [m for m in memberships if m.status == "active"]
    return (active or memberships or [None])[0]


def on_enrolment_completed(sender, enrolment, **kwargs):
    """A mandatory (assigned) course completed: on time, or late if after its due date."""
    if enrolment.source not in ASSIGNED_SOURCES or enrolment.completed_at is None:
        return None
    completed_on = timezone.localdate(enrolment.completed_at)
    late = enrolment.due_on is not None and completed_on > enrolment.due_on
    with platform_language():
        if late:
            summary = _("Completed the mandatory course “%(course)s” late (due %(due)s)") % {
                "course": enrolment.course.title,
                "due": enrolment.due_on.isoformat(),
            }
        else:
            summary = _("Completed the mandatory course “%(course)s” on time") % {
                "course": enrolment.course.title
            }
    return services.record_entry(
        staff=enrolment.staff,
        kind="course_late" if late else "course_on_time",
        source=enrolment,
        occurred_at=enrolment.completed_at,
        summary=summary,
    )


def on_attempt_finalised(sender, attempt, **kwargs):
    from assessments.selectors import RECORDED_EXAM_KINDS

    exam = attempt.exam
    if exam.kind not in RECORDED_EXAM_KINDS:
        # course quizzes count through the course; spot checks through their outcome
        return None
    return exam_result_record(exam=exam, user_id=attempt.user_id)


def exam_result_record(*, exam, user_id: int):
    """The person's result in an annual or pre-appointment exam: the attempt that counts by the
    exam's grading method. A result that changed (a regrade, a better attempt) reverses the
    entry of the old one."""
    from assessments.selectors import exam_result_for

    counted = exam_result_for(exam=exam, user_id=user_id)
    if counted is None or counted.passed is None:
        return None
    staff = _membership(user_id, exam.organisation_id)
    if staff is None:
        return None
    kind, other = (
        ("exam_passed", "exam_failed") if counted.passed else ("exam_failed", "exam_passed")
    )
    with platform_language():
        services.reverse_live_entries(
            user_id=user_id,
            source=exam,
            kinds=[other, "exam_absent"],
            reason=_("The exam result changed."),
        )
        template = (
            _("Passed the exam “%(exam)s” (%(percent)s%%)")
            if counted.passed
            else _("Failed the exam “%(exam)s” (%(percent)s%%)")
        )
        summary = template % {"exam": exam.title, "percent": counted.percent}
    return services.record_entry(
        staff=staff,
        kind=kind,
        source=exam,
        occurred_at=counted.submitted_at or counted.graded_at or timezone.now(),
        summary=summary,
    )


def on_certificate_issued(sender, certificate, **kwargs):
    if certificate.status == "revoked" and certificate.revoked_by_id is None:
        return None  # issued in error and taken back by the system: never counted
    staff = _membership(certificate.holder_id, certificate.organisation_id)
    if staff is None:
        return None
    with platform_language():
        summary = _("Gained the certificate “%(title)s” (No. %(serial)s)") % {
            "title": certificate.title,
            "serial": certificate.serial,
        }
    return services.record_entry(
        staff=staff,
        kind="certificate_gained",
        source=certificate,
        occurred_at=certificate.created_at or timezone.now(),
        summary=summary,
    )


def on_certificate_revoked(sender, certificate, **kwargs):
    """Revoked by a person: it counts against the holder. Revoked by the system (issued in
    error, a regrade that failed the attempt): the gain is reversed, nothing is held against
    the holder."""
    if certificate.revoked_by_id is None:
        with platform_language():
            reason = _("The certificate was revoked: %(reason)s") % {
                "reason": certificate.revocation_reason
            }
        services.reverse_live_entries(
            user_id=certificate.holder_id,
            source=certificate,
            kinds=["certificate_gained"],
            reason=reason,
        )
        return None
    staff = _membership(certificate.holder_id, certificate.organisation_id)
    if staff is None:
        return None
    with platform_language():
        summary = _("The certificate “%(title)s” (No. %(serial)s) was revoked: %(reason)s") % {
            "title": certificate.title,
            "serial": certificate.serial,
            "reason": certificate.revocation_reason,
        }
    return services.record_entry(
        staff=staff,
        kind="certificate_revoked",
        source=certificate,
        occurred_at=certificate.revoked_at or timezone.now(),
        summary=summary,
    )


def on_duty_logged(sender, entry, **kwargs):
    """A duty in the compliance staff member's log (lms.duties) counts in their ledger. A stored
    policy made before duties counted gives them no points: the entry is kept at 0 points, so
    the diligence stays visible, until a new policy version gives the kind its points."""
    with platform_language():
        summary = _("Recorded a duty: %(type)s on %(date)s") % {
            "type": entry.get_kind_display(),
            "date": entry.occurred_on.isoformat(),
        }
    occurred_at = timezone.make_aware(
        datetime.combine(entry.occurred_on, time(12)), timezone.get_default_timezone()
    )
    arguments = {
        "staff": entry.author,
        "kind": "duty_logged",
        "source": entry,
        "occurred_at": occurred_at,
        "summary": summary,
    }
    try:
        return services.record_entry(**arguments)
    except PolicyError:
        return services.record_entry(**arguments, rules={"points": {"duty_logged": "0"}})


SPOT_CHECK_KINDS = {
    "passed": "spotcheck_passed",
    "failed": "spotcheck_failed",
    "no_show": "spotcheck_absent",
}


def on_drawn_person_outcome(sender, person, **kwargs):
    kind = SPOT_CHECK_KINDS.get(person.outcome)
    if kind is None:
        return None
    campaign = person.campaign
    with platform_language():
        template = {
            "spotcheck_passed": _("Passed the spot check “%(campaign)s”"),
            "spotcheck_failed": _("Failed the spot check “%(campaign)s”"),
            "spotcheck_absent": _("Did not sit the spot check “%(campaign)s”"),
        }[kind]
        summary = template % {"campaign": campaign.title}
    return services.record_entry(
        staff=person.staff,
        kind=kind,
        source=person,
        occurred_at=person.finished_at or campaign.closed_at or timezone.now(),
        summary=summary,
    )


def on_commitment_signed(sender, signature, **kwargs):
    """A commitment letter signed: one entry, on the day it was signed."""
    with platform_language():
        summary = _("Signed the commitment letter “%(title)s”") % {
            "title": signature.campaign.template.title
        }
    return services.record_entry(
        staff=signature.staff,
        kind="commitment",
        source=signature,
        occurred_at=signature.signed_at or timezone.now(),
        summary=summary,
    )
