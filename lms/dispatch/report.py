"""The quarter's compliance report as a Word document (lms/word.py): the figures the platform
gathered, the meetings recorded, and blank parts for the principal's instructions."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms.word import WordDocument


def report_title(report: dict) -> str:
    return _("Compliance management report, %(quarter)s") % {"quarter": report["quarter"].label}


def report_filename(report: dict) -> str:
    return f"{_('compliance-dispatch')}-{report['quarter'].code}.docx"


def report_document(report: dict) -> bytes:
    organisation, quarter = report["organisation"], report["quarter"]
    doc = WordDocument(
        report_title(report),
        subtitle=_("%(organisation)s · %(start)s to %(end)s · figures as of %(as_of)s")
        % {
            "organisation": organisation.name,
            "start": quarter.start,
            "end": quarter.end,
            "as_of": report["as_of"],
        },
    )
    training = report["training"]
    doc.heading(_("1. Training"))
    doc.table(
        [_("Mandatory courses assigned"), _("Completed"), _("Overdue")],
        [[training["assigned"], training["completed"], training["overdue"]]],
    )
    exams = report["exams"]
    doc.heading(_("2. Exams"))
    doc.table(
        [
            pgettext("exams", "Sat"),
            pgettext("exam result", "Passed"),
            pgettext("exam result", "Failed"),
        ],
        [[exams["sat"], exams["passed"], exams["failed"]]],
    )
    doc.heading(_("3. Violations"))
    doc.table(
        [_("Severity"), _("Reported"), _("Confirmed"), _("Still open")],
        [[v["label"], v["reported"], v["confirmed"], v["open"]] for v in report["violations"]],
    )
    awards = report["awards"]
    doc.heading(_("4. Commendations and penalties"))
    doc.paragraph(
        _("%(commendations)d commendations, %(penalties)d penalties.")
        % {"commendations": awards["commendations"], "penalties": awards["penalties"]}
    )
    if awards["kinds"]:
        doc.table(
            [_("Kind"), pgettext("count", "Number")],
            [[k["label"], k["count"]] for k in awards["kinds"]],
        )
    spot = report["spot_checks"]
    doc.heading(_("5. Spot checks and rectifications"))
    if spot["checks"]:
        doc.table(
            [
                _("Campaign"),
                _("Regulator"),
                _("Drawn"),
                pgettext("exam result", "Passed"),
                _("Verdict"),
            ],
            [
                [c["campaign"], c["regulator"], c["drawn"], c["passed"], c["verdict"]]
                for c in spot["checks"]
            ],
        )
    else:
        doc.paragraph(_("No spot check in this quarter."))
    doc.paragraph(
        _("Rectifications: %(issued)d issued, %(accepted)d accepted, %(open)d still open.")
        % {
            "issued": spot["rectifications_issued"],
            "accepted": spot["rectifications_accepted"],
            "open": spot["rectifications_open"],
        }
    )
    doc.heading(_("6. Compliance staff in post"))
    doc.table(
        [pgettext("person", "Name"), _("Position"), _("Compliance role"), _("Department")],
        [
            [
                s.user.full_name or s.user.email,
                s.position.name,
                s.position.get_compliance_role_display(),
                s.department.name if s.department_id else "",
            ]
            for s in report["staffing"]
        ],
    )
    duties = report["duties"]
    doc.heading(_("7. Duty log"))
    doc.table(
        [*[str(label) for _value, label in duties["kinds"]], _("Total")],
        [[*duties["totals"], duties["total"]]],
    )
    zero_risk = [e for e in duties["entries"] if e.zero_risk]
    opinions = [e for e in duties["entries"] if e.opinion]
    if zero_risk or opinions:
        doc.bullets(
            [
                f"{e.occurred_on} {e.get_kind_display()}: "
                + (_("Zero-risk report") if e.zero_risk else e.opinion)
                for e in [*zero_risk, *opinions]
            ]
        )
    doc.heading(_("8. Dispatch meetings"))
    if not report["meetings"]:
        doc.paragraph(_("No dispatch meeting recorded for this quarter yet."))
    for meeting, attendees in report["meetings"]:
        doc.heading(_("Meeting of %(date)s") % {"date": meeting.held_on}, level=2)
        doc.paragraph(
            _("Attendees: %(names)s")
            % {
                "names": pgettext("list separator", ", ").join(
                    s.user.full_name or s.user.email for s in attendees
                )
            }
        )
        doc.paragraph(_("Minutes"), bold=True)
        doc.paragraph(meeting.minutes)
        doc.paragraph(_("Decisions"), bold=True)
        doc.paragraph(meeting.decisions)
        doc.paragraph(_("Next quarter's priorities"), bold=True)
        doc.paragraph(meeting.priorities)
    if not report["meetings"]:
        doc.blank_lines(_("The principal's instructions:"))
        doc.blank_lines(_("Next quarter's priorities:"))
    return doc.to_bytes()
