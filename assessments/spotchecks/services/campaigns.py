"""Spot-check campaigns before they run: scope and population, the draft, and the committed
seed and the draw made from it."""

import secrets
from typing import NoReturn

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.services import audit_record, editable_fields, saved_changes, stored_state
from lms.organisations.models import ComplianceRole, Organisation, Staff
from lms.organisations.selectors import enterprises_in_jurisdiction, staff_active
from lms.refusals import Refused

from .. import draw as pure_draw
from ..models import (
    Campaign,
    Draw,
    DrawnEnterprise,
    DrawnInspector,
    DrawnPerson,
    InspectorRecusal,
)


class CampaignRefused(Refused):
    """A request the campaign's state or population does not allow; `messages` say why."""


# --- scope and population ---------------------------------------------------------------------


def inspector_pool(*, regulator: Organisation):
    """The regulator's active staff whose position is regulator inspector."""
    return (
        staff_active()
        .filter(
            organisation=regulator,
            position__compliance_role=ComplianceRole.REGULATOR_INSPECTOR,
        )
        .select_related("user")
    )


def campaign_scope(*, campaign: Campaign):
    """The enterprises the campaign may draw: the jurisdiction through the filters, plus
    explicit includes, less explicit excludes."""
    jurisdiction = enterprises_in_jurisdiction(regulator=campaign.regulator)
    filtered = jurisdiction
    if campaign.scope_sectors:
        filtered = filtered.filter(sector__in=campaign.scope_sectors)
    if campaign.scope_region_prefix:
        filtered = filtered.filter(region_code__startswith=campaign.scope_region_prefix)
    if campaign.scope_risk_grades:
        filtered = filtered.filter(risk_grade__in=campaign.scope_risk_grades)
    ids = set(filtered.values_list("pk", flat=True))
    if campaign.pk:
        includes = set(campaign.scope_include.values_list("pk", flat=True))
        ids |= set(jurisdiction.filter(pk__in=includes).values_list("pk", flat=True))
        ids -= set(campaign.scope_exclude.values_list("pk", flat=True))
    return Organisation.objects.filter(pk__in=ids)


def campaign_snapshot(*, campaign: Campaign) -> dict:
    """The population as the draw sees it: sorted ids only, nothing personal."""
    enterprises = sorted(campaign_scope(campaign=campaign).values_list("pk", "risk_grade"))
    enterprise_ids = [pk for pk, _grade in enterprises]
    roles = {role: n for role, n in (campaign.roles or {}).items() if n > 0}
    staff: dict[str, dict[str, list[int]]] = {}
    for org_id, role, staff_id in (
        staff_active()
        .filter(
            organisation_id__in=enterprise_ids,
            position__compliance_role__in=list(roles),
        )
        .values_list("organisation_id", "position__compliance_role", "pk")
        .order_by("pk")
    ):
        staff.setdefault(str(org_id), {}).setdefault(role, []).append(staff_id)
    pool = list(inspector_pool(regulator=campaign.regulator).values_list("pk", "user_id"))
    recusals = set(
        InspectorRecusal.objects.filter(
            inspector_id__in=[pk for pk, _ in pool], enterprise_id__in=enterprise_ids
        ).values_list("inspector_id", "enterprise_id")
    )
    # A present or former membership of the enterprise is a link too, whatever its status.
    staff_of_user = {user_id: pk for pk, user_id in pool}
    for user_id, org_id in Staff.objects.filter(
        user_id__in=list(staff_of_user), organisation_id__in=enterprise_ids
    ).values_list("user_id", "organisation_id"):
        recusals.add((staff_of_user[user_id], org_id))
    return {
        "algorithm": pure_draw.ALGORITHM,
        "enterprises": [[pk, grade] for pk, grade in enterprises],
        "staff": staff,
        "inspectors": sorted(pk for pk, _ in pool),
        "recusals": sorted([list(pair) for pair in recusals]),
        "params": {
            "enterprises": pure_draw.resolve_enterprise_count(
                mode=campaign.enterprise_count_mode,
                value=campaign.enterprise_count_value,
                scope_size=len(enterprises),
            ),
            "roles": roles,
            "inspectors": campaign.inspectors_per_enterprise,
            "weighting": campaign.weighting,
            "weights": pure_draw.RISK_GRADE_WEIGHTS,
        },
    }


