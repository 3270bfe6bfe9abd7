"""Reads for spot checks, scoped to the caller: regulators see their own campaigns, an
enterprise's compliance head sees only its own firm's draws, the public only closed results."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from assessments.selectors import attempts_of_exam, blueprints_manageable_by
from lms.organisations import regions
from lms.organisations.access import access_for
from lms.organisations.models import Organisation

from .models import (
    Campaign,
    DrawnEnterprise,
    DrawnPerson,
    InspectorRecusal,
    Outcome,
    Rectification,
)

VISIBLE_TO_ENTERPRISE = (Campaign.Status.DRAWN, Campaign.Status.RUNNING, Campaign.Status.CLOSED)


def is_regulator_staff(user) -> bool:
    return bool(access_for(user).regulator_ids)


def is_enterprise_head(user) -> bool:
    return bool(access_for(user).head_org_ids)


def regulator_of(user) -> Organisation | None:
    """The regulator the person works for (the first, if several)."""
    ids = sorted(access_for(user).regulator_ids)
    return Organisation.objects.filter(pk=ids[0]).first() if ids else None


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    access = access_for(user)
    return Campaign.objects.filter(regulator_id__in=access.regulator_ids).select_related(
        "regulator", "draw"
    )


def campaign_for_regulator(user, pk: int) -> Campaign:
    campaign = campaigns_visible_to(user).filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def blueprints_for_campaigns(user, *, regulator: Organisation):
    """Papers a campaign may use: the regulator's own blueprints (its banks are sealed)."""
    return blueprints_manageable_by(user).filter(bank__organisation=regulator)


def recusals_of(*, regulator: Organisation) -> QuerySet[InspectorRecusal]:
    return InspectorRecusal.objects.filter(inspector__organisation=regulator).select_related(
        "inspector__user", "enterprise"
    )


@dataclass
class EnterpriseProgress:
    drawn: DrawnEnterprise
    people: list[DrawnPerson]
    inspectors: list
    started: int = 0
    finished: int = 0
    passed: int = 0

    @property
    def total(self) -> int:
        return len(self.people)

    @property
    def finished_percent(self) -> int:
        return round(100 * self.finished / self.total) if self.total else 0


def campaign_progress(*, campaign: Campaign) -> list[EnterpriseProgress]:
    """Per drawn enterprise: its people with outcomes, its inspectors, how many started,
    finished and passed. A fixed number of queries, whatever the size."""
    started_users: set[int] = set()
    if campaign.exam is not None:
        started_users = set(attempts_of_exam(exam=campaign.exam).values_list("user_id", flat=True))
    people = defaultdict(list)
    for person in (
        DrawnPerson.objects.filter(campaign=campaign)
        .select_related("user", "staff__department")
        .order_by("role", "pk")
    ):
        people[person.drawn_enterprise_id].append(person)
    inspectors = defaultdict(list)
    for row in DrawnEnterprise.objects.filter(campaign=campaign).values_list(
        "pk", "inspectors__staff__user__full_name"
    ):
        if row[1]:
            inspectors[row[0]].append(row[1])
    rows = []
    for drawn in (
        DrawnEnterprise.objects.filter(campaign=campaign)
        .select_related("enterprise", "rectification")
        .order_by("enterprise__name")
    ):
        members = people[drawn.pk]
        rows.append(
            EnterpriseProgress(
                drawn=drawn,
                people=members,
                inspectors=inspectors[drawn.pk],
                started=sum(1 for p in members if p.user_id in started_users),
                finished=sum(1 for p in members if p.outcome in (Outcome.PASSED, Outcome.FAILED)),
                passed=sum(1 for p in members if p.outcome == Outcome.PASSED),
            )
        )
    return rows


def spot_checks_for_enterprise(user) -> QuerySet[DrawnEnterprise]:
    """The draws of the firms the person heads compliance for (never other firms')."""
    return (
        DrawnEnterprise.objects.filter(
            enterprise_id__in=access_for(user).head_org_ids,
            campaign__status__in=VISIBLE_TO_ENTERPRISE,
        )
        .select_related("campaign__regulator", "enterprise")
        .order_by("-campaign__created_at")
    )


def spot_check_for_enterprise(user, pk: int) -> DrawnEnterprise:
    drawn = spot_checks_for_enterprise(user).filter(pk=pk).first()
    if drawn is None:
        raise Http404
    return drawn


def my_spot_checks(user) -> QuerySet[DrawnPerson]:
    return (
        DrawnPerson.objects.filter(
            user=user, campaign__status__in=(Campaign.Status.RUNNING, Campaign.Status.CLOSED)
        )
        .select_related("campaign__regulator", "campaign__exam", "drawn_enterprise__enterprise")
        .order_by("-campaign__opens_at")
    )


