"""Changes of state for organisations and people. Each writes the audit log."""

from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.services import (
    ANONYMOUS,
    attempted_identifier,
    audit_record,
    audit_saved,
    audited_save,
    first_lock_out_this_minute,
    masked_identifier,
    saved_changes,
    stored_state,
)
from lms.refusals import Refused

from . import roles, signals
from .access import (
    DEPARTMENT_ADMIN_ROLES,
    HEAD_ROLES,
    ORG_ADMIN_ROLES,
    access_for,
    appointment_refusal,
    membership_saved,
    position_change_refusal,
    staff_change_refusal,
)
from .gates import appointment_refusals
from .models import (
    Appointment,
    ComplianceRole,
    Department,
    Jurisdiction,
    Organisation,
    Position,
    Staff,
)

User = get_user_model()


# What an audited save records the before and after of (issue 10: a change of a position's
# compliance role changes people's permissions, and its entry must say so).
ORGANISATION_TRACKED = (
    "name",
    "short_name",
    "kind",
    "credit_code",
    "sector",
    "regulator_type",
    "region_code",
    "parent",
    "is_key_subsidiary",
    "risk_grade",
    "is_active",
)
DEPARTMENT_TRACKED = ("name", "parent")
POSITION_TRACKED = (
    "name",
    "compliance_role",
    "is_key",
    "is_high_risk",
    "is_management",
    "needs_pre_appointment_exam",
)
STAFF_TRACKED = ("department", "position", "status", "employee_number", "hire_date")


@transaction.atomic
def organisation_save(*, organisation: Organisation, actor=None) -> Organisation:
    audited_save(organisation, tracked=ORGANISATION_TRACKED, actor=actor)
    return organisation


@transaction.atomic
def jurisdiction_save(*, jurisdiction: Jurisdiction, enterprises=None, actor=None) -> Jurisdiction:
    """Save what a regulator may spot-check, with its listed enterprises (None: unchanged).

    Audited with the before and after of every part, since it decides whom a regulator can
    draw and whose results it sees.
    """
    is_new = jurisdiction.pk is None

    def state(j: Jurisdiction | None) -> dict:
        if j is None:
            return {}
        return {
            "region_prefixes": j.region_prefixes,
            "sectors": sorted(j.sectors or []),
            "enterprises": sorted(j.enterprises.values_list("pk", flat=True)),
        }

    before = {} if is_new else state(Jurisdiction.objects.get(pk=jurisdiction.pk))
    jurisdiction.full_clean()
    jurisdiction.save()
    if enterprises is not None:
        jurisdiction.enterprises.set(enterprises)
    after = state(jurisdiction)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    audit_record(
        action="jurisdiction.create" if is_new else "jurisdiction.update",
        target=jurisdiction,
        actor=actor,
        organisation=jurisdiction.regulator,
        data={"changes": changes} if changes else {},
    )
    return jurisdiction


@transaction.atomic
def department_save(*, department: Department, actor=None) -> Department:
    audited_save(department, tracked=DEPARTMENT_TRACKED, actor=actor)
    return department


@transaction.atomic
def position_save(*, position: Position, actor=None) -> Position:
    """Create or change a position. Its compliance role decides the rank of everyone holding it:
    only someone ranking above the old and the new role changes it (never upwards while people
    hold it), and the audit entry keeps the before and after."""
    is_new = position.pk is None
    before = stored_state(position, POSITION_TRACKED)
    position.full_clean()
    role_before = before.get("compliance_role")
    changes = saved_changes(position, before, POSITION_TRACKED)
    if is_new or changes:
        held = (
            not is_new
            and Staff.objects.filter(position=position).exclude(status=Staff.Status.LEFT).exists()
        )
        refusal = position_change_refusal(
            actor, position=position, role_before=role_before, held=held
        )
        if refusal:
            raise refusal
    position.save()
    audit_saved(instance=position, is_new=is_new, changes=changes, actor=actor)
    if not is_new and role_before != position.compliance_role:
        users = User.objects.filter(memberships__position=position).distinct()
        for user in users:
            staff_sync_roles(user=user)
        signals.roster_changed.send(
            sender=Position,
            organisation=position.organisation,
            staff_ids=list(position.staff.values_list("pk", flat=True)),
        )
    return position


@transaction.atomic
def staff_save(*, staff: Staff, actor=None, send_signal: bool = True) -> Staff:
    """Create or update a membership, keep the person's roles in step and tell listeners.

    The rank rule holds (access.staff_change_refusal): the actor changes only people in their
    scope who rank below them, never themselves, and gives no position that only an
    appointment gives."""
    is_new = staff.pk is None
    before = stored_state(staff, STAFF_TRACKED)
    staff.full_clean()
    changes = saved_changes(staff, before, STAFF_TRACKED)
    if is_new or changes:
        _staff_check_actor(staff=staff, actor=actor)
    return _staff_write(
        staff=staff, actor=actor, is_new=is_new, changes=changes, send_signal=send_signal
    )


