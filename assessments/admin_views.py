"""Admin pages beyond the viewsets: the grading queue, an exam's report and a bank's
import/export. Each is scoped through the selectors (another organisation's is a 404)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from . import forms, selectors, services
from .formats import FORMAT_LABELS, guess_format
from .services.imports import (
    PreviewRefused,
    import_preview_confirm,
    import_preview_create,
    import_preview_discard,
    questions_export,
)

EXPORT_TYPES = {
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "csv": ("text/csv; charset=utf-8", "csv"),
    "moodle-xml": ("application/xml", "xml"),
    "gift": ("text/plain; charset=utf-8", "gift.txt"),
}


def _require(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


def grading_queue(request):
    _require(request, "assessments.view_attempt")
    items = list(selectors.grading_queue_for(request.user)[:200])
    logs = selectors.integrity_logs(attempt_ids={item.attempt_id for item in items})
    for item in items:
        item.integrity = logs.get(item.attempt_id)
    return TemplateResponse(
        request, "assessments/admin/grading_queue.html", {"items": items, "form": forms.GradeForm()}
    )


def grade_item(request, item_id: int):
    _require(request, "assessments.view_attempt")
    item = selectors.grading_queue_for(request.user).filter(pk=item_id).first()
    if item is None:
        raise Http404
    form = forms.GradeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.attempt_item_grade(
                item_id=item.pk,
                points=form.cleaned_data["points"],
                comment=form.cleaned_data["comment"],
                grader=request.user,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Grade saved."))
    elif request.method == "POST":
        messages.error(request, _("Enter the points."))
    return redirect("assessments_admin:grading_queue")


def exam_report(request, exam_id: int):
    _require(request, "assessments.view_exam")
    exam = get_object_or_404(selectors.exams_manageable_by(request.user), pk=exam_id)
    report = selectors.exam_report(exam=exam)
    peak = max(report.distribution) or 1
    bars = [
        {
            "x": 10 + i * 60,
            "height": round(160 * count / peak),
            "y": 180 - round(160 * count / peak),
            "count": count,
            "label": f"{i * 10}-{i * 10 + 10}",
        }
        for i, count in enumerate(report.distribution)
    ]
    return TemplateResponse(
        request,
        "assessments/admin/exam_report.html",
        {
            "exam": exam,
            "report": report,
            "bars": bars,
            "results": selectors.exam_results(exam=exam),
            "integrity_logs": selectors.exam_integrity_logs(exam=exam),
        },
    )


def _withheld_bank_refused(request, bank):
    """Import and export show or test a bank's keys: not while the bank is withheld from the
    user (they may still sit an exam drawing on it). The bank list with the reason, if so."""
    reason = selectors.bank_withheld_reason(request.user, bank_id=bank.pk)
    if reason is None:
        return None
    messages.error(request, reason)
    return redirect("question_banks:index")


def bank_transfer(request, bank_id: int):
    """Export; import in two steps: the upload shows what the file would create, update (old
    and new stem) and skip, and keeps the file; only the confirmation imports it."""
    _require(request, "assessments.change_question")
    bank = get_object_or_404(selectors.banks_manageable_by(request.user), pk=bank_id)
    refused = _withheld_bank_refused(request, bank)
    if refused:
        return refused
    report, token = None, None
    action = request.POST.get("action", "") if request.method == "POST" else ""
    uploading = request.method == "POST" and action not in ("confirm", "cancel")
    form = forms.ImportForm(
        request.POST if uploading else None, request.FILES if uploading else None
    )
    if action in ("confirm", "cancel"):
        if action == "cancel":
            import_preview_discard(bank=bank, user=request.user, token=request.POST.get("token"))
            messages.info(request, _("Import cancelled: nothing was imported."))
            return redirect("assessments_admin:bank_transfer", bank.pk)
        try:
            report, token = import_preview_confirm(
                bank=bank, user=request.user, token=request.POST.get("token", "")
            )
        except PreviewRefused as exc:
            messages.error(request, str(exc))
            return redirect("assessments_admin:bank_transfer", bank.pk)
    elif form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        fmt = form.cleaned_data["format"] or guess_format(upload.name)
        if fmt is None:
            form.add_error("format", _("Cannot tell the format from the file name: choose one."))
        else:
            report, token = import_preview_create(
                bank=bank, user=request.user, data=upload.read(), fmt=fmt, filename=upload.name
            )
    return TemplateResponse(
        request,
        "assessments/admin/bank_transfer.html",
        {
            "bank": bank,
            "form": form,
            "report": report,
            "token": token,
            "formats": [(fmt, FORMAT_LABELS[fmt]) for fmt in EXPORT_TYPES],
        },
    )


def bank_export(request, bank_id: int, fmt: str):
    _require(request, "assessments.view_question")
    bank = get_object_or_404(selectors.banks_manageable_by(request.user), pk=bank_id)
    if fmt not in EXPORT_TYPES:
        raise Http404
    refused = _withheld_bank_refused(request, bank)
    if refused:
        return refused
    content_type, ending = EXPORT_TYPES[fmt]
    data = questions_export(
        questions=bank.questions.filter(status="active"), fmt=fmt, category=bank.name
    )
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="bank-{bank.pk}.{ending}"'
    return response


urlpatterns = [
    path("grading/", grading_queue, name="grading_queue"),
    path("grading/<int:item_id>/", grade_item, name="grade_item"),
    path("exams/<int:exam_id>/report/", exam_report, name="exam_report"),
    path("banks/<int:bank_id>/transfer/", bank_transfer, name="bank_transfer"),
    path("banks/<int:bank_id>/export/<str:fmt>/", bank_export, name="bank_export"),
]
