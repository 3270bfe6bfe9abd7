"""The self-inspection report's Word draft (《合规管理工作自查报告》, SASAC plan 三(二)): the
year's figures and tables filled in, the parts only the enterprise can write left to complete."""

from datetime import date

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from lms.word import WordDocument

from .scoring import percent


def _rate(part: int, whole: int) -> str:
    value = percent(part, whole)
    return "—" if value is None else f"{value}%"


def self_inspection_draft(
    *, organisation_name: str, year: int, due: date, figures: dict, dispatch
) -> bytes:
    """`due`: when the report is due (selectors.due_dates);
    `figures`: the enterprise's figures for the year (selectors.figures_compute);
    `dispatch`: quarters with a dispatch meeting, or None when not available."""
    f = {key: int(value or 0) for key, value in figures.items()}
    doc = WordDocument(
        _("Compliance management self-inspection report %(year)s") % {"year": year},
        subtitle=_("%(organisation)s · draft to complete, due %(due)s")
        % {"organisation": organisation_name, "due": due.isoformat()},
    )
    doc.paragraph(
        _(
            "The figures below were filled in by the platform from the year's records. Check "
            "them, complete the parts left blank, then upload the final report (PDF or Word) "
            "and submit it to the regulator."
        )
    )
    doc.heading(_("1. Compliance organisation and staffing"))
    doc.table(
        [_("Item"), pgettext("count", "Number")],
        [
            [_("Active staff"), f["staff"]],
            [_("Chief compliance officers in post"), f["cco"]],
            [_("Compliance heads in post"), f["head"]],
            [_("Full-time compliance administrators"), f["admin_full"]],
            [_("Part-time compliance administrators"), f["admin_part"]],
            [_("Departments"), f["departments"]],
            [_("Departments with a part-time administrator"), f["departments_covered"]],
        ],
    )
    doc.heading(_("2. Compliance training and the annual exam"))
    doc.table(
        [_("Item"), pgettext("count", "Number"), _("Rate")],
        [
            [
                _("Mandatory courses due this year"),
                f["training_total"],
                "",
            ],
            [
                _("Completed"),
                f["training_completed"],
                _rate(f["training_completed"], f["training_total"]),
            ],
            [_("Overdue"), f["training_overdue"], ""],
            [_("People who sat the annual exam"), f["exam_sat"], ""],
            [_("Passed"), f["exam_passed"], _rate(f["exam_passed"], f["exam_sat"])],
        ],
    )
    doc.heading(_("3. Violations, commendations and penalties"))
    doc.table(
        [_("Item"), pgettext("count", "Number")],
        [
            [_("Violations confirmed: general"), f["violations_general"]],
            [_("Violations confirmed: major"), f["violations_major"]],
            [_("Violations confirmed: serious"), f["violations_serious"]],
            [_("Violations confirmed: very serious"), f["violations_very_serious"]],
            [_("Violations still being handled"), f["violations_open"]],
            [_("Commendations"), f["commendations"]],
            [_("Penalties"), f["penalties"]],
        ],
    )
    doc.heading(_("4. Regulators' spot checks and rectification"))
    doc.table(
        [_("Item"), pgettext("count", "Number")],
        [
            [_("Spot checks"), f["spot_drawn"]],
            [_("Met the requirements"), f["spot_passed"]],
            [_("Fell short"), f["spot_failed"]],
            [_("Rectifications ordered"), f["rect_total"]],
            [_("Rectifications accepted"), f["rect_accepted"]],
            [_("Rectifications overdue"), f["rect_overdue"]],
        ],
    )
    doc.heading(_("5. Quarterly compliance dispatch"))
    if dispatch is None:
        doc.paragraph(_("Not available on the platform yet: state the meetings held."))
    else:
        doc.paragraph(_("Quarters with a dispatch meeting recorded: %(n)d of 4.") % {"n": dispatch})
    doc.heading(_("6. What the self-inspection covered"))
    doc.blank_lines(
        _("Rules and their implementation, key business areas, overseas operations (to complete):")
    )
    doc.heading(_("7. Problems found and their causes"))
    doc.blank_lines(_("To complete:"))
    doc.heading(_("8. Rectification measures and deadlines"))
    doc.blank_lines(_("To complete:"))
    doc.heading(_("9. Next year's work plan"))
    doc.blank_lines(_("To complete:"))
    return doc.to_bytes()
