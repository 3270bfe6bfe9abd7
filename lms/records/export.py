"""A year's appraisal for HR, as rows: the same in xlsx and CSV, every text cell formula-safe."""

import csv
from io import BytesIO, StringIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms.spreadsheets import safe_text

from .kinds import Category, Severity


def appraisal_rows(result) -> tuple[list[str], list[list]]:
    categories = Category.choices
    severities = Severity.choices
    headers = [
        _("Employee number"),
        pgettext("person", "Name"),
        _("Department"),
        _("Position"),
        _("Year"),
        _("Score"),
        _("Grade"),
        *[str(label) for _value, label in categories],
        *[_("Violations: %(severity)s") % {"severity": label} for _value, label in severities],
    ]
    rows = []
    for department in result.departments:
        for person in department.people:
            staff, appraisal = person.staff, person.appraisal
            rows.append(
                [
                    safe_text(staff.employee_number),
                    safe_text(staff.user.full_name or staff.user.email),
                    safe_text(department.name),
                    safe_text(staff.position.name if staff.position_id else ""),
                    result.year,
                    float(appraisal.score),
                    safe_text(person.grade_label),
                    *[float(appraisal.by_category.get(value, 0)) for value, _label in categories],
                    *[appraisal.violations_by_severity.get(value, 0) for value, _l in severities],
                ]
            )
    return headers, rows


def as_csv(headers, rows) -> bytes:
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    writer.writerows(rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel reads it as UTF-8


def as_xlsx(headers, rows, *, title: str) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