def _staff_check_actor(*, staff: Staff, actor) -> None:
    """Tenancy, then rank: what the views already refuse, refused again here, the last line."""
    if actor is None:
        return
    from . import selectors

    if staff.pk is None:
        in_scope = selectors.staff_organisations_for(actor).filter(pk=staff.organisation_id)
    else:
        in_scope = selectors.staff_manageable_by(actor).filter(pk=staff.pk)
    if not in_scope.exists():
        raise PermissionDenied
    refusal = staff_change_refusal(actor, staff=staff, before=membership_saved(staff.pk))
    if refusal:
        raise refusal


def _staff_write(
    *, staff: Staff, actor, is_new: bool, changes: dict, send_signal: bool = True
) -> Staff:
    """Save a checked membership, audit it and sync the person's roles."""
    staff.save()
    if is_new or changes:
        audit_saved(instance=staff, is_new=is_new, changes=changes, actor=actor)
        staff_sync_roles(user=staff.user)
        if send_signal:
            signals.roster_changed.send(
                sender=Staff, organisation=staff.organisation, staff_ids=[staff.pk]
            )
    return staff


@transaction.atomic
def person_create(
    *,
    organisation: Organisation,
    full_name: str,
    email: str,
    employee_number: str,
    department: Department | None = None,
    position: Position | None = None,
    hire_date: date | None = None,
    phone: str = "",
    password: str | None = None,
    actor=None,
) -> Staff:
    """A new person on the roster: their account (or the existing one for that e-mail) and membership."""
    email = User.objects.normalize_email(email).lower()
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User(email=email, full_name=full_name, phone=phone)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    elif Staff.objects.filter(user=user, organisation=organisation).exists():
        raise ValidationError(
            {"email": _("This e-mail already belongs to a member of this organisation.")}
        )
    staff = Staff(
        user=user,
        organisation=organisation,
        department=department,
        position=position,
        employee_number=employee_number,
        hire_date=hire_date,
    )
    return staff_save(staff=staff, actor=actor)


def staff_sync_roles(*, user) -> None:
    """Make the user's derived groups match their memberships on the roster (在岗, in an active
    organisation). Whether the account may sign in is not asked here: a switched-off account
    cannot use its groups, and keeps them for when it is switched back on."""
    memberships = Staff.objects.filter(
        user=user, status=Staff.Status.ACTIVE, organisation__is_active=True
    ).select_related("position", "organisation")
    wanted = _groups_wanted(memberships)
    current = set(user.groups.filter(name__in=roles.DERIVED_GROUPS).values_list("name", flat=True))
    if current != wanted:
        user.groups.remove(*Group.objects.filter(name__in=current - wanted))
        user.groups.add(*Group.objects.filter(name__in=wanted - current))
        # is_staff lets Django know the person may enter the Wagtail admin at all.
        admin_like = _is_admin_like(wanted)
        if user.is_staff != (admin_like or user.is_superuser):
            user.is_staff = admin_like or user.is_superuser
            user.save(update_fields=["is_staff"])
    if hasattr(user, "_hegui_access"):
        del user._hegui_access


def _groups_wanted(memberships) -> set[str]:
    """The derived groups a person's active memberships call for."""
    wanted: set[str] = set()
    for m in memberships:
        role = m.position.compliance_role if m.position_id else ComplianceRole.NONE
        if m.organisation.is_regulator:
            wanted.add(roles.REGULATOR_OFFICER)
            if role == ComplianceRole.REGULATOR_INSPECTOR:
                wanted.add(roles.REGULATOR_INSPECTOR)
            continue
        wanted.add(roles.LEARNER)
        if role in ORG_ADMIN_ROLES or role in DEPARTMENT_ADMIN_ROLES:
            wanted.add(roles.COMPLIANCE_ADMIN)
        if role in HEAD_ROLES:
            wanted.add(roles.COMPLIANCE_HEAD)
    return wanted


def _is_admin_like(groups: set[str]) -> bool:
    return bool(groups & {roles.COMPLIANCE_ADMIN, roles.COMPLIANCE_HEAD, roles.REGULATOR_OFFICER})


