"""Key-position duty lists: writing a new version, asking the holders to acknowledge it, the
acknowledgement itself (signed like a commitment letter, through commitments' signing helpers),
and the courses a post carries for its duties' compliance domains. Every change audited."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from content.selectors import courses_in_domains
from lms.audit.services import audit_record
from lms.commitments.services import date_text, signing_errors, stamp_signed
from lms.learning.services import enrolment_assign_post_courses
from lms.notifications.services import notification_send
from lms.organisations.access import access_for
from lms.refusals import Refused

from . import selectors, text
from .models import DutyAcknowledgement, DutyItem, DutyList, DutyListVersion, PostCourse
from .notices import DUTY_LIST

POST_COURSE_DUE_DAYS = 30
SIGNED_TEXT_LANGUAGE = "zh-hans"  # the signed text is an official document, kept in Chinese


class DutyListRefused(Refused):
    """A duty list that cannot be written or acknowledged by this person, or not now."""


@dataclass
class ItemInput:
    text: str
    clause_ids: list[int] = field(default_factory=list)
    domain_ids: list[int] = field(default_factory=list)


def _editable_position(actor, position_id: int):
    """The key position the actor may write the duty list of; a refusal says why not: 403 for
    someone who keeps no duty lists (a learner) or is outranked, 404 outside their scope."""
    if not selectors.may_keep_duty_lists(actor):
        raise DutyListRefused(
            _(
                "Only the compliance head, the chief compliance officer and the compliance "
                "administrators of the organisation write its duty lists."
            ),
            status=403,
        )
    position = selectors.key_positions_visible_to(actor).filter(pk=position_id).first()
    if position is None:
        raise DutyListRefused(_("There is no such key position for you."), status=404)
    if not selectors.key_positions_editable_by(actor).filter(pk=position_id).exists():
        raise DutyListRefused(
            _(
                "The position %(position)s ranks at or above you: someone who ranks above it "
                "writes its duty list."
            )
            % {"position": position.name},
            status=403,
        )
    return position


@transaction.atomic
def duty_list_revise(*, actor, position_id: int, items: list[ItemInput], note: str = ""):
    """Write the duty list of a key position as a new version (the first one creates the
    list); its holders are asked to acknowledge it. Returns the new version."""
    position = _editable_position(actor, position_id)
    items = [i for i in items if (i.text or "").strip()]
    if not items:
        raise ValidationError({"items": _("Write at least one duty.")})
    clause_ids = {pk for i in items for pk in i.clause_ids}
    domain_ids = {pk for i in items for pk in i.domain_ids}
    if clause_ids - set(
        selectors.clause_choices().filter(pk__in=clause_ids).values_list("pk", flat=True)
    ):
        raise ValidationError({"items": _("A cited clause is not in the regulation library.")})
    if domain_ids - set(
        selectors.domain_choices().filter(pk__in=domain_ids).values_list("pk", flat=True)
    ):
        raise ValidationError({"items": _("Choose compliance domains from the list.")})
    duty_list, _created = DutyList.objects.select_for_update().get_or_create(
        position_id=position.pk, defaults={"organisation_id": position.organisation_id}
    )
    version = DutyListVersion.objects.create(
        duty_list=duty_list,
        number=duty_list.current_version + 1,
        note=(note or "").strip()[:300],
        created_by=actor,
    )
    for order, item in enumerate(items, start=1):
        duty = DutyItem.objects.create(version=version, order=order, text=item.text.strip())
        duty.clauses.set(item.clause_ids)
        duty.domains.set(item.domain_ids)
    duty_list.current_version = version.number
    duty_list.save(update_fields=["current_version"])
    audit_record(
        action="dutylists.version_written",
        target=duty_list,
        actor=actor,
        organisation=position.organisation,
        data={"position": position.name, "version": version.number, "items": len(items)},
    )
    _ask_to_acknowledge(version, list(selectors.holders_of(position.pk)))
    return version


def _ask_to_acknowledge(version: DutyListVersion, staff_list) -> list[DutyAcknowledgement]:
    """Pending acknowledgements of this version for these holders (only the missing ones), each
    told once the transaction commits."""
    have = set(version.acknowledgements.values_list("staff_id", flat=True))
    DutyAcknowledgement.objects.bulk_create(
        [
            DutyAcknowledgement(version=version, staff=staff, user_id=staff.user_id)
            for staff in staff_list
            if staff.pk not in have
        ],
        ignore_conflicts=True,
    )
    added = list(
        version.acknowledgements.exclude(staff_id__in=have)
        .filter(status=DutyAcknowledgement.Status.PENDING)
        .select_related("user")
    )
    params = {"position": version.duty_list.position.name, "version": version.number}
    transaction.on_commit(lambda: _tell(added, params))
    return added


def _tell(acknowledgements: list[DutyAcknowledgement], params: dict) -> None:
    for ack in acknowledgements:
        notification_send(
            user=ack.user,
            key=f"dutylist:{ack.pk}:to_acknowledge",
            kind=DUTY_LIST,
            params=params,
            link=reverse("dutylists:acknowledge", kwargs={"pk": ack.pk}),
        )


def holders_changed(*, organisation_id: int, staff_ids) -> int:
    """People joined, moved or changed position: whoever now holds a key post with a duty list
    is asked to acknowledge it (unless they already have) and enrolled in the post's courses.
    Returns how many were asked."""
    asked = 0
    people = (
        selectors.holders_of_any()
        .filter(organisation_id=organisation_id, pk__in=list(staff_ids), position__is_key=True)
        .select_related("position")
    )
    for staff in people:
        version = selectors.current_version(staff.position_id)
        if version is None:
            continue
        with transaction.atomic():
            asked += len(_ask_to_acknowledge(version, [staff]))
            _enrol_in_post_courses(staff=staff, position=staff.position, actor=None)
    return asked


def acknowledgement_text(ack: DutyAcknowledgement, on=None) -> str:
    """The duty list as this person reads (and would acknowledge) it today."""
    version = selectors.version_with_items(ack.version_id)
    on = on or timezone.localdate()
    duties = [
        text.Duty(
            text=item.text,
            clauses=tuple(f"《{c.page.title}》{c}" for c in item.clauses.all()),
            domains=tuple(d.name for d in item.domains.all()),
        )
        for item in version.items.all()
    ]
    with translation.override(SIGNED_TEXT_LANGUAGE):
        return text.render(
            organisation=version.duty_list.organisation.name,
            position=version.duty_list.position.name,
            version=version.number,
            duties=duties,
            name=ack.user.full_name,
            employee_number=ack.staff.employee_number,
            date=date_text(on),
        )


@transaction.atomic
def duty_list_acknowledge(
    *,
    acknowledgement_id: int,
    user,
    typed_name: str,
    confirmed: bool,
    ip_address: str | None = None,
    user_agent: str = "",
) -> DutyAcknowledgement:
    """The person in the post acknowledges the current version of its duty list: the text as
    they read it is kept with its SHA-256, the time, their address and browser. Someone else's
    acknowledgement is not found (404); an old version, an acknowledged one or a post they no
    longer hold is refused with the reason."""
    ack = (
        DutyAcknowledgement.objects.select_for_update(of=("self",))
        .select_related("version__duty_list__position", "staff", "user")
        .filter(pk=acknowledgement_id)
        .first()
    )
    if ack is None or ack.user_id != user.pk:
        raise DutyListRefused(_("There is no such duty list for you to acknowledge."), status=404)
    if ack.status == DutyAcknowledgement.Status.SIGNED:
        raise DutyListRefused(
            _("You acknowledged this duty list on %(date)s.")
            % {"date": timezone.localtime(ack.signed_at).strftime("%Y-%m-%d %H:%M")},
            status=409,
        )
    duty_list = ack.version.duty_list
    if ack.version.number != duty_list.current_version:
        raise DutyListRefused(
            _(
                "This is version %(old)d of the duty list of %(position)s; it has been replaced "
                "by version %(new)d. Read and acknowledge the current version."
            )
            % {
                "old": ack.version.number,
                "new": duty_list.current_version,
                "position": duty_list.position.name,
            },
            status=409,
        )
    if (
        ack.staff.position_id != duty_list.position_id
        or not selectors.holders_of(duty_list.position_id).filter(pk=ack.staff_id).exists()
    ):
        raise DutyListRefused(
            _("You no longer hold the position %(position)s.")
            % {"position": duty_list.position.name},
            status=409,
        )
    errors = signing_errors(
        typed_name=typed_name,
        full_name=user.full_name,
        confirmed=confirmed,
        unconfirmed=_("Tick the box to confirm that you have read the duties of your post."),
    )
    if errors:
        raise DutyListRefused(errors)
    now = timezone.now()
    stamp_signed(
        ack,
        text=acknowledgement_text(ack, timezone.localdate(now)),
        typed_name=typed_name,
        ip_address=ip_address,
        user_agent=user_agent,
        now=now,
    )
    ack.status = DutyAcknowledgement.Status.SIGNED
    ack.save()
    audit_record(
        action="dutylists.acknowledged",
        target=ack,
        actor=user,
        organisation=duty_list.organisation,
        ip_address=ip_address,
        data={
            "position": duty_list.position.name,
            "version": ack.version.number,
            "sha256": ack.text_sha256,
        },
    )
    return ack


def _enrol_in_post_courses(*, staff, position, actor) -> int:
    course_ids = list(selectors.post_courses_of(position.pk).values_list("course_id", flat=True))
    if not course_ids:
        return 0
    new = enrolment_assign_post_courses(
        staff=staff,
        course_ids=course_ids,
        reason=_("Compliance duties of the post %(position)s") % {"position": position.name},
        due_on=timezone.localdate() + timedelta(days=POST_COURSE_DUE_DAYS),
        actor=actor,
    )
    return len(new)


@transaction.atomic
def post_courses_add(*, actor, position_id: int) -> dict:
    """Add to the post the courses of its duties' compliance domains (live courses open to the
    organisation) and enrol its holders in them. Returns {"courses": added, "enrolments": n,
    "skipped": holders who rank at or above the actor, left for someone above them}."""
    position = _editable_position(actor, position_id)
    version = selectors.current_version(position.pk)
    if version is None:
        raise DutyListRefused(_("Write the duty list of the post first."))
    domains = list(
        dict.fromkeys(d.name for item in version.items.all() for d in item.domains.all())
    )
    if not domains:
        raise DutyListRefused(_("No duty of this list names a compliance domain."))
    have = set(selectors.post_courses_of(position.pk).values_list("course_id", flat=True))
    added = []
    for course in courses_in_domains(organisation_id=position.organisation_id, domains=domains):
        if course.pk in have:
            continue
        domain = next((n for n in course.domains.names() if n in domains), domains[0])
        added.append(
            PostCourse.objects.create(
                duty_list=version.duty_list, course=course, domain=domain, added_by=actor
            )
        )
    enrolled, skipped = 0, 0
    access = access_for(actor)
    for staff in selectors.holders_of(position.pk):
        if staff.user_id == access.user_id:
            skipped += 1
            continue
        try:
            enrolled += _enrol_in_post_courses(staff=staff, position=position, actor=actor)
        except (PermissionDenied, ValidationError):
            skipped += 1
    audit_record(
        action="dutylists.courses_added",
        target=version.duty_list,
        actor=actor,
        organisation=position.organisation,
        data={
            "position": position.name,
            "courses": [p.course.title for p in added],
            "enrolments": enrolled,
        },
    )
    return {"courses": added, "enrolments": enrolled, "skipped": skipped}
