import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lms.organisations.access import access_for, ancestor_ids, group_org_ids
from lms.organisations.selectors import group_readable, organisation_names, staff_active

from .models import CommitmentCampaign, CommitmentSignature, CommitmentTemplate


def _org_ids(user, *, manage: bool) -> set[int] | None:
    """None: every organisation (platform administrator)."""
    access = access_for(user)
    if access.is_platform_admin:
        return None
    return set(access.head_org_ids if manage else access.admin_org_ids | access.head_org_ids)


def templates_visible_to(user, *, manage: bool = False) -> QuerySet[CommitmentTemplate]:
    qs = CommitmentTemplate.objects.select_related("organisation")
    ids = _org_ids(user, manage=manage)
    return qs if ids is None else qs.filter(organisation_id__in=ids)


def templates_manageable_by(user) -> QuerySet[CommitmentTemplate]:
    return templates_visible_to(user, manage=True)


def campaigns_visible_to(user, *, manage: bool = False) -> QuerySet[CommitmentCampaign]:
    """Campaigns of the user's organisations; to read (not `manage`), also their groups'
    campaigns that include subsidiaries and so reach them (whose counts the reader sees for
    their own people only: `signature_org_ids`)."""
    qs = CommitmentCampaign.objects.select_related("template__organisation")
    ids = _org_ids(user, manage=manage)
    if ids is None:
        return qs
    mine = Q(template__organisation_id__in=ids)
    if not manage:
        mine |= Q(include_subsidiaries=True, template__organisation_id__in=ancestor_ids(ids))
    return qs.filter(mine)


def campaigns_manageable_by(user) -> QuerySet[CommitmentCampaign]:
    return campaigns_visible_to(user, manage=True)


def signature_org_ids(user) -> frozenset[int] | None:
    """The organisations whose people's letters the user counts (None: every one, the platform
    administrator): their own as an administrator and, read-only, their subsidiaries'. A
    group-wide campaign read by a subsidiary's head counts that subsidiary's people only."""
    access = access_for(user)
    return None if access.is_platform_admin else access.readable_figure_org_ids


def campaigns_with_counts(
    qs: QuerySet[CommitmentCampaign],
    today: datetime.date | None = None,
    *,
    org_ids=None,
):
    """Each campaign with n_signed, n_pending and n_overdue (pending past the due date),
    counting the people of `org_ids` only when given."""
    today = today or timezone.localdate()
    signed = Q(signatures__status=CommitmentSignature.Status.SIGNED)
    pending = Q(signatures__status=CommitmentSignature.Status.PENDING)
    if org_ids is not None:
        within = Q(signatures__staff__organisation_id__in=list(org_ids))
        signed &= within
        pending &= within
    return qs.annotate(
        n_signed=Count("signatures", filter=signed),
        n_pending=Count("signatures", filter=pending),
        n_overdue=Count("signatures", filter=pending & Q(due_on__lt=today)),
    )


def campaign_org_ids(campaign: CommitmentCampaign) -> set[int]:
    """The organisations a campaign picks its audience from: the letter's, and with
    `include_subsidiaries` every subsidiary below it."""
    organisation_id = campaign.template.organisation_id
    return group_org_ids(organisation_id) if campaign.include_subsidiaries else {organisation_id}


def audience_staff(campaign: CommitmentCampaign, today: datetime.date | None = None):
    """The active staff of the campaign's organisation (and its subsidiaries, for a group-wide
    campaign) its audience names."""
    today = today or timezone.localdate()
    staff = staff_active().filter(organisation_id__in=campaign_org_ids(campaign))
    audience = campaign.audience
    if audience == CommitmentCampaign.Audience.MANAGEMENT:
        staff = staff.filter(position__is_management=True)
    elif audience == CommitmentCampaign.Audience.KEY_POSITIONS:
        staff = staff.filter(position__is_key=True)
    elif audience == CommitmentCampaign.Audience.NEW_HIRES:
        since = today - datetime.timedelta(days=campaign.new_hire_days)
        staff = staff.filter(hire_date__gte=since, hire_date__lte=today)
    return staff.select_related("user")


def signatures_of(user) -> QuerySet[CommitmentSignature]:
    """The person's own letters, newest first."""
    return CommitmentSignature.objects.filter(user=user).select_related(
        "campaign__template__organisation"
    )


def signature_by_token(token: str) -> CommitmentSignature | None:
    return (
        CommitmentSignature.objects.filter(token=token, status=CommitmentSignature.Status.SIGNED)
        .select_related("campaign__template__organisation", "user", "staff")
        .first()
    )


