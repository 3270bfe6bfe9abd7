import datetime

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from lms.organisations.access import access_for
from lms.organisations.selectors import group_readable, staff_active

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
    qs = CommitmentCampaign.objects.select_related("template__organisation")
    ids = _org_ids(user, manage=manage)
    return qs if ids is None else qs.filter(template__organisation_id__in=ids)


def campaigns_manageable_by(user) -> QuerySet[CommitmentCampaign]:
    return campaigns_visible_to(user, manage=True)


def campaigns_with_counts(qs: QuerySet[CommitmentCampaign], today: datetime.date | None = None):
    """Each campaign with n_signed, n_pending and n_overdue (pending past the due date)."""
    today = today or timezone.localdate()
    signed = Q(signatures__status=CommitmentSignature.Status.SIGNED)
    pending = Q(signatures__status=CommitmentSignature.Status.PENDING)
    return qs.annotate(
        n_signed=Count("signatures", filter=signed),
        n_pending=Count("signatures", filter=pending),
        n_overdue=Count("signatures", filter=pending & Q(due_on__lt=today)),
    )


def audience_staff(campaign: CommitmentCampaign, today: datetime.date | None = None):
    """The active staff of the campaign's organisation its audience names."""
    today = today or timezone.localdate()
    staff = staff_active().filter(organisation_id=campaign.template.organisation_id)
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
    """Open new-hire campaigns of an organisation (due date not past)."""
    today = today or timezone.localdate()
    return CommitmentCampaign.objects.filter(
        template__organisation_id=organisation_id,
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
    """A subsidiary's campaigns with their counts, for its group's read-only roll-up (None: not
    the user's to read)."""
    if not group_readable(user, organisation_id=organisation_id):
        return None
    qs = CommitmentCampaign.objects.filter(template__organisation_id=organisation_id)
    return list(campaigns_with_counts(qs, today).order_by("-due_on", "pk")[:20])
