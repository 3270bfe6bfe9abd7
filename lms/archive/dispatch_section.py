"""The inspection archive's dispatch minutes (合规管理调度, guidance 四(十)): every dispatch
meeting held in the archive's range, as one Word document, from `lms.dispatch`'s selector."""

from django.utils.translation import gettext as _

from lms.dispatch import selectors as dispatch_selectors
from lms.word import WordDocument


def dispatch_minutes(organisation, start, end) -> list[tuple[str, bytes]]:
    meetings = []
    for year in range(start.year, end.year + 1):
        held = dispatch_selectors.dispatch_quarters_held(
            organisation_ids=[organisation.pk], year=year, with_minutes=True
        )
        for quarter, items in sorted(held.get(organisation.pk, {}).items()):
            for meeting in items:
                if start <= meeting["held_on"] <= end:
                    meetings.append((year, quarter, meeting))
    if not meetings:
        return []
    doc = WordDocument(_("Quarterly dispatch minutes"), subtitle=organisation.name)
    for year, quarter, meeting in meetings:
        doc.heading(
            _("%(year)s Q%(quarter)s — meeting of %(date)s")
            % {"year": year, "quarter": quarter, "date": meeting["held_on"].isoformat()}
        )
        attendees = "、".join(a["name"] for a in meeting.get("attendees", []))
        doc.paragraph(_("Attendees: %(names)s") % {"names": attendees})
        doc.paragraph(_("Minutes"), bold=True)
        doc.paragraph(meeting.get("minutes", ""))
        doc.paragraph(_("Decisions"), bold=True)
        doc.paragraph(meeting.get("decisions", ""))
        doc.paragraph(_("Next quarter's priorities"), bold=True)
        doc.paragraph(meeting.get("priorities", ""))
    name = _("Quarterly dispatch minutes %(start)s to %(end)s") % {
        "start": start.isoformat(),
        "end": end.isoformat(),
    }
    return [(f"{name}.docx", doc.to_bytes())]
