"""The Wagtail admin's roster import and export: upload, preview (a dry run), confirm; export.

Imports run within the request: a 10,000-row file is checked in about a second and imported in
about six on PostgreSQL (bench/roster_import.py), so a progress page through Celery would add
moving parts without saving the user any waiting. The buttons show that work is under way and
how many rows it concerns.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet

from . import selectors
from .roster import uploads
from .roster.exporting import CONTENT_TYPES, FORMATS, roster_export, roster_export_file_name
from .roster.importing import roster_import
from .roster.reading import CHINESE_HEADERS

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
    """GET: what the file would do (a dry run). POST: do it."""
    organisations = _roster_organisations(request.user)
    upload = uploads.upload_load(token=token, user_id=request.user.pk)
    if upload is None:
        raise Http404
    organisation = get_object_or_404(organisations, pk=upload.organisation_id)
    confirm = request.method == "POST"
    result = roster_import(
        organisation=organisation,
        data=upload.read(),
        file_name=upload.file_name,
        actor=request.user,
        dry_run=not confirm,
    )
    if result.imported:
        uploads.upload_discard(token=token)
        messages.success(
            request,
            _(
                "Roster imported into %(organisation)s: %(created)d created, %(updated)d updated, "
                "%(unchanged)d unchanged."
            )
            % {
                "organisation": organisation,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
        return redirect(f"{URL_NAMESPACE}:start")
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
            path("export/", roster_download, name="export"),
        ]

    @property
    def menu_url(self):
        return reverse(f"{URL_NAMESPACE}:start")


@hooks.register("register_admin_viewset")
def register_roster():
    return RosterViewSet(URL_NAMESPACE)
