"""Turn the lower apps' events into certificates. Connected in apps.py.

They adapt an enrolment or an attempt to the generic `certificate_issue` and know nothing of
the other apps beyond the agreed field names (see /work/notes/contracts.md in the project).
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from . import selectors, services
from .models import Certificate


def issue_for_completed_enrolment(sender, enrolment, **kwargs) -> Certificate | None:
    """The certificate of the organisation the person completed the course for, by its own
    rule for the course; none if it has no rule."""
    template = selectors.template_for_course(
        course_page_id=enrolment.course_id, organisation_id=enrolment.staff.organisation_id
    )
    if template is None:
        return None
    completed_at = enrolment.completed_at or timezone.now()
    return services.certificate_issue(
        holder=enrolment.user,
        kind=Certificate.Kind.COURSE_COMPLETION,
        source=enrolment,
        template=template,
        title=enrolment.course.title,
        issued_on=timezone.localdate(completed_at),
    )


def issue_for_finalised_attempt(sender, attempt, **kwargs) -> Certificate | None:
    if not attempt.passed:
        _revoke_after_failing_regrade(attempt)
        return None
    exam = attempt.exam
    template = selectors.template_for_exam(
        exam_kind=exam.kind, organisation_id=exam.organisation_id
    )
    if template is None:
        return None
    kind = (
        Certificate.Kind.SPOT_CHECK_PASS
        if exam.kind == "spot_check"
        else Certificate.Kind.EXAM_QUALIFICATION
    )
    finished_at = attempt.submitted_at or timezone.now()
    return services.certificate_issue(
        holder=attempt.user,
        kind=kind,
        source=attempt,
        template=template,
        title=exam.title,
        score=attempt.percent,
        issued_on=timezone.localdate(finished_at),
    )


def _revoke_after_failing_regrade(attempt) -> None:
    from django.contrib.contenttypes.models import ContentType

    certificate = selectors.certificate_for_source(
        source_type_id=ContentType.objects.get_for_model(attempt).pk, source_id=attempt.pk
    )
    if certificate is None or certificate.status == Certificate.Status.REVOKED:
        return
    services.certificate_revoke(
        certificate=certificate,
        reason=_("The exam was regraded and this attempt no longer passes."),
        actor=None,
    )