def problem_messages(problems: list[tuple[str, dict]]) -> list[str]:
    """The draw's refusals in words, naming up to five enterprises."""
    role_labels = dict(ComplianceRole.choices)
    messages = []
    for code, params in problems:
        names = _names(params.get("enterprise_ids", []))
        if code == "empty_scope":
            messages.append(
                _("The scope is empty: no enterprise in your jurisdiction matches the filters.")
            )
        elif code == "too_few_enterprises_asked":
            messages.append(_("Draw at least one enterprise."))
        elif code == "too_many_enterprises":
            messages.append(
                _("You asked for %(asked)d enterprises but the scope has only %(available)d.")
                % params
            )
        elif code == "too_few_staff":
            messages.append(
                _(
                    "You asked for %(count)d %(role)s per enterprise, but these enterprises have "
                    "fewer: %(names)s. Exclude them or ask for fewer."
                )
                % {"count": params["count"], "role": role_labels[params["role"]], "names": names}
            )
        elif code == "pool_too_small":
            messages.append(
                _(
                    "You asked for %(asked)d inspectors per enterprise but your inspector pool "
                    "has only %(available)d."
                )
                % params
            )
        elif code == "pool_too_small_after_recusal":
            messages.append(
                _(
                    "Once recused inspectors are left out, fewer than %(asked)d inspectors remain "
                    "for: %(names)s. Ask for fewer inspectors or exclude these enterprises."
                )
                % {"asked": params["asked"], "names": names}
            )
    return messages


def _names(enterprise_ids: list[int]) -> str:
    shown = list(
        Organisation.objects.filter(pk__in=enterprise_ids[:5]).values_list("name", flat=True)
    )
    more = len(enterprise_ids) - len(shown)
    text = "、".join(shown)
    return text + (_(" and %(n)d more") % {"n": more} if more > 0 else "")


def campaign_preflight(*, campaign: Campaign) -> list[str]:
    """What would stop the commit, in words (empty when the campaign can be committed)."""
    return problem_messages(pure_draw.problems(campaign_snapshot(campaign=campaign)))


# --- draft --------------------------------------------------------------------------------


def _refuse(campaign: Campaign, *, action: str, actor, message: str) -> NoReturn:
    audit_record(
        action=f"spotcheck.{action}_refused",
        target=campaign,
        actor=actor,
        organisation=campaign.regulator,
        data={"status": campaign.status},
    )
    raise CampaignRefused([message])


def campaign_save(
    *,
    campaign: Campaign,
    actor,
    include_ids: list[int] | None = None,
    exclude_ids: list[int] | None = None,
) -> Campaign:
    """Create or change a draft campaign. Once committed nothing can change (refused, audited)."""
    if campaign.pk:
        stored = Campaign.objects.get(pk=campaign.pk)
        if stored.is_frozen:
            # The refusal must outlive the caller's rollback, so it is recorded outside it.
            _refuse(
                stored,
                action="change",
                actor=actor,
                message=_(
                    "This campaign's seed is committed: its scope and sizes can no longer change."
                ),
            )
    with transaction.atomic():
        jurisdiction = enterprises_in_jurisdiction(regulator=campaign.regulator)
        errors = {}
        for field, ids in (("scope_include", include_ids), ("scope_exclude", exclude_ids)):
            if ids and jurisdiction.filter(pk__in=ids).count() != len(set(ids)):
                errors[field] = _("Only enterprises in your jurisdiction can be chosen.")
        if errors:
            raise ValidationError(errors)
        is_new = campaign.pk is None
        if is_new:
            campaign.created_by = actor
        tracked = (*editable_fields(type(campaign)), "scope_include", "scope_exclude")
        before = stored_state(campaign, tracked)
        campaign.full_clean()
        campaign.save()
        if include_ids is not None:
            campaign.scope_include.set(include_ids)
        if exclude_ids is not None:
            campaign.scope_exclude.set(exclude_ids)
        changes = saved_changes(campaign, before, tracked)
        audit_record(
            action="spotcheck.campaign_create" if is_new else "spotcheck.campaign_update",
            target=campaign,
            actor=actor,
            organisation=campaign.regulator,
            data={"changes": changes} if changes else {},
        )
    return campaign


@transaction.atomic
def recusal_add(*, inspector: Staff, enterprise: Organisation, reason: str, actor):
    """Record that an inspector must never be drawn for an enterprise."""
    recusal = InspectorRecusal(inspector=inspector, enterprise=enterprise, reason=reason)
    recusal.full_clean()
    recusal.save()
    audit_record(
        action="spotcheck.recusal_add",
        target=recusal,
        actor=actor,
        organisation=inspector.organisation,
        data={"enterprise": enterprise.pk, "reason": reason},
    )
    return recusal