def rectification_for(user, pk: int) -> tuple[Rectification, str]:
    """The rectification and the caller's side ("regulator" or "enterprise"); 404 otherwise."""
    access = access_for(user)
    rectification = (
        Rectification.objects.filter(pk=pk)
        .select_related("drawn_enterprise__campaign__regulator", "drawn_enterprise__enterprise")
        .first()
    )
    if rectification is None:
        raise Http404
    drawn = rectification.drawn_enterprise
    if drawn.campaign.regulator_id in access.regulator_ids:
        return rectification, "regulator"
    if drawn.enterprise_id in access.head_org_ids:
        return rectification, "enterprise"
    raise Http404


def rectifications_for_regulator(user) -> QuerySet[Rectification]:
    return Rectification.objects.filter(
        drawn_enterprise__campaign__regulator_id__in=access_for(user).regulator_ids
    ).select_related("drawn_enterprise__enterprise", "drawn_enterprise__campaign")


# --- public ---------------------------------------------------------------------------------


def public_campaigns() -> QuerySet[Campaign]:
    """Campaigns whose commitment is public (everything but drafts)."""
    return Campaign.objects.exclude(status=Campaign.Status.DRAFT).select_related(
        "regulator", "draw"
    )


def public_campaign(pk: int) -> Campaign:
    campaign = public_campaigns().filter(pk=pk).first()
    if campaign is None:
        raise Http404
    return campaign


def public_results(*, campaign: Campaign) -> list[DrawnEnterprise]:
    """The checked enterprises with verdicts and rectification status, once closed."""
    if campaign.status != Campaign.Status.CLOSED:
        return []
    return list(
        DrawnEnterprise.objects.filter(campaign=campaign)
        .select_related("enterprise", "rectification")
        .order_by("enterprise__name")
    )


# --- dashboard ------------------------------------------------------------------------------


@dataclass
class Rate:
    label: str
    checked: int = 0
    passed: int = 0

    @property
    def percent(self) -> int:
        return round(100 * self.passed / self.checked) if self.checked else 0


@dataclass
class Dashboard:
    campaigns: list
    by_sector: list[Rate] = field(default_factory=list)
    by_region: list[Rate] = field(default_factory=list)
    open_rectifications: int = 0
    overdue_rectifications: list = field(default_factory=list)
    status_counts: dict = field(default_factory=dict)


def regulator_dashboard(user) -> Dashboard:
    campaigns = list(
        campaigns_visible_to(user).annotate(
            checked=Count("enterprises", filter=~Q(enterprises__verdict="pending")),
            passed=Count("enterprises", filter=Q(enterprises__verdict="pass")),
        )
    )
    sectors = dict(Organisation.Sector.choices)
    by_sector: dict[str, Rate] = {}
    by_region: dict[str, Rate] = {}
    for sector, region, verdict in DrawnEnterprise.objects.filter(
        campaign__in=[c.pk for c in campaigns], campaign__status=Campaign.Status.CLOSED
    ).values_list("enterprise__sector", "enterprise__region_code", "verdict"):
        for bucket, key, label in (
            (by_sector, sector, str(sectors.get(sector, sector))),
            (by_region, region, regions.name_of(region)),
        ):
            rate = bucket.setdefault(key, Rate(label=label))
            rate.checked += 1
            rate.passed += verdict == DrawnEnterprise.Verdict.PASS
    rectifications = rectifications_for_regulator(user)
    today = timezone.localdate()
    open_qs = rectifications.exclude(status=Rectification.Status.ACCEPTED)
    overdue = [r for r in open_qs if r.is_overdue(today=today)]
    counts = dict(
        Campaign.objects.filter(pk__in=[c.pk for c in campaigns])
        .values_list("status")
        .annotate(n=Count("pk"))
    )
    # by the status's name, in the campaign's order of life (draft → closed)
    status_counts = {
        str(label): counts[value] for value, label in Campaign.Status.choices if value in counts
    }
    return Dashboard(
        campaigns=campaigns,
        by_sector=sorted(by_sector.values(), key=lambda r: r.label),
        by_region=sorted(by_region.values(), key=lambda r: r.label),
        open_rectifications=open_qs.count(),
        overdue_rectifications=overdue,
        status_counts=status_counts,
    )


# --- home page panels and admin to-dos ------------------------------------------------------


def rectification_reports_to_decide(user) -> QuerySet[Rectification]:
    """Reports submitted to the user's regulator and not yet accepted or returned."""
    return rectifications_for_regulator(user).filter(status=Rectification.Status.SUBMITTED)


def rectifications_owed_by(user) -> QuerySet[Rectification]:
    """Rectifications the firms the user heads compliance for still owe a report on."""
    return Rectification.objects.filter(
        drawn_enterprise__in=spot_checks_for_enterprise(user).values("pk"),
        status__in=Rectification.OWED_STATUSES,
    )


@dataclass
class RegulatorHome:
    active_campaigns: list
    to_review: int
    overdue: int


