"""我的合规档案 and the administrator's 合规考核 pages. Thin: parse, call selectors, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.organisations.access import access_for
from lms.organisations.selectors import staff_changeable_by
from lms.params import chosen_or_first, whole_number

from . import selectors, services
from .kinds import Grade, Severity
from .overview import appraisal_overview


def _year(request) -> int:
    value = request.GET.get("year", "")
    this_year = timezone.localdate().year
    if not value:
        return this_year
    year = whole_number(value)
    if year is None or not 2000 <= year <= this_year + 1:
        raise Http404
    return year


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
            "violations": list(selectors.my_violations(request.user)[:50]),
        },
    )


def _organisation(request):
    if not access_for(request.user).is_admin:
        raise PermissionDenied
    organisations = selectors.appraisal_organisations_for(request.user)
    return chosen_or_first(organisations, request.GET.get("org")), organisations


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
        context["result"] = appraisal_overview(
            request.user,
            organisation=organisation,
            year=year,
            page=min(whole_number(request.GET.get("page")) or 1, 10**6),
            department=(request.GET.get("department") or "")[:100],
        )
        access = access_for(request.user)
        context["is_head"] = access.is_platform_admin or organisation.pk in access.head_org_ids
        context["may_close"] = context["result"].closed is None and context["is_head"]
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


@login_required
def appraisal_amend(request, staff_id: int):
    if request.method != "POST" or not access_for(request.user).is_admin:
        raise Http404
    year = whole_number(request.POST.get("year"))
    staff = staff_changeable_by(request.user).filter(pk=staff_id).first()
    if staff is None or year is None:
        raise Http404
    try:
        amended = services.appraisal_amend(
            actor=request.user, staff=staff, year=year, reason=request.POST.get("reason", "")
        )
    except PermissionDenied as exc:
        raise Http404 from exc
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except services.AmendmentRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("The appraisal was amended: version %(version)s.") % {"version": amended.version},
        )
    return redirect(f"{reverse('records:person', args=[staff_id])}?year={year}")


# --- violations -------------------------------------------------------------------------------


@login_required
def violations(request):
    if not access_for(request.user).is_admin:
        raise PermissionDenied
    items = list(selectors.violations_manageable_by(request.user)[:200])
    return render(request, "records/violations.html", {"violations": items})


@login_required
def violation_new(request):
    if not access_for(request.user).is_admin:
        raise PermissionDenied
    people = staff_changeable_by(request.user).order_by("department__name", "user__full_name")
    errors = {}
    if request.method == "POST":
        staff = people.filter(pk=whole_number(request.POST.get("staff"))).first()
        if staff is None:
            raise Http404
        try:
            violation = services.violation_report(
                actor=request.user,
                staff=staff,
                occurred_on=_date(request.POST.get("occurred_on")),
                nature=request.POST.get("nature", ""),
                severity=request.POST.get("severity", ""),
                description=request.POST.get("description", ""),
                harm=request.POST.get("harm", ""),
                loss_amount=_decimal(request.POST.get("loss_amount")),
                files=request.FILES.getlist("files"),
            )
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("The violation was recorded and the person notified."))
            return redirect("records:violation", violation.pk)
    return render(
        request,
        "records/violation_new.html",
        {
            "people": people,
            "natures": selectors.nature_names_for(request.user),
            "severities": Severity.choices,
            "errors": errors,
            "data": request.POST,
        },
        status=400 if errors else 200,
    )


def _date(value):
    from datetime import date

    try:
        return date.fromisoformat(value or "")
    except ValueError:
        raise ValidationError({"occurred_on": _("Give the date as YYYY-MM-DD.")}) from None


def _decimal(value):
    from decimal import Decimal, InvalidOperation

    if not value:
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        raise ValidationError({"loss_amount": _("Give the loss as a number.")}) from None


@login_required
def violation(request, pk: int):
    item = selectors.violation_visible_to(request.user, pk)
    if item is None:
        raise Http404
    is_person = item.staff.user_id == request.user.pk
    if request.method == "POST":
        try:
            if request.POST.get("action") == "statement" and is_person:
                services.violation_statement_give(
                    user=request.user, violation=item, statement=request.POST.get("statement", "")
                )
                messages.success(request, _("Your statement was sent."))
            elif request.POST.get("action") in ("confirm", "dismiss"):
                services.violation_decide(
                    actor=request.user,
                    violation=item,
                    confirm=request.POST["action"] == "confirm",
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, _("The decision was recorded."))
            else:
                raise Http404
        except PermissionDenied as exc:
            raise Http404 from exc
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except services.ViolationRefused as exc:
            messages.error(request, str(exc))
        return redirect("records:violation", pk)
    return render(
        request,
        "records/violation.html",
        {
            "violation": item,
            "is_person": is_person,
            "may_state": is_person
            and item.status == item.Status.AWAITING_STATEMENT
            and timezone.localdate() <= item.statement_due,
            "may_decide": selectors.may_decide(request.user, item),
        },
    )


@login_required
def appraisal_export(request, fmt: str):
    from django.http import HttpResponse

    from .export import appraisal_rows, as_csv, as_xlsx

    organisation, _organisations = _organisation(request)
    if organisation is None:
        raise Http404
    year = _year(request)
    result = selectors.organisation_appraisal(request.user, organisation=organisation, year=year)
    headers, rows = appraisal_rows(result)
    name = f"appraisal-{organisation.pk}-{year}"
    if fmt == "csv":
        response = HttpResponse(as_csv(headers, rows), content_type="text/csv; charset=utf-8")
    else:
        response = HttpResponse(
            as_xlsx(headers, rows, title=str(year)),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# --- 考核规则 -----------------------------------------------------------------------------------


def _policy_organisation(request):
    access = access_for(request.user)
    organisations = selectors.appraisal_organisations_for(request.user)
    if not access.is_platform_admin:
        organisations = organisations.filter(pk__in=access.head_org_ids)
    organisation = chosen_or_first(organisations, request.GET.get("org") or request.POST.get("org"))
    if organisation is None:
        raise Http404
    return organisation, organisations


@login_required
def policy(request):
    from .scoring import DEFAULT_RULES

    organisation, organisations = _policy_organisation(request)
    year = _year(request) if request.method == "GET" else whole_number(request.POST.get("year"))
    if year is None:
        raise Http404
    current = services.policy_for(organisation_id=organisation.pk, year=year)
    rules = current.rules if current is not None else DEFAULT_RULES
    errors = []
    if request.method == "POST":
        posted = dict(rules)
        posted["base"] = request.POST.get("base", "").strip()
        posted["repeat_multiplier"] = request.POST.get("repeat_multiplier", "").strip()
        posted["points"] = {
            kind: request.POST.get(f"points_{kind}", "").strip() for kind in rules["points"]
        }
        posted["violation_points"] = {
            severity: request.POST.get(f"violation_{severity}", "").strip()
            for severity, _label in Severity.choices
        }
        posted["thresholds"] = {
            grade: request.POST.get(f"threshold_{grade}", "").strip()
            for grade in ("excellent", "pass", "basic_pass")
        }
        posted.update(_posted_consequences(request.POST, rules))
        try:
            services.policy_save(
                organisation=organisation,
                year=year,
                rules=posted,
                actor=request.user,
                note=request.POST.get("note", ""),
            )
        except ValidationError as exc:
            errors = exc.messages
            rules = posted
        else:
            messages.success(request, _("The scoring policy was saved as a new version."))
            return redirect(f"{request.path}?org={organisation.pk}&year={year}")
    from lms.learning.selectors import curricula_applying_to

    from .kinds import KINDS

    return render(
        request,
        "records/policy.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "year": year,
            "current": current,
            "rules": rules,
            "kinds": [(kind, KINDS[kind][1], value) for kind, value in rules["points"].items()],
            "severities": [
                (value, label, rules["violation_points"].get(value, ""))
                for value, label in Severity.choices
            ],
            "thresholds": [
                (grade, Grade.label(grade), rules["thresholds"].get(grade, ""))
                for grade in ("excellent", "pass", "basic_pass")
            ],
            "remedial": rules.get("remedial") or DEFAULT_RULES["remedial"],
            "curricula": curricula_applying_to(organisation=organisation).order_by("name"),
            "gate_months": [
                (value, label, (rules.get("gate_months") or {}).get(value, 0))
                for value, label in Severity.choices
            ],
            "errors": errors,
        },
        status=400 if errors else 200,
    )


def _posted_consequences(data, rules: dict) -> dict:
    """The consequence fields of the policy form (absent fields keep what the rules hold)."""
    from .scoring import DEFAULT_RULES

    remedial = dict(rules.get("remedial") or DEFAULT_RULES["remedial"])
    if "remedial_from" in data:
        remedial["from_severity"] = data.get("remedial_from", "")
        remedial["curriculum"] = whole_number(data.get("remedial_curriculum")) or (
            None if not data.get("remedial_curriculum") else data.get("remedial_curriculum")
        )
        remedial["due_days"] = data.get("remedial_due_days", "").strip()
    gate = dict(rules.get("gate_months") or {})
    for severity in Severity.values:
        if f"gate_{severity}" in data:
            gate[severity] = data.get(f"gate_{severity}", "").strip() or "0"
    return {"remedial": remedial, "gate_months": gate}


@login_required
def year_close(request):
    if request.method != "POST":
        raise Http404
    organisation, _organisations = _policy_organisation(request)
    year = whole_number(request.POST.get("year"))
    if year is None:
        raise Http404
    try:
        services.year_close(actor=request.user, organisation=organisation, year=year)
    except PermissionDenied as exc:
        raise Http404 from exc
    except services.YearAlreadyClosed:
        messages.error(request, _("This year is already closed."))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The year is closed: each person's appraisal is frozen."))
    return redirect(f"{reverse('records:appraisal')}?org={organisation.pk}&year={year}")


@login_required
def award_new(request):
    """The compliance head's form: commend or penalise a person or a department."""
    from lms.organisations.selectors import departments_manageable_by

    from .models import Award

    access = access_for(request.user)
    if not (access.is_platform_admin or access.head_org_ids):
        raise Http404
    head_orgs = {} if access.is_platform_admin else {"organisation_id__in": access.head_org_ids}
    people = (
        staff_changeable_by(request.user)
        .filter(**head_orgs)
        .order_by("department__name", "user__full_name")
    )
    departments = departments_manageable_by(request.user).filter(**head_orgs).order_by("name")
    violations = (
        selectors.violations_manageable_by(request.user)
        .filter(staff__in=people, status="confirmed")
        .order_by("-occurred_on")
    )
    errors = {}
    if request.method == "POST":
        data = request.POST
        staff = department = violation = None
        if data.get("recipient") == "department":
            department = departments.filter(pk=whole_number(data.get("department"))).first()
            if department is None:
                errors["department"] = [_("Choose a department.")]
        else:
            staff = people.filter(pk=whole_number(data.get("staff"))).first()
            if staff is None:
                errors["staff"] = [_("Choose a person.")]
        if data.get("violation"):
            violation = violations.filter(pk=whole_number(data.get("violation"))).first()
            if violation is None:
                errors["violation"] = [_("Choose a confirmed violation of the person.")]
        if not errors:
            try:
                award = services.award_give(
                    actor=request.user,
                    kind=data.get("kind", ""),
                    reason=data.get("reason", ""),
                    staff=staff,
                    department=department,
                    points=data.get("points", ""),
                    violation=violation,
                )
            except PermissionDenied as exc:
                raise Http404 from exc
            except ValidationError as exc:
                errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            else:
                messages.success(
                    request,
                    _("Recorded: %(kind)s for %(whom)s.")
                    % {
                        "kind": award.get_kind_display(),
                        "whom": staff.user.full_name if staff else department.name,
                    },
                )
                return redirect("records:award_new")
    kinds = Award.Kind.choices
    return render(
        request,
        "records/award_new.html",
        {
            "people": people,
            "departments": departments,
            "violations": violations[:200],
            "commendations": [(v, label) for v, label in kinds if v not in Award.PENALTIES],
            "penalties": [(v, label) for v, label in kinds if v in Award.PENALTIES],
            "errors": errors,
            "data": request.POST,
        },
        status=400 if errors else 200,
    )


@login_required
def honour_roll(request):
    year = _year(request)
    return render(
        request,
        "records/honour_roll.html",
        {"year": year, "awards": list(selectors.honour_roll(request.user, year=year))},
    )


def group_panel_context(request, organisation) -> dict | None:
    year = timezone.localdate().year
    appraisal = selectors.group_appraisal(request.user, organisation=organisation, year=year)
    return None if appraisal is None else {"appraisal": appraisal}
