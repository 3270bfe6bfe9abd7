"""The events of the lower apps, turned into webhook deliveries.

Each receiver runs after the event's transaction committed (the apps send these signals on
commit) and never raises: a webhook problem is logged, the event stands."""

import functools
import logging

from assessments.signals import attempt_finalised
from certificates.signals import certificate_issued, certificate_revoked
from lms.learning.signals import enrolment_completed
from lms.records.signals import violation_confirmed, year_closed

from . import events, services

logger = logging.getLogger(__name__)


def _never_raises(receiver):
    @functools.wraps(receiver)
    def wrapped(*args, **kwargs):
        try:
            receiver(*args, **kwargs)
        except Exception:
            logger.exception("webhooks: %s could not queue its deliveries", receiver.__name__)

    return wrapped


def _person(user, employee_number: str | None = None) -> dict:
    return {"user_id": user.pk, "email": user.email, "employee_number": employee_number}


def _employee_number(user, organisation_id: int) -> str | None:
    for membership in user.memberships.all():
        if membership.organisation_id == organisation_id:
            return membership.employee_number
    return None


@_never_raises
def on_attempt_finalised(sender, attempt, **kwargs):
    organisation_id = attempt.exam.organisation_id
    services.webhook_event_emit(
        organisation_id=organisation_id,
        event=events.EXAM_FINALISED,
        data={
            "result_id": attempt.pk,
            "exam_id": attempt.exam_id,
            "exam_title": attempt.exam.title,
            "exam_kind": attempt.exam.kind,
            "attempt_number": attempt.number,
            "person": _person(attempt.user, _employee_number(attempt.user, organisation_id)),
            "score": attempt.score,
            "max_score": attempt.max_score,
            "percent": attempt.percent,
            "passed": attempt.passed,
            "graded_at": attempt.graded_at,
        },
    )


def _certificate_data(certificate) -> dict:
    return {
        "certificate_id": certificate.pk,
        "serial": certificate.serial,
        "kind": certificate.kind,
        "title": certificate.title,
        "person": _person(
            certificate.holder, _employee_number(certificate.holder, certificate.organisation_id)
        ),
        "issued_on": certificate.issued_on,
        "expires_on": certificate.expires_on,
        "status": certificate.status,
        "revoked_at": certificate.revoked_at,
    }


@_never_raises
def on_certificate_issued(sender, certificate, **kwargs):
    services.webhook_event_emit(
        organisation_id=certificate.organisation_id,
        event=events.CERTIFICATE_ISSUED,
        data=_certificate_data(certificate),
    )


@_never_raises
def on_certificate_revoked(sender, certificate, **kwargs):
    data = _certificate_data(certificate)
    data["reason"] = certificate.revocation_reason
    services.webhook_event_emit(
        organisation_id=certificate.organisation_id,
        event=events.CERTIFICATE_REVOKED,
        data=data,
    )


@_never_raises
def on_enrolment_completed(sender, enrolment, **kwargs):
    staff = enrolment.staff
    services.webhook_event_emit(
        organisation_id=staff.organisation_id,
        event=events.COURSE_COMPLETED,
        data={
            "enrolment_id": enrolment.pk,
            "course_id": enrolment.course_id,
            "course_title": enrolment.course.title,
            "cycle": enrolment.cycle,
            "person": _person(enrolment.user, staff.employee_number),
            "completed_at": enrolment.completed_at,
        },
    )


@_never_raises
def on_violation_confirmed(sender, violation, **kwargs):
    staff = violation.staff
    services.webhook_event_emit(
        organisation_id=violation.organisation_id,
        event=events.VIOLATION_CONFIRMED,
        data={
            "violation_id": violation.pk,
            "person": _person(staff.user, staff.employee_number),
            "severity": violation.severity,
            "occurred_on": violation.occurred_on,
            "decided_at": violation.decided_at,
        },
    )


@_never_raises
def on_year_closed(sender, closed_year, **kwargs):
    services.webhook_event_emit(
        organisation_id=closed_year.organisation_id,
        event=events.YEAR_CLOSED,
        data={
            "year": closed_year.year,
            "closed_at": closed_year.closed_at,
            "appraisals": closed_year.appraisals.count(),
        },
    )


def connect() -> None:
    for signal, receiver in (
        (attempt_finalised, on_attempt_finalised),
        (certificate_issued, on_certificate_issued),
        (certificate_revoked, on_certificate_revoked),
        (enrolment_completed, on_enrolment_completed),
        (violation_confirmed, on_violation_confirmed),
        (year_closed, on_year_closed),
    ):
        signal.connect(receiver, dispatch_uid=f"integrations.{receiver.__name__}")
