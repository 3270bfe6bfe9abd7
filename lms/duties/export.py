"""A duty-log summary as an xlsx workbook; every text cell formula-safe (lms/spreadsheets.py)."""

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
