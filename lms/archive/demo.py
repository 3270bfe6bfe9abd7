"""A demo inspection archive at 城投集团 (head@chengtou.demo), ready to download: this year so far.
Safe to run again: an organisation with an archive ready keeps it."""

import datetime

from django.utils import timezone

from lms.organisations.models import Staff

from . import services
from .models import InspectionArchive


def seed(*, stdout=None) -> None:
    head = (
        Staff.objects.filter(user__email="head@chengtou.demo")
        .select_related("user", "organisation")
        .first()
    )
    if head is None:
        return
    organisation = head.organisation
    if InspectionArchive.objects.filter(
        organisation=organisation, status=InspectionArchive.Status.DONE
    ).exists():
        return
    today = timezone.localdate()
    archive = InspectionArchive.objects.create(
        organisation=organisation,
        start=datetime.date(today.year, 1, 1),
        end=today,
        requested_by=head.user,
        language="zh-hans",
    )
    services.archive_build_here(archive_id=archive.pk)
    if stdout is not None:
        archive.refresh_from_db()
        stdout.write(f"  inspection archive of {organisation.name}: {archive.get_status_display()}")
