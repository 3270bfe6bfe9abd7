"""Commitment letters: templates, campaigns, signing. Every change audited."""

import datetime
import hashlib

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.services import audit_record, editable_fields, saved_changes, stored_state
from lms.notifications.services import notification_send
from lms.organisations.access import access_for
from lms.refusals import Refused

from . import placeholders, selectors
from .models import CommitmentCampaign, CommitmentSignature, CommitmentTemplate, validate_body
from .notices import COMMITMENTS
from .signals import commitment_signed


class SigningRefused(Refused):
    """A letter that cannot be signed (not the person's, already signed, a wrong name)."""


def date_text(value: datetime.date) -> str:
    """A date as a signed document writes it (2026年3月1日)."""
    return f"{value.year}年{value.month}月{value.day}日"


def signing_errors(*, typed_name: str, full_name: str, confirmed: bool, unconfirmed: str) -> list:
    """Why a typed signature is not accepted (empty: it is): the name as on the roster, and the
    box ticked (`unconfirmed` says what the box confirms)."""
    errors = []
    if not names_match(typed_name, full_name):
        errors.append(_("Type your full name exactly as it is on the roster."))
    if not confirmed:
        errors.append(unconfirmed)
    return errors


def stamp_signed(
    record, *, text: str, typed_name: str, ip_address, user_agent, now: datetime.datetime
) -> None:
    """What a signed document keeps (a commitment letter, a duty list's acknowledgement): the
    text as read, its SHA-256, the typed name, the time, the address and the browser."""
    record.text = text
    record.text_sha256 = text_hash(text)
    record.typed_name = typed_name.strip()
    record.signed_at = now
    record.ip_address = ip_address or None
    record.user_agent = (user_agent or "")[:500]


def letter_values(signature: CommitmentSignature, on: datetime.date) -> dict[str, str]:
    staff = signature.staff
    return {
        "name": signature.user.full_name,
        "employee_number": staff.employee_number,
        # the signer's own organisation (a group-wide campaign reaches its subsidiaries)
        "organisation": staff.organisation.name,
        "position": staff.position.name if staff.position is not None else "",
        "date": date_text(on),
    }


def letter_text(signature: CommitmentSignature, on: datetime.date | None = None) -> str:
    """The letter as this person reads (and would sign) it today."""
    on = on or timezone.localdate()
    return placeholders.fill(signature.campaign.template.body, letter_values(signature, on))


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def commitment_template_save(*, template: CommitmentTemplate, actor) -> CommitmentTemplate:
    validate_body(template.body)  # ValidationError naming the unknown placeholder
    is_new = template.pk is None
    tracked = editable_fields(CommitmentTemplate)
    before = stored_state(template, tracked)
    template.save()
    audit_record(
        action="commitments.template_created" if is_new else "commitments.template_changed",
        target=template,
        actor=actor,
        organisation=template.organisation,
        data={"title": template.title, "changes": saved_changes(template, before, tracked)},
    )
    return template


def group_campaign_refusal(*, campaign: CommitmentCampaign, actor) -> str | None:
    """Why the actor may not run this campaign across the group (None: they may, or it is not
    group-wide). Only the letter's organisation's compliance head or chief compliance officer
    runs it; no actor is the platform itself."""
    if not campaign.include_subsidiaries or actor is None:
        return None
    if access_for(actor).may_run_group_campaign(campaign.template.organisation_id):
        return None
    return _(
        "Only the compliance head or the chief compliance officer of %(organisation)s may run "
        "a campaign across its subsidiaries."
    ) % {"organisation": campaign.template.organisation.name}


def commitment_campaign_save(*, campaign: CommitmentCampaign, actor) -> CommitmentCampaign:
    refusal = group_campaign_refusal(campaign=campaign, actor=actor)
    if refusal:
        raise PermissionDenied(refusal)
    is_new = campaign.pk is None
    if is_new:
        campaign.created_by = actor
    tracked = editable_fields(CommitmentCampaign)
    before = stored_state(campaign, tracked)
    campaign.save()
    audit_record(
        action="commitments.campaign_created" if is_new else "commitments.campaign_changed",
        target=campaign,
        actor=actor,
        organisation=campaign.template.organisation,
        data={
            "title": campaign.title,
            "audience": campaign.audience,
            "include_subsidiaries": campaign.include_subsidiaries,
            "changes": saved_changes(campaign, before, tracked),
        },
    )
    if is_new:
        campaign_launch(campaign=campaign, actor=actor)
    return campaign


