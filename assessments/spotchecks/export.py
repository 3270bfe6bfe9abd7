"""Campaign results as an xlsx workbook: public (no personal data) or for the regulator."""

from io import BytesIO

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from lms.organisations import regions
from lms.spreadsheets import safe_text

from .models import Campaign, DrawnPerson


def results_workbook(*, campaign: Campaign, results, with_people: bool) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Results")[:31]
    sheet.append(
        [
            _("Enterprise"),
            _("Unified social credit code"),
            _("Sector"),
            _("Region code"),
            pgettext("administrative division", "Region"),
            _("Passed"),
            _("Drawn"),
            _("Verdict"),
            _("Rectification"),
        ]
    )
    for row in results:
        # a missing one-to-one raises an AttributeError subclass, so getattr's default applies
        rectification = getattr(row, "rectification", None)
        sheet.append(
            [
                safe_text(row.enterprise.name),
                row.enterprise.credit_code,
                safe_text(row.enterprise.get_sector_display()),
                row.enterprise.region_code,
                regions.name_of(row.enterprise.region_code),
                row.passed_count,
                row.drawn_count,
                safe_text(row.get_verdict_display()),
                safe_text(rectification.get_status_display() if rectification else "—"),
            ]
        )
    if with_people:
        people = book.create_sheet(_("People")[:31])
        people.append(
            [
                _("Enterprise"),
                pgettext("person", "Name"),
                _("Employee number"),
                _("Role"),
                _("Score (%)"),
                _("Outcome"),
            ]
        )
        for person in (
            DrawnPerson.objects.filter(campaign=campaign)
            .select_related("drawn_enterprise__enterprise", "user", "staff")
            .order_by("drawn_enterprise__enterprise__name", "role", "pk")
        ):
            people.append(
                [
                    safe_text(person.drawn_enterprise.enterprise.name),
                    safe_text(person.user.full_name),
                    safe_text(person.staff.employee_number),
                    safe_text(person.get_role_display()),
                    float(person.percent) if person.percent is not None else None,
                    safe_text(person.get_outcome_display()),
                ]
            )
    record = book.create_sheet(_("Draw record")[:31])
    draw = getattr(campaign, "draw", None)
    if draw is not None:
        for label, value in (
            (_("Algorithm"), draw.algorithm),
            (_("Seed hash (SHA-256)"), draw.seed_hash),
            (_("Committed at"), draw.committed_at.isoformat()),
            (_("Seed"), draw.seed if draw.is_revealed else ""),
            (_("Population hash (SHA-256)"), draw.population_hash),
            (_("Enterprises in scope"), draw.population_size),
        ):
            record.append([label, value])
    out = BytesIO()
    book.save(out)
    return out.getvalue()
