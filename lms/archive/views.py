"""合规档案 pages: a person's file (page and PDF), and the inspection archives of an organisation
(request, progress, download, retry). Thin: parse, call one service or selector, render."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.params import whole_number

from . import gather, selectors, services


def _staff_or_404(request, staff_id: int):
    member = selectors.person_file_staff(request.user, staff_id=staff_id)
    if member is None:
        raise Http404
    return member


@login_required
@require_GET
def mine(request):
    memberships = list(selectors.my_memberships(request.user))
    if len(memberships) == 1:
        return redirect("archive:person", staff_id=memberships[0].pk)
    return render(request, "archive/mine.html", {"memberships": memberships})


@login_required
@require_GET
def person(request, staff_id: int):
    member = _staff_or_404(request, staff_id)
    file = gather.person_files([member])[0]
    return render(
        request,
        "archive/person.html",
        {"file": file, "own": member.user_id == request.user.pk},
    )


@login_required
@require_GET
def person_pdf(request, staff_id: int):
    member = _staff_or_404(request, staff_id)
    response = HttpResponse(
        services.person_file_pdf(actor=request.user, staff=member), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="compliance-file-{member.pk}.pdf"'
    return response


def _date(value) -> date | None:
    try:
        return date.fromisoformat(value or "")
    except ValueError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def inspections(request):
    organisations = list(selectors.archive_organisations_for(request.user))
    if not organisations:
        raise Http404
    errors: dict = {}
    today = timezone.localdate()
    if request.method == "POST":
        organisation_id = whole_number(request.POST.get("organisation"))
        if organisation_id is None:
            raise Http404
        try:
            archive = services.archive_request(
                actor=request.user,
                organisation_id=organisation_id,
                start=_date(request.POST.get("start")),
                end=_date(request.POST.get("end")),
                language=translation.get_language() or "",
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("The archive is being built."))
            return redirect("archive:archive", archive_id=archive.pk)
    return render(
        request,
        "archive/inspections.html",
        {
            "organisations": organisations,
            "archives": selectors.archives_visible_to(request.user)[:50],
            "errors": errors,
            "data": request.POST,
            "default_start": date(today.year, 1, 1).isoformat(),
            "default_end": today.isoformat(),
        },
        status=400 if errors else 200,
    )


def _archive_or_404(request, archive_id: int):
    archive = selectors.archives_visible_to(request.user).filter(pk=archive_id).first()
    if archive is None:
        raise Http404
    return archive


@login_required
@require_GET
def archive(request, archive_id: int):
    found = _archive_or_404(request, archive_id)
    return render(
        request,
        "archive/archive.html",
        {"archive": found, "progress": selectors.archive_progress(archive=found)},
    )


@login_required
@require_GET
def archive_status(request, archive_id: int):
    found = _archive_or_404(request, archive_id)
    return JsonResponse(selectors.archive_progress(archive=found))


@login_required
@require_GET
def archive_download(request, archive_id: int):
    found = _archive_or_404(request, archive_id)
    if not found.ready:
        raise Http404
    services.archive_downloaded(actor=request.user, archive=found)
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=f"inspection-archive-{found.organisation_id}-{found.start:%Y%m%d}-{found.end:%Y%m%d}.zip",
        content_type="application/zip",
    )


@login_required
@require_POST
def archive_retry(request, archive_id: int):
    try:
        found = services.archive_retry(actor=request.user, archive_id=archive_id)
    except PermissionDenied as exc:
        raise Http404 from exc
    return redirect("archive:archive", archive_id=found.pk)
