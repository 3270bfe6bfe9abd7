from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from . import ratelimit, selectors, serials, services, wording
from .models import Certificate


@login_required
@require_GET
def my_certificates(request):
    certificates = list(selectors.certificates_of(request.user))
    return render(
        request,
        "certificates/my_certificates.html",
        {"certificates": certificates, "today": timezone.localdate()},
    )


@login_required
@require_GET
def download_pdf(request, pk: int):
    certificate = selectors.certificate_of_holder(user=request.user, pk=pk)
    if certificate is None:
        raise Http404
    if not certificate.pdf:
        # Normally rendered by Celery right after issue; render now if the queue is behind.
        certificate = services.certificate_render_pdf(certificate_id=certificate.pk)
    return FileResponse(
        certificate.pdf.open("rb"),
        as_attachment=True,
        filename=f"{certificate.serial}.pdf",
        content_type="application/pdf",
    )


def home_panel_context(request) -> dict | None:
    certificates = list(selectors.certificates_of(request.user)[:5])
    if not certificates:
        return None
    return {"certificates": certificates}


def _public_context(certificate: Certificate) -> dict:
    status = certificate.effective_status()
    return {
        "certificate": certificate,
        "status": status,
        "status_label": Certificate.Status(status).label,
        "masked_name": wording.mask_name(certificate.holder_name),
    }


def _too_many(request):
    response = render(request, "certificates/verify_rate_limited.html", status=429)
    response["Retry-After"] = str(ratelimit.WINDOW_SECONDS)
    return response


@require_GET
def verify(request, token: str):
    """Public: anyone holding the QR code or link sees the certificate's standing."""
    if not ratelimit.verification_allowed(request):
        return _too_many(request)
    certificate = selectors.certificate_for_verification(token=token)
    if certificate is None:
        return render(request, "certificates/verify_not_found.html", status=404)
    return render(request, "certificates/verify.html", _public_context(certificate))


@require_GET
def verify_by_serial(request):
    """Public: look a certificate up by the number printed on it."""
    text = request.GET.get("serial", "").strip()
    context = {"serial": text}
    if text:
        if not ratelimit.verification_allowed(request):
            return _too_many(request)
        try:
            serial = serials.parse(text)
        except serials.SerialError as exc:
            context["error"] = (
                _("This certificate number is invalid: its check character does not match.")
                if exc.reason == "check"
                else _("This certificate number is invalid: it reads like HG-2026-00012345-K.")
            )
        else:
            certificate = selectors.certificate_by_serial(serial=serial)
            if certificate is None:
                context["error"] = _("No certificate has this number.")
            else:
                context.update(_public_context(certificate))
    return render(request, "certificates/verify_search.html", context)
