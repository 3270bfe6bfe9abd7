"""Who may read a compliance file, and the inspection archives a person may see.

A person's file is personal data: the person reads their own; an organisation's compliance
administrators read the files of people in their roster scope who rank below them
(`staff_changeable_by`: access.py's rule); a regulator reads aggregates only, never a file.
An inspection archive is the compliance head's (and the chief compliance officer's): the people
who read the organisation's audit log."""

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from lms.organisations.access import access_for
from lms.organisations.selectors import (
    memberships_of,
    organisations_visible_to,
    staff_changeable_by,
    staff_visible_to,
)
from lms.refusals import Refused

from .models import InspectionArchive


class FileRefused(Refused):
    """A regulator asked for a person's file: regulators see aggregates only."""

    status = 403


def person_file_staff(user, *, staff_id: int):
    """The membership whose file `user` may read, or None (not theirs to see: a 404). A
    regulator who could otherwise see the person is refused in words (403)."""
    access = access_for(user)
    own = Q(user_id=access.user_id) if access.user_id else Q(pk__in=[])
    member = (
        staff_visible_to(user)
        .filter(pk=staff_id)
        .filter(own | Q(pk__in=staff_changeable_by(user).values("pk")))
        .first()
    )
    if member is not None:
        return member
    if access.is_regulator and staff_visible_to(user).filter(pk=staff_id).exists():
        raise FileRefused(
            _(
                "A person's compliance file is personal data: a regulator sees the enterprise's "
                "figures, never one person's file."
            )
        )
    return None


def my_memberships(user) -> QuerySet:
    return memberships_of(user).select_related("user")


def archive_organisations_for(user):
    """Organisations whose inspection archive the user may build: those they head (compliance
    head or chief compliance officer); every enterprise for a platform administrator."""
    access = access_for(user)
    qs = organisations_visible_to(user).filter(kind="enterprise", is_active=True)
    if access.is_platform_admin:
        return qs.order_by("name")
    return qs.filter(pk__in=access.head_org_ids).order_by("name")


def may_build_archives(user) -> bool:
    return archive_organisations_for(user).exists()


def archives_visible_to(user) -> QuerySet[InspectionArchive]:
    return InspectionArchive.objects.filter(
        organisation__in=archive_organisations_for(user)
    ).select_related("organisation", "requested_by")


def archive_progress(*, archive: InspectionArchive) -> dict:
    return {
        "status": archive.status,
        "status_label": str(archive.get_status_display()),
        "done": archive.progress,
        "total": archive.total,
        "percent": archive.percent,
        "finished": archive.finished,
    }
