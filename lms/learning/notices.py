"""Learning's kinds of notice and how each is written (in the reader's language, on display).

Registered with lms.notifications from LearningConfig.ready(); the services send only the
kind and its params.
"""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lms.notifications import kinds

ASSIGNED = "assigned"
BEFORE_DUE = "before_due"
DUE = "due"
OVERDUE = "overdue"
ESCALATION = "escalation"
ROSTER = "roster"


def assigned(params: Mapping) -> tuple[str, str]:
    """params: courses: [{title, due (ISO date or null)}]"""
    courses = params["courses"]
    lines = []
    for course in courses:
        if course.get("due"):
            lines.append(
                _("“%(course)s”, due %(due)s") % {"course": course["title"], "due": course["due"]}
            )
        else:
            lines.append(_("“%(course)s”, no due date") % {"course": course["title"]})
    if len(courses) == 1:
        subject = _("New mandatory course: %(course)s") % {"course": courses[0]["title"]}
    else:
        subject = _("%(count)d new mandatory courses") % {"count": len(courses)}
    body = (
        _("These mandatory compliance courses have been assigned to you:")
        + "\n"
        + "\n".join(f"- {line}" for line in lines)
    )
    return subject, body


def before_due(params: Mapping) -> tuple[str, str]:
    """params: course, due (ISO date)"""
    return (
        _("Course due soon: %(course)s (due %(due)s)") % params,
        _("Please complete the mandatory course “%(course)s” by %(due)s.") % params,
    )


def due(params: Mapping) -> tuple[str, str]:
    """params: course, due (ISO date)"""
    return (
        _("Course due today: %(course)s") % params,
        _("Please complete the mandatory course “%(course)s” today (due %(due)s).") % params,
    )


def overdue(params: Mapping) -> tuple[str, str]:
    """params: course, due (ISO date, already past)"""
    return (
        _("Course overdue: %(course)s (was due %(due)s)") % params,
        _(
            "The mandatory course “%(course)s” was due on %(due)s and is not complete yet. "
            "Please complete it as soon as you can."
        )
        % params,
    )


def escalation(params: Mapping) -> tuple[str, str]:
    """params: person, department, course, due (ISO date)"""
    return (
        _("Overdue: %(person)s has not completed %(course)s") % params,
        _(
            "%(person)s (%(department)s) has not completed the mandatory course "
            "“%(course)s”, due %(due)s. Please follow up."
        )
        % params,
    )


def roster(params: Mapping) -> tuple[str, str]:
    """params: failed, file, organisation, created, updated, unchanged, error"""
    if params["failed"]:
        return _("Roster import failed: %(file)s") % params, params["error"]
    return (
        _("Roster imported: %(file)s") % params,
        _("%(organisation)s: %(created)d new, %(updated)d updated, %(unchanged)d unchanged.")
        % params,
    )


def register() -> None:
    kinds.register(ASSIGNED, gettext_lazy("Newly assigned"), render=assigned)
    kinds.register(BEFORE_DUE, gettext_lazy("Due soon"), render=before_due)
    kinds.register(DUE, gettext_lazy("Due today"), render=due)
    kinds.register(OVERDUE, gettext_lazy("Overdue"), render=overdue, icon="⚠")
    kinds.register(ESCALATION, gettext_lazy("Escalation"), render=escalation, icon="⚠")
    kinds.register(ROSTER, gettext_lazy("Roster import"), render=roster)
