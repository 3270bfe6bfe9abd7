"""A duty-log summary as an xlsx workbook (every text cell formula-safe, lms/spreadsheets.py) or
as a Word document (lms/word.py) for the head and the principal to file."""

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms.spreadsheets import safe_text


def summary_workbook(result: dict, *, title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = safe_text(title)[:31]
    sheet.append(
        [
            pgettext("person", "Name"),
            _("Department"),
            *[str(label) for _value, label in result["kinds"]],
            _("Total"),
        ]
    )
    for person in result["people"]:
        staff = person["staff"]
        sheet.append(
            [
                safe_text(staff.user.full_name or staff.user.email),
                safe_text(staff.department.name if staff.department_id else ""),
                *person["counts"],
                person["total"],
            ]
        )
    sheet.append([_("Total"), "", *result["totals"], result["total"]])
    entries = workbook.create_sheet(safe_text(_("Entries"))[:31])
    entries.append(
        [
            _("Date"),
            pgettext("person", "Name"),
            _("Type"),
            _("Department"),
            _("Description"),
            _("Written opinion or findings"),
        ]
    )
    for entry in result["entries"]:
        entries.append(
            [
                entry.occurred_on.isoformat(),
                safe_text(entry.author.user.full_name or entry.author.user.email),
                safe_text(entry.get_kind_display()),
                safe_text(entry.department.name if entry.department_id else ""),
                safe_text(entry.description),
                safe_text(_("Zero-risk report") if entry.zero_risk else entry.opinion),
            ]
        )
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()


def summary_document(result: dict, *, organisation_name: str, title: str) -> bytes:
    """The summary as a Word document: the counts per person and type, then every entry."""
    from lms.word import WordDocument

    doc = WordDocument(
        _("Duty log summary %(period)s") % {"period": title}, subtitle=organisation_name
    )
    doc.heading(_("Duties per person and type"))
    kinds = [str(label) for _value, label in result["kinds"]]
    doc.table(
        [pgettext("person", "Name"), _("Department"), *kinds, _("Total")],
        [
            [
                person["staff"].user.full_name or person["staff"].user.email,
                person["staff"].department.name if person["staff"].department_id else "",
                *person["counts"],
                person["total"],
            ]
            for person in result["people"]
        ]
        + [[_("Total"), "", *result["totals"], result["total"]]],
    )
    if result["silent"]:
        doc.heading(_("Part-time administrators who recorded nothing"), level=2)
        doc.bullets(
            f"{staff.user.full_name or staff.user.email} · "
            f"{staff.department.name if staff.department_id else '—'}"
            for staff in result["silent"]
        )
    doc.heading(_("Entries"))
    if not result["entries"]:
        doc.paragraph(_("No duties recorded in this period."))
    for entry in result["entries"]:
        doc.paragraph(
            f"{entry.occurred_on.isoformat()} · {entry.get_kind_display()} · "
            f"{entry.author.user.full_name or entry.author.user.email}"
            + (f" · {entry.department.name}" if entry.department_id else ""),
            bold=True,
        )
        doc.paragraph(entry.description)
        if entry.zero_risk:
            doc.paragraph(_("Zero-risk report"))
        elif entry.opinion:
            doc.paragraph(_("Written opinion or findings") + ": " + entry.opinion)
    return doc.to_bytes()
