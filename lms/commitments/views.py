from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from certificates import ratelimit
from certificates.wording import mask_name
from lms.audit.context import client_ip

from . import selectors, services
from .models import CommitmentSignature


@login_required
@require_GET
def mine(request):
    signatures = list(selectors.signatures_of(request.user))
    pending = [s for s in signatures if s.status == CommitmentSignature.Status.PENDING]
    signed = [s for s in signatures if s.status == CommitmentSignature.Status.SIGNED]
    return render(
        request,
        "commitments/mine.html",
        {"pending": pending, "signed": signed, "today": timezone.localdate()},
    )


def _own(request, pk: int) -> CommitmentSignature:
    signature = (
        selectors.signatures_of(request.user)
        .select_related("staff__position")
        .filter(pk=pk)
        .first()
    )
    if signature is None:
        raise Http404
    return signature


@login_required
@require_http_methods(["GET", "POST"])
def letter(request, pk: int):
    signature = _own(request, pk)
    errors: list[str] = []
    typed_name = ""
    status = 200
    if request.method == "POST":
        typed_name = request.POST.get("typed_name", "")
        try:
            services.commitment_sign(
                signature_id=signature.pk,
                user=request.user,
                typed_name=typed_name,
                confirmed=request.POST.get("confirm") == "on",
                ip_address=client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except services.SigningRefused as refused:
            if refused.status == 404:
                raise Http404 from refused
            errors, status = refused.messages, refused.status
            signature.refresh_from_db()
        else:
            messages.success(request, _("Signed. Thank you: you can download the letter as a PDF."))
            return redirect("commitments:letter", pk=signature.pk)
    signed = signature.status == CommitmentSignature.Status.SIGNED
    text = signature.text if signed else services.letter_text(signature)
    return render(
        request,
        "commitments/letter.html",
        {
            "signature": signature,
            "signed": signed,
            "text": text,
            "errors": errors,
            "typed_name": typed_name,
            "today": timezone.localdate(),
        },
        status=status,
    )


@login_required
@require_GET
def letter_pdf(request, pk: int):
    from .pdf import render_letter

    signature = _own(request, pk)
    if signature.status != CommitmentSignature.Status.SIGNED:
        raise Http404
    response = HttpResponse(render_letter(signature), content_type="application/pdf")
    filename = f"commitment-{signature.pk}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def check(request, token: str):
    """Public: anyone holding the QR code sees who signed what and when, and whether the
    stored text still matches its hash."""
    if not ratelimit.verification_allowed(request):
        response = render(request, "certificates/verify_rate_limited.html", status=429)
        response["Retry-After"] = str(ratelimit.WINDOW_SECONDS)
        return response
    signature = selectors.signature_by_token(token)
    if signature is None:
        return render(request, "commitments/check_not_found.html", status=404)
    return render(
        request,
        "commitments/check.html",
        {
            "signature": signature,
            "masked_name": mask_name(signature.user.full_name),
            "intact": services.check_result(signature)["intact"],
        },
    )


@login_required
@require_GET
def campaign_progress(request, pk: int):
    """A campaign's completion per organisation it reaches, as far as the reader counts: the
    group sees each subsidiary; a subsidiary's head their own people only."""
    progress = selectors.campaign_progress_for(request.user, pk=pk)
    if progress is None:
        raise Http404
    return render(request, "commitments/progress.html", progress)


def home_panel_context(request) -> dict | None:
    """The letters the person still has to sign (hidden when none)."""
    pending = list(
        selectors.signatures_of(request.user).filter(status=CommitmentSignature.Status.PENDING)[:5]
    )
    if not pending:
        return None
    return {"pending": pending, "today": timezone.localdate()}


def group_panel_context(request, organisation) -> dict | None:
    campaigns = selectors.group_campaigns_of(user=request.user, organisation_id=organisation.pk)
    if campaigns is None:
        return None
    return {"campaigns": campaigns, "organisation_id": organisation.pk}
