"""The group's pages: staffing coverage and the read-only roll-up of subsidiaries. Thin: parse,
call selectors, render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from lms.navigation import group_panels
from lms.params import chosen_or_first

from . import coverage, selectors
from .access import access_for


def may_read_coverage(user) -> bool:
    access = access_for(user)
    return bool(access.is_platform_admin or access.admin_org_ids)


def may_read_group(user) -> bool:
    return access_for(user).is_group_reader


@login_required
def coverage_report(request):
    if not may_read_coverage(request.user):
        raise PermissionDenied
    organisations = selectors.group_organisations_for(request.user)
    chosen = request.GET.get("org")
    # Unless another is chosen, the user's own organisation first (the root of their group).
    own = organisations.filter(pk__in=access_for(request.user).admin_org_ids).first()
    organisation = chosen_or_first(organisations, chosen) if chosen or own is None else own
    today = timezone.localdate()
    report = (
        selectors.coverage_of(request.user, organisation=organisation) if organisation else None
    )
    return render(
        request,
        "organisations/coverage.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "report": report,
            "targets": coverage.TARGETS,
            "target_now": coverage.target_due(today),
            "on_track": report is not None and coverage.on_track(report.posts.percent, today),
        },
    )


@login_required
def group(request):
    if not may_read_group(request.user):
        raise PermissionDenied
    rows = []
    for subsidiary in selectors.subsidiaries_readable_by(request.user).select_related("parent"):
        rows.append(
            {
                "organisation": subsidiary,
                "coverage": selectors.coverage_of(request.user, organisation=subsidiary),
            }
        )
    return render(request, "organisations/group.html", {"rows": rows})


@login_required
def group_subsidiary(request, organisation_id: int):
    subsidiary = selectors.group_subsidiary_for(request.user, organisation_id=organisation_id)
    if subsidiary is None:
        raise Http404
    return render(
        request,
        "organisations/group_subsidiary.html",
        {
            "organisation": subsidiary,
            "coverage": selectors.coverage_of(request.user, organisation=subsidiary),
            "targets": coverage.TARGETS,
            "panels": group_panels(request, subsidiary),
        },
    )
