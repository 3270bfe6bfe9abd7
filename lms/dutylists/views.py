"""Duty-list pages: the holder's own list and its acknowledgement; the coverage view, the
editing of a list and the adding of its courses for the compliance head and administrators.
Thin: parse, call one service or selectors, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lms.audit.context import client_ip
from lms.params import chosen_or_first, whole_number

from . import selectors, services
from .models import DutyAcknowledgement

BLANK_ROWS = 3
MAX_ROWS = 100


@login_required
@require_GET
def mine(request):
    acknowledgements = list(selectors.acknowledgements_of(request.user))
    pending = selectors.pending_of(request.user)
    signed = [a for a in acknowledgements if a.status == DutyAcknowledgement.Status.SIGNED]
    return render(request, "dutylists/mine.html", {"pending": pending, "signed": signed})


@login_required
@require_http_methods(["GET", "POST"])
def acknowledge(request, pk: int):
    ack = selectors.acknowledgements_of(request.user).filter(pk=pk).first()
    if ack is None:
        raise Http404
    errors: list[str] = []
    typed_name = ""
    status = 200
    if request.method == "POST":
        typed_name = request.POST.get("typed_name", "")
        try:
            services.duty_list_acknowledge(
                acknowledgement_id=ack.pk,
                user=request.user,
                typed_name=typed_name,
                confirmed=request.POST.get("confirm") == "on",
                ip_address=client_ip(request),
                user_agent=request.headers.get("User-Agent", ""),
            )
        except services.DutyListRefused as refused:
            if refused.status == 404:
                raise Http404 from refused
            errors, status = refused.messages, refused.status
            ack.refresh_from_db()
        else:
            messages.success(request, _("Acknowledged. Thank you."))
            return redirect("dutylists:acknowledge", pk=ack.pk)
    signed = ack.status == DutyAcknowledgement.Status.SIGNED
    current = selectors.is_current(ack)
    return render(
        request,
        "dutylists/acknowledge.html",
        {
            "ack": ack,
            "signed": signed,
            "current": current,
            "text": ack.text if signed else services.acknowledgement_text(ack),
            "errors": errors,
            "typed_name": typed_name,
        },
        status=status,
    )


def _organisation(request):
    organisations = selectors.coverage_organisations_for(request.user)
    organisation = chosen_or_first(organisations, request.GET.get("org"))
    if organisation is None:
        raise Http404
    return organisation, organisations


@login_required
@require_GET
def coverage(request):
    organisation, organisations = _organisation(request)
    return render(
        request,
        "dutylists/coverage.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            **selectors.coverage(user=request.user, organisation=organisation),
        },
    )


def _items_from(post) -> list[services.ItemInput]:
    items = []
    for n in range(min(whole_number(post.get("rows")) or 0, MAX_ROWS)):
        items.append(
            services.ItemInput(
                text=post.get(f"text-{n}", ""),
                clause_ids=[i for i in map(whole_number, post.getlist(f"clauses-{n}")) if i],
                domain_ids=[i for i in map(whole_number, post.getlist(f"domains-{n}")) if i],
            )
        )
    return items


def _rows_of(version) -> list[dict]:
    if version is None:
        return []
    return [
        {
            "text": item.text,
            "clause_ids": {c.pk for c in item.clauses.all()},
            "domain_ids": {d.pk for d in item.domains.all()},
        }
        for item in version.items.all()
    ]


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, position_id: int):
    position = selectors.key_positions_visible_to(request.user).filter(pk=position_id).first()
    if position is None:
        raise Http404
    version = selectors.current_version(position.pk)
    errors: list[str] = []
    rows = _rows_of(version)
    note = ""
    if request.method == "POST":
        items = _items_from(request.POST)
        note = request.POST.get("note", "")
        try:
            saved = services.duty_list_revise(
                actor=request.user, position_id=position.pk, items=items, note=note
            )
        except services.DutyListRefused as refused:
            if refused.status == 404:
                raise Http404 from refused
            raise
        except ValidationError as exc:
            errors = exc.messages
            rows = [
                {"text": i.text, "clause_ids": set(i.clause_ids), "domain_ids": set(i.domain_ids)}
                for i in items
            ]
        else:
            messages.success(
                request,
                _(
                    "Version %(version)d of the duty list is written; the holders are asked to "
                    "acknowledge it."
                )
                % {"version": saved.number},
            )
            return redirect("dutylists:edit", position_id=position.pk)
    rows += [{"text": "", "clause_ids": set(), "domain_ids": set()}] * BLANK_ROWS
    editable = selectors.key_positions_editable_by(request.user).filter(pk=position.pk).exists()
    return render(
        request,
        "dutylists/edit.html",
        {
            "position": position,
            "version": version,
            "versions": selectors.versions_of(position.pk),
            "rows": rows,
            "note": note,
            "clauses": list(selectors.clause_choices()),
            "domains": list(selectors.domain_choices()),
            "holders": selectors.holders_of(position.pk),
            "post_courses": selectors.post_courses_of(position.pk),
            "editable": editable,
            "errors": errors,
        },
        status=400 if errors else 200,
    )


@login_required
@require_POST
def add_courses(request, position_id: int):
    try:
        result = services.post_courses_add(actor=request.user, position_id=position_id)
    except services.DutyListRefused as refused:
        if refused.status == 404:
            raise Http404 from refused
        if refused.status == 403:
            raise
        messages.error(request, refused.message)
        return redirect("dutylists:edit", position_id=position_id)
    messages.success(
        request,
        ngettext(
            "%(count)d course added to the post; %(enrolled)d enrolments made.",
            "%(count)d courses added to the post; %(enrolled)d enrolments made.",
            len(result["courses"]),
        )
        % {"count": len(result["courses"]), "enrolled": result["enrolments"]},
    )
    return redirect("dutylists:edit", position_id=position_id)
