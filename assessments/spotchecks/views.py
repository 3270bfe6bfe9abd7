"""The regulator portal, the enterprise's view of its draws, and the public pages.

Views authenticate, parse, call one service and render; scoping lives in the selectors.
"""

import json
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from assessments.selectors import exam_integrity_logs
from lms import attachments
from lms.organisations.selectors import enterprises_in_jurisdiction

from . import selectors, services
from .export import results_workbook
from .forms import CampaignForm, RectificationDecisionForm, RectificationReportForm, RecusalForm
from .models import Campaign

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def regulator_home_panel(request) -> dict | None:
    if not selectors.is_regulator_staff(request.user):
        return None
    return {"home": selectors.regulator_home(request.user)}


def enterprise_home_panel(request) -> dict | None:
    if not selectors.is_enterprise_head(request.user):
        return None
    home = selectors.enterprise_home(request.user)
    if not (home.current_draws or home.open_rectifications):
        return None
    return {"home": home}


def regulator_required(view):
    """Regulator staff only: anyone else (an enterprise's people included) gets 403."""

    @login_required
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not selectors.is_regulator_staff(request.user):
            raise PermissionDenied(_("Only regulator staff may open the spot-check portal."))
        return view(request, *args, **kwargs)

    return wrapped


def _refused(request, exc: services.CampaignRefused):
    for message in exc.messages:
        messages.error(request, message)


# --- regulator portal -----------------------------------------------------------------------


@regulator_required
def campaign_list(request):
    return render(
        request,
        "spotchecks/campaign_list.html",
        {"campaigns": selectors.campaigns_visible_to(request.user)},
    )