def pending_count_of(user) -> int:
    return signatures_of(user).filter(status=CommitmentSignature.Status.PENDING).count()


def new_hire_campaigns_of(organisation_id: int, today: datetime.date | None = None):
    """Open new-hire campaigns reaching an organisation (due date not past): its own and its
    groups' campaigns that include subsidiaries."""
    today = today or timezone.localdate()
    return CommitmentCampaign.objects.filter(
        Q(template__organisation_id=organisation_id)
        | Q(
            include_subsidiaries=True, template__organisation_id__in=ancestor_ids([organisation_id])
        ),
        audience=CommitmentCampaign.Audience.NEW_HIRES,
        launched_at__isnull=False,
        due_on__gte=today,
    ).select_related("template")


def signatures_signed_all() -> QuerySet[CommitmentSignature]:
    """Every signed letter (the records backfill)."""
    return (
        CommitmentSignature.objects.filter(status=CommitmentSignature.Status.SIGNED)
        .select_related("campaign__template", "staff")
        .order_by("pk")
    )


def signed_letters_of_staff(*, staff_ids) -> QuerySet[CommitmentSignature]:
    """The letters these memberships signed (the compliance file: the caller checked who may
    read), oldest first."""
    return (
        CommitmentSignature.objects.filter(
            staff_id__in=staff_ids, status=CommitmentSignature.Status.SIGNED
        )
        .select_related("campaign__template")
        .order_by("staff_id", "signed_at", "pk")
    )


def group_campaigns_of(*, user, organisation_id: int, today: datetime.date | None = None):
    """A subsidiary's campaigns, its own and its groups' that reach it, each counting the
    subsidiary's people only, for its group's read-only roll-up (None: not the user's to
    read)."""
    if not group_readable(user, organisation_id=organisation_id):
        return None
    qs = CommitmentCampaign.objects.filter(
        Q(template__organisation_id=organisation_id)
        | Q(
            include_subsidiaries=True, template__organisation_id__in=ancestor_ids([organisation_id])
        )
    ).select_related("template__organisation")
    return list(
        campaigns_with_counts(qs, today, org_ids=[organisation_id]).order_by("-due_on", "pk")[:20]
    )


def campaign_progress_for(user, *, pk: int, today: datetime.date | None = None) -> dict | None:
    """A campaign's completion per organisation it reaches, for the organisations the reader
    counts (`signature_org_ids`): the group sees each subsidiary, a subsidiary's head their own
    organisation only. The people still to sign are listed for the reader's own organisations
    (where they administer), never for a subsidiary read through the group. None: not theirs."""
    campaign = campaigns_visible_to(user).filter(pk=pk).first()
    if campaign is None:
        return None
    today = today or timezone.localdate()
    readable = signature_org_ids(user)
    reached = campaign_org_ids(campaign)
    shown = reached if readable is None else reached & set(readable)
    access = access_for(user)
    own = (
        shown if access.is_platform_admin else shown & (access.admin_org_ids | access.head_org_ids)
    )
    signatures = CommitmentSignature.objects.filter(
        campaign=campaign, staff__organisation_id__in=shown
    )
    counts: dict[int, dict[str, int]] = {org_id: {"signed": 0, "pending": 0} for org_id in shown}
    for org_id, status, n in signatures.values_list("staff__organisation_id", "status").annotate(
        n=Count("pk")
    ):
        key = "signed" if status == CommitmentSignature.Status.SIGNED else "pending"
        counts[org_id][key] += n
    names = organisation_names(shown)
    rows = []
    for org_id in sorted(
        shown, key=lambda i: (i != campaign.template.organisation_id, names.get(i, ""))
    ):
        signed, pending = counts[org_id]["signed"], counts[org_id]["pending"]
        total = signed + pending
        rows.append(
            {
                "organisation_id": org_id,
                "name": names.get(org_id, ""),
                "signed": signed,
                "pending": pending,
                "total": total,
                "percent": round(100 * signed / total) if total else 0,
                "own": org_id in own,
            }
        )
    to_sign = list(
        signatures.filter(staff__organisation_id__in=own, status=CommitmentSignature.Status.PENDING)
        .select_related("user", "staff__organisation", "staff__department")
        .order_by("staff__organisation__name", "user__full_name", "pk")
    )
    return {
        "campaign": campaign,
        "rows": rows,
        "to_sign": to_sign,
        "overdue": campaign.due_on < today,
    }
