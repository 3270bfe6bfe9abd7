"""我的合规档案 and the administrator's 合规考核 pages. Thin: parse, call selectors, render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from lms.organisations.access import access_for

from . import selectors


def _year(request) -> int:
    value = request.GET.get("year", "")
    this_year = timezone.localdate().year
    if not value:
        return this_year
    if not value.isdigit() or not 2000 <= int(value) <= this_year + 1:
        raise Http404
    return int(value)


@login_required
def my_record(request):
    year = _year(request)
    return render(
        request,
        "records/my_record.html",
        {
            "year": year,
            "years": selectors.years_of(request.user),
            "records": selectors.my_record(request.user, year=year),
        },
    )


def _organisation(request):
    if not access_for(request.user).is_admin:
        raise PermissionDenied
    organisations = selectors.appraisal_organisations_for(request.user)
    chosen = request.GET.get("org")
    if chosen:
        organisation = organisations.filter(pk=chosen).first() if chosen.isdigit() else None
        if organisation is None:
            raise Http404
    else:
        organisation = organisations.first()
    return organisation, organisations


@login_required
def appraisal(request):
    organisation, organisations = _organisation(request)
    year = _year(request)
    this_year = timezone.localdate().year
    context = {
        "organisation": organisation,
        "organisations": organisations,
        "year": year,
        "years": list(range(this_year, this_year - 5, -1)),
    }
    if organisation is not None:
        context["result"] = selectors.organisation_appraisal(
            request.user, organisation=organisation, year=year
        )
    return render(request, "records/appraisal.html", context)


@login_required
def person(request, staff_id: int):
    if not access_for(request.user).is_admin:
        raise PermissionDenied
    year = _year(request)
    record = selectors.person_record_for_admin(request.user, staff_id=staff_id, year=year)
    if record is None:
        raise Http404
    return render(request, "records/person.html", {"record": record, "year": year})