def regulator_home(user) -> RegulatorHome:
    """What a regulator's officer should act on: campaigns under way, reports to decide on,
    overdue rectifications (three queries)."""
    return RegulatorHome(
        active_campaigns=list(
            campaigns_visible_to(user)
            .exclude(status=Campaign.Status.CLOSED)
            .order_by("closes_at")[:5]
        ),
        to_review=rectification_reports_to_decide(user).count(),
        overdue=rectifications_for_regulator(user)
        .filter(status__in=Rectification.OWED_STATUSES, deadline__lt=timezone.localdate())
        .count(),
    )


@dataclass
class EnterpriseHome:
    current_draws: list
    open_rectifications: list


def enterprise_home(user) -> EnterpriseHome:
    """For an enterprise's compliance head: spot checks under way that drew the firm, and
    rectifications still owed (two queries; never another firm's)."""
    return EnterpriseHome(
        current_draws=list(
            spot_checks_for_enterprise(user).exclude(campaign__status=Campaign.Status.CLOSED)[:5]
        ),
        open_rectifications=list(
            rectifications_owed_by(user).select_related(
                "drawn_enterprise__campaign", "drawn_enterprise__enterprise"
            )[:5]
        ),
    )


def rectification_reports_to_decide_count(user) -> int:
    return rectification_reports_to_decide(user).count() if is_regulator_staff(user) else 0


def rectifications_owed_count(user) -> int:
    return rectifications_owed_by(user).count() if is_enterprise_head(user) else 0


def final_outcomes() -> QuerySet[DrawnPerson]:
    """Drawn people of closed campaigns with their final outcome, for the records backfill."""
    return (
        DrawnPerson.objects.filter(campaign__status=Campaign.Status.CLOSED)
        .exclude(outcome=Outcome.PENDING)
        .select_related("campaign", "staff__department")
        .order_by("pk")
    )


# --- an organisation's figures for a period: aggregates only, for a caller that has checked the
# reader may see the organisation (the quarterly dispatch report)


def spot_check_figures(*, organisation_id: int, start, end) -> dict:
    """The regulators' spot checks of the enterprise whose exam opened in [start, end] (drawn
    campaigns only: a draft says nothing yet), and its rectifications: issued in the period,
    accepted in the period, and still open at the period's end."""
    checks = [
        {
            "campaign": drawn.campaign.title,
            "regulator": drawn.campaign.regulator.name,
            "drawn": drawn.drawn_count,
            "passed": drawn.passed_count,
            "verdict": drawn.get_verdict_display(),
        }
        for drawn in DrawnEnterprise.objects.filter(
            enterprise_id=organisation_id,
            campaign__status__in=VISIBLE_TO_ENTERPRISE,
            campaign__opens_at__date__range=(start, end),
        )
        .select_related("campaign__regulator")
        .order_by("campaign__opens_at", "pk")
    ]
    rectifications = Rectification.objects.filter(drawn_enterprise__enterprise_id=organisation_id)
    return {
        "checks": checks,
        "rectifications_issued": rectifications.filter(
            created_at__date__range=(start, end)
        ).count(),
        "rectifications_accepted": rectifications.filter(
            status=Rectification.Status.ACCEPTED, decided_at__date__range=(start, end)
        ).count(),
        "rectifications_open": rectifications.filter(created_at__date__lte=end)
        .exclude(status=Rectification.Status.ACCEPTED, decided_at__date__lte=end)
        .count(),
    }


# --- aggregates per enterprise, for a regulator's oversight (no personal data) ---------------
def spot_checks_by_enterprise(
    *, enterprise_ids, year: int, today=None
) -> dict[int, dict[str, int]]:
    """Per enterprise, the spot checks whose exam closed in `year`: drawn, passed, failed;
    rectifications issued, accepted, still open and overdue. One GROUP BY query; counts only."""
    today = today or timezone.localdate()
    rows = (
        DrawnEnterprise.objects.filter(
            enterprise_id__in=enterprise_ids, campaign__closes_at__year=year
        )
        .exclude(campaign__status__in=(Campaign.Status.DRAFT, Campaign.Status.COMMITTED))
        .values("enterprise_id")
        .annotate(
            drawn=Count("pk"),
            passed=Count("pk", filter=Q(verdict=DrawnEnterprise.Verdict.PASS)),
            failed=Count("pk", filter=Q(verdict=DrawnEnterprise.Verdict.FAIL)),
            rectifications=Count("rectification"),
            rectifications_accepted=Count(
                "rectification",
                filter=Q(rectification__status=Rectification.Status.ACCEPTED),
            ),
            rectifications_overdue=Count(
                "rectification",
                filter=Q(
                    rectification__status__in=Rectification.OWED_STATUSES,
                    rectification__deadline__lt=today,
                ),
            ),
        )
    )
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        counts: dict = dict(row)
        result[counts.pop("enterprise_id")] = counts
    return result