def _add_signatures(campaign: CommitmentCampaign, staff_list) -> list[CommitmentSignature]:
    have = set(campaign.signatures.values_list("staff_id", flat=True))
    created = CommitmentSignature.objects.bulk_create(
        [
            CommitmentSignature(campaign=campaign, staff=staff, user_id=staff.user_id)
            for staff in staff_list
            if staff.pk not in have
        ],
        ignore_conflicts=True,
    )
    signatures = list(
        CommitmentSignature.objects.filter(
            campaign=campaign, staff_id__in=[s.staff_id for s in created]
        ).select_related("user")
    )
    params = {"title": campaign.template.title, "due": campaign.due_on.isoformat()}
    transaction.on_commit(lambda: _tell_to_sign(signatures, params))
    return created


def _tell_to_sign(signatures: list[CommitmentSignature], params: dict) -> None:
    link = reverse("commitments:mine")
    for signature in signatures:
        notification_send(
            user=signature.user,
            key=f"commitment:{signature.pk}:to_sign",
            kind=COMMITMENTS,
            params=params,
            link=link,
        )


@transaction.atomic
def campaign_launch(*, campaign: CommitmentCampaign, actor=None) -> int:
    """Create the pending letters of the campaign's audience (again: only the missing ones) and
    tell each person. Returns how many were added."""
    created = _add_signatures(campaign, selectors.audience_staff(campaign))
    if campaign.launched_at is None:
        campaign.launched_at = timezone.now()
        campaign.save(update_fields=["launched_at"])
    audit_record(
        action="commitments.campaign_launched",
        target=campaign,
        actor=actor,
        organisation=campaign.template.organisation,
        data={"added": len(created)},
    )
    return len(created)


def new_hires_joined(*, organisation_id: int, staff_ids) -> int:
    """People who joined (or changed) an organisation: into each open new-hire campaign they
    now belong to. Returns how many letters were added."""
    added = 0
    for campaign in selectors.new_hire_campaigns_of(organisation_id):
        staff = selectors.audience_staff(campaign).filter(pk__in=list(staff_ids))
        added += len(_add_signatures(campaign, staff))
    return added


def names_match(typed: str, full_name: str) -> bool:
    """Whether a typed signature is the person's full name (spaces and case aside)."""

    def norm(value: str) -> str:
        return "".join((value or "").split()).casefold()

    return bool(norm(full_name)) and norm(typed) == norm(full_name)


@transaction.atomic
def commitment_sign(
    *,
    signature_id: int,
    user,
    typed_name: str,
    confirmed: bool,
    ip_address: str | None = None,
    user_agent: str = "",
) -> CommitmentSignature:
    signature = (
        CommitmentSignature.objects.select_for_update(of=("self",))
        .select_related(
            "campaign__template__organisation", "staff__position", "staff__organisation", "user"
        )
        .filter(pk=signature_id)
        .first()
    )
    if signature is None or signature.user_id != user.pk:
        raise SigningRefused(_("There is no such letter for you to sign."), status=404)
    if signature.status == CommitmentSignature.Status.SIGNED:
        raise SigningRefused(
            _("You signed this letter on %(date)s; a letter is signed once.")
            % {"date": timezone.localtime(signature.signed_at).strftime("%Y-%m-%d %H:%M")}
        )
    errors = signing_errors(
        typed_name=typed_name,
        full_name=user.full_name,
        confirmed=confirmed,
        unconfirmed=_("Tick the box to confirm that you have read and accept the letter."),
    )
    if errors:
        raise SigningRefused(errors)
    now = timezone.now()
    stamp_signed(
        signature,
        text=letter_text(signature, timezone.localdate(now)),
        typed_name=typed_name,
        ip_address=ip_address,
        user_agent=user_agent,
        now=now,
    )
    signature.status = CommitmentSignature.Status.SIGNED
    signature.save()
    audit_record(
        action="commitments.signed",
        target=signature,
        actor=user,
        organisation=signature.staff.organisation,
        ip_address=ip_address,
        data={"campaign": signature.campaign.title, "sha256": signature.text_sha256},
    )
    transaction.on_commit(
        lambda: commitment_signed.send(sender=CommitmentSignature, signature=signature)
    )
    return signature


def check_result(signature: CommitmentSignature) -> dict:
    """What the public check shows: whether the stored text still hashes to its recorded hash."""
    return {"intact": text_hash(signature.text) == signature.text_sha256}