def staff_sync_roles_many(*, user_ids) -> None:
    """`staff_sync_roles` for many people at once (a roster import): a handful of queries in all,
    not a handful per person."""
    user_ids = sorted(set(user_ids))
    if not user_ids:
        return
    groups = dict(Group.objects.filter(name__in=roles.DERIVED_GROUPS).values_list("name", "pk"))
    group_names = {pk: name for name, pk in groups.items()}
    Membership = User.groups.through
    to_add: list = []
    to_remove: list = []
    make_staff: list[int] = []
    unmake_staff: list[int] = []
    for chunk in chunks(user_ids, 2000):
        memberships: dict[int, list[Staff]] = {pk: [] for pk in chunk}
        for m in Staff.objects.filter(
            user_id__in=chunk, status=Staff.Status.ACTIVE, organisation__is_active=True
        ).select_related("position", "organisation"):
            memberships[m.user_id].append(m)
        current: dict[int, set[str]] = {pk: set() for pk in chunk}
        for user_id, group_id in Membership.objects.filter(
            user_id__in=chunk, group_id__in=group_names
        ).values_list("user_id", "group_id"):
            current[user_id].add(group_names[group_id])
        flags = User.objects.filter(pk__in=chunk).values_list("pk", "is_staff", "is_superuser")
        for user_id, is_staff, is_superuser in flags:
            wanted = _groups_wanted(memberships[user_id])
            if wanted == current[user_id]:
                continue
            to_add += [(user_id, groups[name]) for name in wanted - current[user_id]]
            to_remove += [(user_id, groups[name]) for name in current[user_id] - wanted]
            should_be_staff = _is_admin_like(wanted) or is_superuser
            if is_staff != should_be_staff:
                (make_staff if should_be_staff else unmake_staff).append(user_id)
    Membership.objects.bulk_create(
        [Membership(user_id=u, group_id=g) for u, g in to_add],
        batch_size=2000,
        ignore_conflicts=True,
    )
    for group_id in {g for _u, g in to_remove}:
        Membership.objects.filter(
            group_id=group_id, user_id__in=[u for u, g in to_remove if g == group_id]
        ).delete()
    for ids, value in ((make_staff, True), (unmake_staff, False)):
        for chunk in chunks(ids, 2000):
            User.objects.filter(pk__in=chunk).update(is_staff=value)


