"""A person's compliance file (合规档案), gathered through each app's selectors.

The file is a list of sections (positions and appointments, training, exams, certificates,
commitment letters, violations, commendations and penalties, appraisals), each a table already
in words: the page, the PDF and the inspection archive's index print the same thing. Gathered for
many people at once in a fixed number of queries (one per section), so an archive of hundreds of
files costs what one costs; `start` and `end` (dates, inclusive) keep only what happened then.

The caller has checked who may read: these functions read whatever they are given.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessments.selectors import finished_attempts_of
from certificates.selectors import certificates_held_at
from lms.commitments.selectors import signed_letters_of_staff
from lms.display import EMPTY, number
from lms.learning.selectors import enrolments_of_staff
from lms.organisations.selectors import appointments_of_staff
from lms.records.selectors import appraisals_of_staff, awards_of_staff, violations_of_staff

from .evidence import ExamFact, appointment_evidence, in_range

PRE_APPOINTMENT = "pre_appointment"


@dataclass
class Section:
    key: str
    title: str
    headers: list[str]
    rows: list[list[str]] = field(default_factory=list)
    empty: str = ""


@dataclass
class PersonFile:
    staff: object
    name: str
    facts: list[tuple[str, str]]  # (label, value): who the person is
    sections: list[Section]
    start: datetime.date | None = None
    end: datetime.date | None = None

    @property
    def entries(self) -> int:
        return sum(len(s.rows) for s in self.sections)


def _day(value) -> str:
    if value is None:
        return EMPTY
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value)
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def _local(value):
    return timezone.localtime(value) if isinstance(value, datetime.datetime) else value


def _name(user) -> str:
    if user is None:
        return EMPTY
    return user.full_name or user.email


def person_files(
    staff_list, *, start: datetime.date | None = None, end: datetime.date | None = None
) -> list[PersonFile]:
    """The files of these memberships (with user, organisation, department and position
    loaded), in their order."""
    staff_list = list(staff_list)
    staff_ids = [s.pk for s in staff_list]

    def within(value) -> bool:
        return in_range(_local(value), start, end)

    by_staff: dict[str, dict[int, list]] = {
        key: defaultdict(list)
        for key in ("appointments", "enrolments", "letters", "violations", "awards", "appraisals")
    }
    for a in appointments_of_staff(staff_ids=staff_ids):
        by_staff["appointments"][a.staff_id].append(a)
    for e in enrolments_of_staff(staff_ids=staff_ids):
        by_staff["enrolments"][e.staff_id].append(e)
    for s in signed_letters_of_staff(staff_ids=staff_ids):
        by_staff["letters"][s.staff_id].append(s)
    for v in violations_of_staff(staff_ids=staff_ids):
        by_staff["violations"][v.staff_id].append(v)
    for w in awards_of_staff(staff_ids=staff_ids):
        by_staff["awards"][w.staff_id].append(w)
    for p in appraisals_of_staff(staff_ids=staff_ids):
        by_staff["appraisals"][p.staff_id].append(p)

    attempts: dict[tuple[int, int], list] = defaultdict(list)
    certificates: dict[tuple[int, int], list] = defaultdict(list)
    users_by_org: dict[int, set[int]] = defaultdict(set)
    for s in staff_list:
        users_by_org[s.organisation_id].add(s.user_id)
    for organisation_id, user_ids in users_by_org.items():
        for attempt in finished_attempts_of(user_ids=user_ids, organisation_id=organisation_id):
            attempts[(organisation_id, attempt.user_id)].append(attempt)
        for cert in certificates_held_at(user_ids=user_ids, organisation_id=organisation_id):
            certificates[(organisation_id, cert.holder_id)].append(cert)

    files = []
    for s in staff_list:
        own_attempts = attempts[(s.organisation_id, s.user_id)]
        sections = [
            _appointments(by_staff["appointments"][s.pk], own_attempts, within),
            _training(by_staff["enrolments"][s.pk], within),
            _exams(own_attempts, within),
            _certificates(certificates[(s.organisation_id, s.user_id)], within),
            _letters(by_staff["letters"][s.pk], within),
            _violations(by_staff["violations"][s.pk], within),
            _awards(by_staff["awards"][s.pk], within),
            _appraisals(by_staff["appraisals"][s.pk], start, end),
        ]
        files.append(
            PersonFile(
                staff=s,
                name=_name(s.user),
                facts=_facts(s),
                sections=sections,
                start=start,
                end=end,
            )
        )
    return files


def _facts(s) -> list[tuple[str, str]]:
    position = s.position if s.position_id else None
    return [
        (_("Organisation"), s.organisation.name),
        (_("Employee number"), s.employee_number),
        (_("Department"), s.department.name if s.department_id else EMPTY),
        (_("Position"), position.name if position else EMPTY),
        (
            _("Compliance role"),
            str(position.get_compliance_role_display()) if position else EMPTY,
        ),
        (_("Hire date"), _day(s.hire_date)),
        (_("Status"), str(s.get_status_display())),
    ]


def _exam_facts(attempts) -> list[ExamFact]:
    return [
        ExamFact(
            key=a.pk,
            pre_appointment=a.exam.kind == PRE_APPOINTMENT,
            passed=a.passed,
            submitted_at=a.submitted_at,
        )
        for a in attempts
    ]


def _appointments(appointments, attempts, within) -> Section:
    facts = _exam_facts(attempts)
    by_key = {a.pk: a for a in attempts}
    section = Section(
        "appointments",
        _("Positions and appointments"),
        [
            _("Position"),
            _("Compliance role"),
            _("Status"),
            _("Requested"),
            _("Decided"),
            _("Decided by"),
            _("Pre-appointment exam"),
        ],
        empty=_("No appointment."),
    )
    for a in appointments:
        if not (within(a.requested_at) or within(a.decided_at)):
            continue
        needs = a.position.needs_pre_appointment_exam
        evidence = appointment_evidence(facts, needs_exam=needs, decided_at=a.decided_at)
        if not needs:
            proof = _("Not needed")
        elif evidence is None:
            proof = _("No passed exam yet")
        else:
            attempt = by_key[evidence.key]
            proof = _("Passed %(exam)s on %(date)s (%(percent)s%%)") % {
                "exam": attempt.exam.title,
                "date": _day(attempt.submitted_at),
                "percent": number(attempt.percent),
            }
        section.rows.append(
            [
                a.position.name,
                str(a.position.get_compliance_role_display()),
                str(a.get_status_display()),
                _day(a.requested_at),
                _day(a.decided_at),
                _name(a.decided_by),
                proof,
            ]
        )
    return section


def _training(enrolments, within) -> Section:
    section = Section(
        "training",
        _("Training"),
        [_("Course"), _("Status"), _("Assigned"), _("Due"), _("Completed")],
        empty=_("No training."),
    )
    for e in enrolments:
        if not (within(e.assigned_at) or within(e.completed_at)):
            continue
        section.rows.append(
            [
                e.course.title,
                str(e.get_status_display()),
                _day(e.assigned_at),
                _day(e.due_on),
                _day(e.completed_at),
            ]
        )
    return section


def _exams(attempts, within) -> Section:
    section = Section(
        "exams",
        _("Exams"),
        [_("Exam"), _("Kind"), _("Attempt"), _("Submitted"), _("Score"), _("Result")],
        empty=_("No exam taken."),
    )
    for a in attempts:
        if not within(a.submitted_at or a.started_at):
            continue
        if a.passed is None:
            result = str(a.get_status_display())
        else:
            result = pgettext("exam result", "Passed") if a.passed else _("Not passed")
        section.rows.append(
            [
                a.exam.title,
                str(a.exam.get_kind_display()),
                str(a.number),
                _day(a.submitted_at),
                f"{number(a.percent)}%" if a.percent is not None else EMPTY,
                result,
            ]
        )
    return section


def _certificates(certificates, within) -> Section:
    section = Section(
        "certificates",
        _("Certificates"),
        [_("Certificate"), _("Serial number"), _("Issued"), _("Expires"), _("Status")],
        empty=_("No certificate."),
    )
    for c in certificates:
        if not within(c.issued_on):
            continue
        section.rows.append(
            [
                c.title,
                c.serial or EMPTY,
                _day(c.issued_on),
                _day(c.expires_on),
                str(c.get_status_display()),
            ]
        )
    return section


def _letters(signatures, within) -> Section:
    section = Section(
        "commitments",
        _("Commitment letters"),
        [_("Letter"), _("Signed"), _("Fingerprint (SHA-256)")],
        empty=_("No letter signed."),
    )
    for s in signatures:
        if not within(s.signed_at):
            continue
        section.rows.append(
            [s.campaign.template.title, _day(s.signed_at), s.text_sha256[:16] + "…"]
        )
    return section


def _violations(violations, within) -> Section:
    section = Section(
        "violations",
        _("Violations"),
        [_("Date"), _("Nature"), _("Severity"), _("Status"), _("Reasons for the decision")],
        empty=_("No violation."),
    )
    for v in violations:
        if not within(v.occurred_on):
            continue
        section.rows.append(
            [
                _day(v.occurred_on),
                v.nature.name if v.nature_id else EMPTY,
                str(v.get_severity_display()),
                str(v.get_status_display()),
                v.decision_reason or EMPTY,
            ]
        )
    return section


def _awards(awards, within) -> Section:
    section = Section(
        "awards",
        _("Commendations and penalties"),
        [_("Date"), _("Kind"), _("Reason"), _("Points")],
        empty=_("No commendation or penalty."),
    )
    for w in awards:
        if not within(w.decided_on):
            continue
        section.rows.append(
            [_day(w.decided_on), str(w.get_kind_display()), w.reason, number(w.points)]
        )
    return section


def _appraisals(appraisals, start, end) -> Section:
    section = Section(
        "appraisals",
        _("Yearly appraisals"),
        [_("Year"), _("Score"), _("Grade"), _("Version")],
        empty=_("No closed year yet."),
    )
    for p in sorted(appraisals, key=lambda p: p.closed_year.year):
        year = p.closed_year.year
        if start is not None and end is not None and not (start.year <= year <= end.year):
            continue
        section.rows.append(
            [str(year), number(p.score), str(p.get_grade_display()), str(p.version)]
        )
    return section
