"""The Wagtail admin's roster import and export: upload, preview (a dry run), confirm; export.

The preview runs within the request (a 10,000-row file is checked in about a second). The
confirmed import runs as a Celery task (roster/jobs.py): the browser goes to a progress page that
polls the job and shows its result; with Celery eager (dev, tests) the job is done by then.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from .. import selectors
from ..roster import jobs, uploads
from ..roster.exporting import CONTENT_TYPES, FORMATS, roster_export, roster_export_file_name
from ..roster.importing import roster_import
from ..roster.reading import CHINESE_HEADERS

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
URL_NAMESPACE = "roster"


def _roster_organisations(user):
    if not user.has_perm("organisations.add_staff"):
        raise PermissionDenied
    organisations = selectors.roster_organisations_for(user)
    if not organisations.exists():
        raise PermissionDenied
    return organisations


class RosterUploadForm(forms.Form):
    organisation = forms.ModelChoiceField(label=gettext_lazy("Organisation"), queryset=None)
    file = forms.FileField(
        label=gettext_lazy("Roster file"),
        help_text=gettext_lazy(
            "An .xlsx workbook or a .csv file (UTF-8 or GBK) whose first row names the columns."
        ),
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB: split it into smaller files.")
                % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


class RosterExportForm(forms.Form):
    organisation = forms.ModelChoiceField(label=gettext_lazy("Organisation"), queryset=None)
    format = forms.ChoiceField(choices=[(f, f) for f in FORMATS])

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if organisations.count() == 1:
            self.fields["organisation"].initial = organisations.first()


def _render_start(request, organisations, upload_form=None):
    return TemplateResponse(
        request,
        "organisations/roster/start.html",
        {
            "header_title": _("Import roster"),
            "form": upload_form or RosterUploadForm(organisations=organisations),
            "export_form": RosterExportForm(organisations=organisations),
            "columns": CHINESE_HEADERS.values(),
            "formats": list(FORMATS),
        },
    )


def roster_start(request):
    organisations = _roster_organisations(request.user)
    if request.method != "POST":
        return _render_start(request, organisations)
    form = RosterUploadForm(request.POST, request.FILES, organisations=organisations)
    if not form.is_valid():
        return _render_start(request, organisations, form)
    upload = form.cleaned_data["file"]
    token = uploads.upload_store(
        data=upload.read(),
        file_name=upload.name,
        user_id=request.user.pk,
        organisation_id=form.cleaned_data["organisation"].pk,
    )
    return redirect(f"{URL_NAMESPACE}:preview", token)


def roster_preview(request, token: str):
    """GET: what the file would do (a dry run). POST: queue its import and follow it."""
    organisations = _roster_organisations(request.user)
    job = selectors.roster_import_jobs_of(request.user).filter(token=token).first()
    if job is not None:  # already confirmed: a second click or a reload imports nothing more
        return redirect(f"{URL_NAMESPACE}:job", job.pk)
    upload = uploads.upload_load(token=token, user_id=request.user.pk)
    if upload is None:
        raise Http404
    organisation = get_object_or_404(organisations, pk=upload.organisation_id)
    if request.method == "POST":
        job = jobs.roster_import_job_start(
            organisation=organisation, upload=upload, actor=request.user, language=get_language()
        )
        return redirect(f"{URL_NAMESPACE}:job", job.pk)
    result = roster_import(
        organisation=organisation,
        data=upload.read(),
        file_name=upload.file_name,
        actor=request.user,
        dry_run=True,
    )
    if not result.ok:
        # Nothing can come of this file: the user uploads a corrected one.
        uploads.upload_discard(token=token)
    return TemplateResponse(
        request,
        "organisations/roster/preview.html",
        {
            "header_title": _("Import roster: check before importing"),
            "organisation": organisation,
            "result": result,
            "start_url": reverse(f"{URL_NAMESPACE}:start"),
        },
    )


def roster_job(request, job_id: int):
    """The progress of a confirmed import, then its result."""
    job = get_object_or_404(selectors.roster_import_jobs_of(request.user), pk=job_id)
    if job.status == job.Status.DONE:
        messages.success(
            request,
            _(
                "Roster imported into %(organisation)s: %(created)d created, %(updated)d updated, "
                "%(unchanged)d unchanged."
            )
            % {
                "organisation": job.organisation,
                "created": job.created,
                "updated": job.updated,
                "unchanged": job.unchanged,
            },
        )
    elif job.status == job.Status.FAILED:
        messages.error(
            request,
            _("The roster was not imported into %(organisation)s; nothing was saved.")
            % {"organisation": job.organisation},
        )
    return TemplateResponse(
        request,
        "organisations/roster/job.html",
        {
            "header_title": _("Import roster: progress"),
            "job": job,
            "progress": selectors.roster_import_job_progress(job=job),
            "start_url": reverse(f"{URL_NAMESPACE}:start"),
        },
    )


@require_GET
def roster_job_progress(request, job_id: int):
    job = get_object_or_404(selectors.roster_import_jobs_of(request.user), pk=job_id)
    return JsonResponse(selectors.roster_import_job_progress(job=job))


def roster_download(request):
    organisations = _roster_organisations(request.user)
    form = RosterExportForm(request.GET, organisations=organisations)
    if not form.is_valid():
        raise Http404
    organisation = form.cleaned_data["organisation"]
    file_format = form.cleaned_data["format"]
    response = HttpResponse(
        roster_export(organisation=organisation, file_format=file_format),
        content_type=CONTENT_TYPES[file_format],
    )
    name = roster_export_file_name(
        organisation=organisation, file_format=file_format, today=timezone.localdate()
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


class RosterMenuItem(MenuItem):
    def is_shown(self, request):
        return (
            request.user.has_perm("organisations.add_staff")
            and selectors.roster_organisations_for(request.user).exists()
        )


class RosterViewSet(ViewSet):
    icon = "upload"
    menu_label = gettext_lazy("Import roster")
    add_to_admin_menu = True
    # Right after the People menu.
    menu_order = 201
    menu_item_class = RosterMenuItem

    def get_urlpatterns(self):
        return [
            path("", roster_start, name="start"),
            path("preview/<str:token>/", roster_preview, name="preview"),
            path("jobs/<int:job_id>/", roster_job, name="job"),
            path("jobs/<int:job_id>/progress/", roster_job_progress, name="job_progress"),
            path("export/", roster_download, name="export"),
        ]

    @property
    def menu_url(self):
        return reverse(f"{URL_NAMESPACE}:start")