@regulator_required
def campaign_form(request, pk: int | None = None):
    regulator = selectors.regulator_of(request.user)
    campaign = selectors.campaign_for_regulator(request.user, pk) if pk else None
    if campaign is not None:
        regulator = campaign.regulator
        if campaign.is_frozen:
            # Posting to a frozen campaign is refused by the service (and audited there).
            try:
                if request.method == "POST":
                    services.campaign_save(campaign=campaign, actor=request.user)
                raise services.CampaignRefused(
                    [_("This campaign's seed is committed: its scope and sizes cannot change.")]
                )
            except services.CampaignRefused as exc:
                _refused(request, exc)
            return redirect("spotchecks:campaign_detail", pk=campaign.pk)
    instance = campaign or Campaign(regulator=regulator)
    form = CampaignForm(
        request.POST or None,
        instance=instance,
        enterprises=enterprises_in_jurisdiction(regulator=regulator).order_by("name"),
        blueprints=selectors.blueprints_for_campaigns(request.user, regulator=regulator),
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.campaign_save(
                campaign=form.instance,
                actor=request.user,
                include_ids=[o.pk for o in form.cleaned_data["include"]],
                exclude_ids=[o.pk for o in form.cleaned_data["exclude"]],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        except services.CampaignRefused as exc:
            _refused(request, exc)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect("spotchecks:campaign_detail", pk=saved.pk)
    return render(request, "spotchecks/campaign_form.html", {"form": form, "campaign": campaign})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@regulator_required
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_for_regulator(request.user, pk)
    record = getattr(campaign, "draw", None)
    context = {
        "campaign": campaign,
        "record": record,
        "scope_size": None,
        "problems": [],
        "progress": [],
    }
    if campaign.status == Campaign.Status.DRAFT:
        context["scope_size"] = services.campaign_scope(campaign=campaign).count()
        context["problems"] = services.campaign_preflight(campaign=campaign)
    else:
        context["progress"] = selectors.campaign_progress(campaign=campaign)
        if campaign.exam is not None:
            context["integrity_logs"] = exam_integrity_logs(exam=campaign.exam)
        if record and record.is_revealed:
            context["verification"] = services.draw_verify(record=record)
    return render(request, "spotchecks/campaign_detail.html", context)


def _action(service, success: str):
    @regulator_required
    @require_POST
    def view(request, pk: int):
        campaign = selectors.campaign_for_regulator(request.user, pk)
        try:
            service(campaign=campaign, actor=request.user)
        except services.CampaignRefused as exc:
            _refused(request, exc)
        else:
            messages.success(request, success)
        return redirect("spotchecks:campaign_detail", pk=campaign.pk)

    return view


campaign_commit = _action(
    services.campaign_commit,
    _("Seed committed: its SHA-256 is now on the public page. Scope and sizes are frozen."),
)
campaign_draw = _action(services.campaign_draw, _("Drawn. The seed is revealed."))
campaign_start = _action(
    services.campaign_start,
    _("Started. The people drawn are being put in the exam and notified."),
)
campaign_close = _action(
    services.campaign_close, _("Closed. Verdicts, rectification notices and risk grades are set.")
)


@regulator_required
def campaign_progress_json(request, pk: int):
    """Live progress for the regulator's page (polled)."""
    campaign = selectors.campaign_for_regulator(request.user, pk)
    rows = selectors.campaign_progress(campaign=campaign)
    return JsonResponse(
        {
            "status": campaign.status,
            "enterprises": [
                {
                    "id": r.drawn.pk,
                    "started": r.started,
                    "finished": r.finished,
                    "passed": r.passed,
                    "total": r.total,
                }
                for r in rows
            ],
        }
    )


@regulator_required
def campaign_export(request, pk: int):
    campaign = selectors.campaign_for_regulator(request.user, pk)
    rows = [r.drawn for r in selectors.campaign_progress(campaign=campaign)]
    content = results_workbook(campaign=campaign, results=rows, with_people=True)
    return _xlsx(content, f"spotcheck-{campaign.pk}-results.xlsx")


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@regulator_required
def dashboard(request):
    data = selectors.regulator_dashboard(request.user)
    return render(request, "spotchecks/dashboard.html", {"data": data})


@regulator_required
def recusals(request):
    regulator = selectors.regulator_of(request.user)
    form = RecusalForm(
        request.POST or None,
        inspectors=services.inspector_pool(regulator=regulator),
        enterprises=enterprises_in_jurisdiction(regulator=regulator).order_by("name"),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.recusal_add(
                inspector=form.cleaned_data["inspector"],
                enterprise=form.cleaned_data["enterprise"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Recusal recorded."))
            return redirect("spotchecks:recusals")
    return render(
        request,
        "spotchecks/recusals.html",
        {"form": form, "recusals": selectors.recusals_of(regulator=regulator)},
    )


# --- rectification (both sides) -----------------------------------------------------------


@login_required
def rectification_detail(request, pk: int):
    rectification, side = selectors.rectification_for(request.user, pk)
    report_form = RectificationReportForm(
        request.POST if side == "enterprise" and request.method == "POST" else None
    )
    decision_form = RectificationDecisionForm(
        request.POST if side == "regulator" and request.method == "POST" else None
    )
    if request.method == "POST":
        try:
            if side == "enterprise" and report_form.is_valid():
                services.rectification_submit(
                    rectification=rectification,
                    text=report_form.cleaned_data["text"],
                    files=request.FILES.getlist("attachments"),
                    actor=request.user,
                )
                messages.success(request, _("Rectification report submitted."))
                return redirect("spotchecks:rectification", pk=pk)
            if side == "regulator" and decision_form.is_valid():
                accept = request.POST.get("decision") == "accept"
                services.rectification_decide(
                    rectification=rectification,
                    accept=accept,
                    comment=decision_form.cleaned_data["comment"],
                    actor=request.user,
                )
                messages.success(
                    request, _("Report accepted.") if accept else _("Report returned.")
                )
                return redirect("spotchecks:rectification", pk=pk)
        except services.CampaignRefused as exc:
            _refused(request, exc)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "spotchecks/rectification.html",
        {
            "rectification": rectification,
            "side": side,
            "report_form": report_form,
            "decision_form": decision_form,
            "reports": rectification.reports.prefetch_related("attachments").select_related(
                "submitted_by"
            ),
            "limits": {
                "types": ", ".join(sorted(attachments.ALLOWED_ATTACHMENT_TYPES)),
                "megabytes": attachments.MAX_ATTACHMENT_BYTES // 1024 // 1024,
                "count": attachments.MAX_ATTACHMENTS,
            },
        },
        status=status,
    )


@login_required
def rectification_attachment(request, pk: int, attachment_id: int):
    rectification, _side = selectors.rectification_for(request.user, pk)
    from django.http import FileResponse, Http404

    from .models import RectificationAttachment

    attachment = RectificationAttachment.objects.filter(
        pk=attachment_id, report__rectification=rectification
    ).first()
    if attachment is None:
        raise Http404
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


# --- the enterprise's side ------------------------------------------------------------------


@login_required
def enterprise_list(request):
    if not selectors.is_enterprise_head(request.user):
        raise PermissionDenied(_("Only an enterprise's compliance head sees its spot checks."))
    return render(
        request,
        "spotchecks/enterprise_list.html",
        {"draws": selectors.spot_checks_for_enterprise(request.user)},
    )


@login_required
def enterprise_detail(request, pk: int):
    drawn = selectors.spot_check_for_enterprise(request.user, pk)
    rows = [r for r in selectors.campaign_progress(campaign=drawn.campaign) if r.drawn.pk == pk]
    return render(
        request,
        "spotchecks/enterprise_detail.html",
        {"drawn": drawn, "row": rows[0], "campaign": drawn.campaign},
    )


@login_required
def my_spot_checks(request):
    return render(
        request,
        "spotchecks/my_spot_checks.html",
        {"people": selectors.my_spot_checks(request.user)},
    )


# --- public ---------------------------------------------------------------------------------


def public_list(request):
    return render(
        request, "spotchecks/public_list.html", {"campaigns": selectors.public_campaigns()}
    )


def public_detail(request, pk: int):
    campaign = selectors.public_campaign(pk)
    record = campaign.draw
    verification = services.draw_verify(record=record) if record.is_revealed else None
    return render(
        request,
        "spotchecks/public_detail.html",
        {
            "campaign": campaign,
            "record": record,
            "verification": verification,
            "results": selectors.public_results(campaign=campaign),
            "record_url": reverse("spotchecks:public_record", args=[campaign.pk]),
        },
    )


def public_record(request, pk: int):
    """The draw record to re-run anywhere; published in full only once the campaign closes."""
    campaign = selectors.public_campaign(pk)
    record = campaign.draw.public_record()
    if campaign.status != Campaign.Status.CLOSED:
        record.update(snapshot=None, result=None)
    body = json.dumps(record, ensure_ascii=False, sort_keys=True, indent=1)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="spotcheck-{pk}-draw-record.json"'
    return response


def public_export(request, pk: int):
    campaign = selectors.public_campaign(pk)
    content = results_workbook(
        campaign=campaign,
        results=selectors.public_results(campaign=campaign),
        with_people=False,
    )
    return _xlsx(content, f"spotcheck-{campaign.pk}-public-results.xlsx")
