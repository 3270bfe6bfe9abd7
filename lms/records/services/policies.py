"""Scoring policies: which version scores a year for an organisation, and a new version stored."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from lms.audit.services import audit_record

from .. import scoring
from ..models import ScoringPolicy


def policy_for(*, organisation_id: int | None, year: int) -> ScoringPolicy | None:
    """The policy that scores `year` for an organisation: its latest version for the latest
    year up to `year`, else the platform default's likewise; None: the built-in rules."""
    candidates = ScoringPolicy.objects.filter(year__lte=year).order_by("-year", "-version")
    if organisation_id is not None:
        own = candidates.filter(organisation_id=organisation_id).first()
        if own is not None:
            return own
    return candidates.filter(organisation__isnull=True).first()


def rules_for(*, organisation_id: int | None, year: int) -> dict:
    policy = policy_for(organisation_id=organisation_id, year=year)
    return policy.rules if policy is not None else scoring.DEFAULT_RULES


def _curriculum_problems(organisation, rules: dict) -> list[str]:
    """The remedial curriculum must be one that applies to the organisation (a platform-wide
    one for the platform's default)."""
    from lms.learning.selectors import curricula_applying_to

    curriculum_id = (rules.get("remedial") or {}).get("curriculum")
    if curriculum_id in (None, ""):
        return []
    if organisation is None:
        from lms.learning.selectors import platform_curricula

        found = platform_curricula().filter(pk=curriculum_id).exists()
    else:
        found = curricula_applying_to(organisation=organisation).filter(pk=curriculum_id).exists()
    return [] if found else [_("Choose a remedial curriculum that applies to the organisation.")]


@transaction.atomic
def policy_save(
    *, organisation, year: int, rules: dict, actor=None, note: str = ""
) -> ScoringPolicy:
    """Store a new version of an organisation's (None: the platform's) policy for a year. Bad
    rules (thresholds overlapping or out of order, unknown kinds) are refused whole."""
    problems = scoring.policy_problems(rules) or _curriculum_problems(organisation, rules)
    if problems:
        raise ValidationError({"rules": problems})
    latest = (
        ScoringPolicy.objects.select_for_update()
        .filter(organisation=organisation, year=year)
        .order_by("-version")
        .first()
    )
    policy = ScoringPolicy(
        organisation=organisation,
        year=year,
        version=(latest.version + 1) if latest else 1,
        rules=rules,
        note=note,
        created_by=actor,
    )
    policy.full_clean()
    policy.save()
    audit_record(
        action="records.policy_save",
        target=policy,
        actor=actor,
        organisation=organisation,
        data={"year": year, "version": policy.version},
    )
    return policy