def chunks(items: list, size: int):
    """Consecutive slices of at most `size` items."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


class AppointmentRefused(Refused):
    """An appointment a gate or the rank rule refuses; `reasons` say why, one sentence each."""

    def __init__(self, reasons: list[str]):
        super().__init__(reasons)
        self.reasons = self.messages


@transaction.atomic
def appointment_request(*, staff: Staff, position: Position, actor, note: str = "") -> Appointment:
    """Propose a person for a position: only for someone in the actor's scope who ranks below
    them, never for oneself. Any position may be proposed; deciding is ranked (see below)."""
    appointment = Appointment(
        staff=staff, position=position, requested_by=actor, note=note, requested_at=timezone.now()
    )
    appointment.full_clean()
    if actor is not None:
        from . import selectors

        if not selectors.staff_manageable_by(actor).filter(pk=staff.pk).exists():
            raise PermissionDenied
        refusal = appointment_refusal(actor, appointment=appointment, deciding=False)
        if refusal:
            raise refusal
    appointment.save()
    audit_record(
        action="appointment.request",
        target=appointment,
        actor=actor,
        organisation=staff.organisation,
    )
    transaction.on_commit(
        lambda: signals.appointment_requested.send(sender=Appointment, appointment=appointment)
    )
    return appointment


def _appointment_check_decider(*, appointment: Appointment, actor) -> None:
    """A full administrator of the organisation (or a platform administrator) who ranks above
    both the person and the position's role decides, never on their own appointment. So a
    compliance head's appointment is decided by the chief compliance officer or a platform
    administrator, a chief compliance officer's or principal's by a platform administrator."""
    access = access_for(actor)
    if not access.is_platform_admin and (
        appointment.staff.organisation_id not in access.admin_org_ids
    ):
        raise PermissionDenied
    refusal = appointment_refusal(actor, appointment=appointment, deciding=True)
    if refusal:
        raise refusal


def appointment_approve(*, appointment: Appointment, actor) -> Appointment:
    """Approve and move the person into the position, unless a gate refuses (the refusal is kept)."""
    _appointment_check_decider(appointment=appointment, actor=actor)
    if appointment.status != Appointment.Status.REQUESTED:
        raise ValidationError(_("Only a requested appointment can be approved."))
    reasons = appointment_refusals(appointment)
    if reasons:
        # Recorded outside any transaction so the refusal stays in the log.
        audit_record(
            action="appointment.approval_refused",
            target=appointment,
            actor=actor,
            organisation=appointment.staff.organisation,
            data={"reasons": reasons},
        )
        raise AppointmentRefused(reasons)
    return _appointment_mark_approved(appointment_id=appointment.pk, actor=actor)


@transaction.atomic
def _appointment_mark_approved(*, appointment_id: int, actor) -> Appointment:
    appointment = (
        Appointment.objects.select_for_update().select_related("staff").get(pk=appointment_id)
    )
    if appointment.status != Appointment.Status.REQUESTED:
        raise ValidationError(_("Only a requested appointment can be approved."))
    appointment.status = Appointment.Status.APPROVED
    appointment.decided_by = actor
    appointment.decided_at = timezone.now()
    appointment.save(update_fields=["status", "decided_by", "decided_at"])
    staff = appointment.staff
    before = stored_state(staff, STAFF_TRACKED)
    staff.position = appointment.position
    staff.full_clean()
    # The one way into a position that only an appointment gives: checked and gated above.
    _staff_write(
        staff=staff, actor=actor, is_new=False, changes=saved_changes(staff, before, STAFF_TRACKED)
    )
    audit_record(
        action="appointment.approve",
        target=appointment,
        actor=actor,
        organisation=staff.organisation,
    )
    transaction.on_commit(
        lambda: signals.appointment_approved.send(sender=Appointment, appointment=appointment)
    )
    return appointment


@transaction.atomic
def appointment_refuse(*, appointment: Appointment, actor, reason: str) -> Appointment:
    _appointment_check_decider(appointment=appointment, actor=actor)
    if appointment.status != Appointment.Status.REQUESTED:
        raise ValidationError(_("Only a requested appointment can be refused."))
    if not reason.strip():
        raise ValidationError({"refusal_reason": _("Say why the appointment is refused.")})
    appointment.status = Appointment.Status.REFUSED
    appointment.refusal_reason = reason
    appointment.decided_by = actor
    appointment.decided_at = timezone.now()
    appointment.save(update_fields=["status", "refusal_reason", "decided_by", "decided_at"])
    audit_record(
        action="appointment.refuse",
        target=appointment,
        actor=actor,
        organisation=appointment.staff.organisation,
        data={"reason": reason},
    )
    return appointment


def roles_sync_permissions(**kwargs) -> None:
    """Give each role group exactly the permissions roles.ROLE_PERMISSIONS declares (post_migrate)."""
    from django.contrib.auth.models import Permission

    for name, perms in roles.ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=name)
        if perms == ["*"]:
            wanted = Permission.objects.all()
        else:
            wanted = Permission.objects.none()
            for perm in perms:
                app_label, codename = perm.split(".", 1)
                wanted |= Permission.objects.filter(
                    content_type__app_label=app_label, codename=codename
                )
        group.permissions.set(wanted)


# --- sign-in, sign-out, failures and lock-outs in the audit log ----------------------------
def _user_with_email(identifier: str):
    if not identifier:
        return None
    return get_user_model().objects.filter(email__iexact=identifier).first()


def _sign_in_organisations(user) -> list:
    """Where a person's sign-ins are read: each organisation they have not left (its compliance
    head reads them there); none for someone with no membership (platform administrators)."""
    memberships = Staff.objects.filter(user=user).exclude(status=Staff.Status.LEFT)
    organisations = [m.organisation for m in memberships.select_related("organisation")]
    return organisations or [None]


def _audit_per_organisation(*, action: str, user, actor, actor_label=None, ip=None) -> None:
    for organisation in _sign_in_organisations(user):
        audit_record(
            action=action,
            target=user,
            actor=actor,
            organisation=organisation,
            actor_label=actor_label,
            ip_address=ip,
        )


def audit_sign_in(*, user, ip_address: str | None = None) -> None:
    _audit_per_organisation(action="auth.sign_in", user=user, actor=user, ip=ip_address)


def audit_sign_out(*, user, ip_address: str | None = None) -> None:
    if user is not None and user.is_authenticated:
        _audit_per_organisation(action="auth.sign_out", user=user, actor=user, ip=ip_address)


def audit_sign_in_refused(*, action: str, identifier, ip_address: str | None = None) -> None:
    """A failed sign-in (auth.sign_in_failed) or one refused for too many failures
    (auth.locked_out, once a minute per identifier and address). The person is found by
    e-mail, never created; an identifier that matches nobody is stored masked, with no
    organisation (platform administrators read it)."""
    identifier = attempted_identifier(identifier)
    if action == "auth.locked_out" and not first_lock_out_this_minute(identifier, ip_address):
        return
    user = _user_with_email(identifier)
    if user is None:
        audit_record(
            action=action,
            actor=None,
            actor_label=ANONYMOUS,
            data=masked_identifier(identifier),
            ip_address=ip_address,
        )
        return
    _audit_per_organisation(
        action=action, user=user, actor=None, actor_label=ANONYMOUS, ip=ip_address
    )