# --- commit and draw ----------------------------------------------------------------------


def campaign_commit(*, campaign: Campaign, actor) -> Draw:
    """Freeze the campaign: store the population snapshot and commit to a secret seed by
    publishing its SHA-256. Refused (before anything is stored) when the population cannot
    meet the request, and refused and audited when the campaign is already committed."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if (
            locked.status == Campaign.Status.DRAFT
            and not Draw.objects.filter(campaign=locked).exists()
        ):
            snapshot = campaign_snapshot(campaign=locked)
            problems = pure_draw.problems(snapshot)
            if problems:
                raise CampaignRefused(problem_messages(problems))
            seed = secrets.token_hex(32)
            record = Draw.objects.create(
                campaign=locked,
                algorithm=pure_draw.ALGORITHM,
                seed_hash=pure_draw.seed_hash(seed),
                committed_at=timezone.now(),
                committed_by=actor,
                snapshot=snapshot,
                population_hash=pure_draw.population_hash(snapshot),
                population_size=len(snapshot["enterprises"]),
                seed=seed,
            )
            locked.status = Campaign.Status.COMMITTED
            locked.save(update_fields=["status"])
            audit_record(
                action="spotcheck.commit",
                target=locked,
                actor=actor,
                organisation=locked.regulator,
                data={
                    "seed_hash": record.seed_hash,
                    "population_hash": record.population_hash,
                    "population_size": record.population_size,
                },
            )
            campaign.status = locked.status
            return record
    _refuse(
        locked,
        action="commit",
        actor=actor,
        message=_("This campaign is already committed: it cannot be committed again."),
    )


def campaign_draw(*, campaign: Campaign, actor) -> Draw:
    """Reveal the seed and draw from the stored snapshot. Only once per campaign."""
    with transaction.atomic():
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if locked.status == Campaign.Status.COMMITTED:
            record = Draw.objects.select_for_update().get(campaign=locked)
            result = pure_draw.draw(seed=record.seed, snapshot=record.snapshot)
            record.result = result
            record.revealed_at = timezone.now()
            record.save(update_fields=["result", "revealed_at"])
            _store_selection(locked, result)
            locked.status = Campaign.Status.DRAWN
            locked.save(update_fields=["status"])
            audit_record(
                action="spotcheck.draw",
                target=locked,
                actor=actor,
                organisation=locked.regulator,
                data={"seed": record.seed, "enterprises": len(result["enterprises"])},
            )
            campaign.status = locked.status
            return record
    if locked.status == Campaign.Status.DRAFT:
        message = _("Commit the seed before drawing.")
    else:
        message = _("This campaign has been drawn already: there is no second draw.")
    _refuse(locked, action="draw", actor=actor, message=message)


def _store_selection(campaign: Campaign, result: dict) -> None:
    staff_ids = [s for e in result["enterprises"] for ids in e["staff"].values() for s in ids]
    users = dict(Staff.objects.filter(pk__in=staff_ids).values_list("pk", "user_id"))
    grades = dict(
        Organisation.objects.filter(
            pk__in=[e["enterprise"] for e in result["enterprises"]]
        ).values_list("pk", "risk_grade")
    )
    drawn = DrawnEnterprise.objects.bulk_create(
        [
            DrawnEnterprise(
                campaign=campaign,
                enterprise_id=e["enterprise"],
                drawn_count=sum(len(ids) for ids in e["staff"].values()),
                risk_grade_before=grades[e["enterprise"]],
            )
            for e in result["enterprises"]
        ]
    )
    people, inspectors = [], []
    for row, e in zip(drawn, result["enterprises"], strict=True):
        for role, ids in e["staff"].items():
            people += [
                DrawnPerson(
                    drawn_enterprise=row,
                    campaign=campaign,
                    staff_id=s,
                    user_id=users[s],
                    role=role,
                )
                for s in ids
            ]
        inspectors += [DrawnInspector(drawn_enterprise=row, staff_id=i) for i in e["inspectors"]]
    DrawnPerson.objects.bulk_create(people, batch_size=2000)
    DrawnInspector.objects.bulk_create(inspectors, batch_size=2000)


def draw_verify(*, record: Draw) -> pure_draw.Verification:
    return pure_draw.verify(record.public_record())
