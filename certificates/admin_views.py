"""Wagtail admin pages beyond the model viewsets: revoking, and re-rendering in bulk."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from lms.organisations.access import access_for

from . import selectors, services


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason for revocation"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )


def revoke(request, pk: int):
    certificate = get_object_or_404(selectors.certificates_revocable_by(request.user), pk=pk)
    index_url = reverse("certificates_admin:index")
    form = RevokeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_revoke(
                certificate=certificate, reason=form.cleaned_data["reason"], actor=request.user
            )
        except services.AlreadyRevoked:
            messages.info(
                request,
                _("Certificate %(serial)s was already revoked; nothing changed.")
                % {"serial": certificate.serial},
            )
            return redirect(index_url)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Certificate %(serial)s is revoked.") % {"serial": certificate.serial}
            )
            return redirect(index_url)
    elif certificate.status == certificate.Status.REVOKED:
        messages.info(
            request,
            _("Certificate %(serial)s was already revoked; nothing changed.")
            % {"serial": certificate.serial},
        )
        return redirect(index_url)
    return TemplateResponse(
        request,
        "certificates/admin/revoke.html",
        {
            "certificate": certificate,
            "form": form,
            "page_title": _("Revoke certificate"),
            "header_icon": "warning",
        },
    )


class RerenderForm(forms.Form):
    template = forms.ModelChoiceField(
        label=gettext_lazy("Template"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("All certificates I manage"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = selectors.templates_manageable_by(user)


def _require_administrator(user) -> None:
    if not access_for(user).is_admin and not access_for(user).regulator_ids:
        raise PermissionDenied


def rerender(request):
    _require_administrator(request.user)
    form = RerenderForm(request.POST or None, user=request.user)
    job = None
    if request.method == "POST" and form.is_valid():
        job = services.render_job_start(actor=request.user, template=form.cleaned_data["template"])
        return redirect(f"{reverse('certificates_rerender:index')}?job={job.pk}")
    job_id = request.GET.get("job", "")
    if job_id.isdigit():
        job = selectors.render_jobs_of(request.user).filter(pk=job_id).first()
    return TemplateResponse(
        request,
        "certificates/admin/rerender.html",
        {
            "form": form,
            "job": job,
            "progress": selectors.render_job_progress(job=job) if job else None,
            "page_title": _("Re-render certificate PDFs"),
            "header_icon": "doc-full",
        },
    )


@require_GET
def rerender_progress(request, job_id: int):
    job = selectors.render_jobs_of(request.user).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return JsonResponse(selectors.render_job_progress(job=job))
