"""The roster import: one service for the Wagtail admin and `manage.py import_roster`.

The file is read and every row checked first (reading.py); then the rows are matched against the
organisation's roster in a few bulk queries. Only a file without a single problem is written,
in one transaction, with bulk inserts and updates: a 10,000-row file costs tens of queries, not
tens of thousands.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.audit.services import audit_record
from lms.refusals import Refused

from .. import rank, signals
from ..access import access_for
from ..models import ComplianceRole, Department, Organisation, Position, Staff
from ..services import chunks, department_save, position_save, staff_sync_roles_many
from . import reading
from .reading import CHINESE_HEADERS, Problem, RosterFileError, RosterRow

User = get_user_model()
BATCH = 1000
_UNCONSTRAINED = object()


@dataclass
class RosterImportResult:
    organisation: Organisation
    file_name: str
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    departments_created: list[str] = field(default_factory=list)
    positions_created: list[str] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    changed_staff_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def imported(self) -> bool:
        return self.ok and not self.dry_run

    @property
    def file_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.row == 0]

    @property
    def row_problems(self) -> list[Problem]:
        return [p for p in self.problems if p.row]


class _NothingWritten(Exception):
    """Raised inside the transaction to roll it back when a problem turns up."""


Progress = Callable[[int, int], None]


class _Progress:
    """Reports `(rows processed, rows in the file)` to a caller's callback as the import goes on.

    Each stage walks the rows once and carries its share of the work (as measured with
    bench/roster_import.py on 10,000 new people), so "rows processed" is the rows' share of the
    whole import done so far: it reaches the total only when the import is over."""

    SHARES = {"check": 10, "save": 20, "roles": 15, "audit": 55}

    def __init__(self, callback: Progress | None):
        self.callback = callback
        self.rows = 0
        self.starts = {}
        start = 0
        for stage, share in self.SHARES.items():
            self.starts[stage] = start
            start += share

    def __call__(self, stage: str, done: int = 0, of: int = 1) -> None:
        if self.callback is None:
            return
        stage_done = min(done, of) / of if of > 0 else 1
        fraction = (self.starts[stage] + self.SHARES[stage] * stage_done) / 100
        self.callback(int(self.rows * fraction), self.rows)


def roster_import(
    *,
    organisation: Organisation,
    data: bytes,
    file_name: str,
    actor=None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> RosterImportResult:
    """Check a roster file and, unless `dry_run` or any row has a problem, apply it: new people
    get an account (unusable password: they set one through password reset) and a membership;
    changed names, phones, departments, positions and hire dates are updated. All or nothing.

    Afterwards the derived roles of the people concerned are synced, one `roster_changed` signal
    carries every changed staff id, and the audit log gets a summary entry plus one per person.

    `progress(rows processed, rows in the file)`, if given, is called as each stage advances:
    first once the file is read, then every BATCH rows or so; the import is not over until it
    returns.
    """
    result = RosterImportResult(organisation=organisation, file_name=file_name, dry_run=dry_run)
    report = _Progress(progress)
    try:
        table = reading.read_table(data, max_rows=settings.ROSTER_IMPORT_MAX_ROWS)
    except RosterFileError as exc:
        result.problems.append(Problem(exc.row, exc.message))
        return result
    result.rows = report.rows = len(table.rows)
    result.ignored_headers = table.ignored_headers
    report("check")
    today = timezone.localdate()
    rows: list[RosterRow] = []
    for index, (number, cells) in enumerate(table.rows, start=1):
        row, problems = reading.check_row(number, cells, today=today)
        result.problems += problems
        if row is not None:
            rows.append(row)
        if index % BATCH == 0:
            report("check", index, result.rows)
    duplicates = reading.check_duplicates(rows)
    result.problems += duplicates
    duplicate_rows = {p.row for p in duplicates}
    rows = [r for r in rows if r.row not in duplicate_rows]
    if dry_run:
        _Plan(organisation, rows, result, actor=actor).check()
    else:
        try:
            with transaction.atomic():
                # One import at a time per organisation: the checks below must still hold on write.
                Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
                plan = _Plan(organisation, rows, result, report, actor=actor)
                plan.check()
                if result.problems:
                    raise _NothingWritten
                plan.apply(actor=actor)
        except _NothingWritten:
            pass
        except RosterRowRefused as exc:
            result.problems.append(Problem(exc.row.row, " ".join(exc.error.messages)))
        except ValidationError as exc:  # a new department or position refused by its service
            result.problems.append(Problem(0, " ".join(exc.messages)))
        except IntegrityError:
            result.problems.append(
                Problem(
                    0,
                    _(
                        "The roster changed while the file was being imported; nothing was "
                        "imported. Please try again."
                    ),
                )
            )
    result.problems.sort(key=lambda p: p.row)
    if result.problems:
        result.changed_staff_ids = []
    return result


class _DepartmentNode:
    def __init__(self, name: str, parent=_UNCONSTRAINED, existing: Department | None = None):
        self.name = name
        self.parent = parent  # a _DepartmentNode, None (top level) or _UNCONSTRAINED
        self.existing = existing
        self.department = existing

    def depth(self) -> int:
        node, depth = self, 0
        while isinstance(node.parent, _DepartmentNode):
            node, depth = node.parent, depth + 1
        return depth


@dataclass
class _Change:
    staff: Staff
    row: RosterRow
    department: "_DepartmentNode | None"
    position: Position | str | None
    fields: dict = field(default_factory=dict)


class _Plan:
    """What the file would do to the organisation's roster, checked against the database."""

    def __init__(
        self,
        organisation: Organisation,
        rows: list[RosterRow],
        result,
        report: _Progress | None = None,
        *,
        actor=None,
    ):
        self.organisation = organisation
        # The rank rule (rank.py): the importer changes only people ranking below them, never
        # themselves. No actor: the platform itself (manage.py import_roster).
        access = access_for(actor) if actor is not None else None
        self.actor_rank = access.rank_in(organisation.pk) if access else rank.PLATFORM_ADMIN_RANK
        self.actor_user_id = access.user_id if access else None
        self.rows = rows
        self.result = result
        self.report = report or _Progress(None)
        self.new: list[_Change] = []
        self.changed: list[_Change] = []

    # --- checking ---------------------------------------------------------------------------
    def check(self) -> None:
        org = self.organisation
        self.staff_by_number = {
            s.employee_number: s
            for s in Staff.objects.filter(organisation=org).select_related(
                "user", "department", "position"
            )
        }
        wanted_emails = sorted({r.email for r in self.rows if r.email})
        self.user_by_email: dict[str, int] = {}
        for start in range(0, len(wanted_emails), BATCH):
            self.user_by_email.update(
                User.objects.filter(email__in=wanted_emails[start : start + BATCH]).values_list(
                    "email", "pk"
                )
            )
        departments = list(Department.objects.filter(organisation=org))
        self.departments = {d.name: _DepartmentNode(d.name, existing=d) for d in departments}
        by_pk = {d.pk: self.departments[d.name] for d in departments}
        for d in departments:
            self.departments[d.name].parent = by_pk.get(d.parent_id) if d.parent_id else None
        self.department_names = {d.pk: d.name for d in departments}
        self.positions: dict[str, Position | str] = {
            p.name: p for p in Position.objects.filter(organisation=org)
        }
        self.position_names = {p.pk: p.name for p in self.positions.values()}
        for row in self.rows:
            self._check_row(row)
        self.result.created = len(self.new)
        self.result.updated = len(self.changed)
        self.result.unchanged = len(self.rows) - len(self.new) - len(self.changed)
        self.result.departments_created = [
            n.name for n in self.departments.values() if n.existing is None
        ]
        self.result.positions_created = [
            name for name, p in self.positions.items() if isinstance(p, str)
        ]

    def _problem(self, row: RosterRow, column: str, message: str, value: str = "") -> None:
        self.result.problems.append(Problem(row.row, message, CHINESE_HEADERS[column], value))

    def _check_row(self, row: RosterRow) -> None:
        problems_before = len(self.result.problems)
        staff = self.staff_by_number.get(row.employee_number)
        owner = self.user_by_email.get(row.email) if row.email else None
        if staff is None and not row.email:
            self._problem(row, reading.EMAIL, _("A new person needs an e-mail address to sign in."))
        elif staff is None and owner is not None:
            self._problem(
                row,
                reading.EMAIL,
                _("The e-mail %(value)s is already used by another person's account.")
                % {"value": row.email},
                row.email,
            )
        elif staff is not None and row.email and row.email != staff.user.email:
            self._problem(
                row,
                reading.EMAIL,
                _(
                    "Employee number %(number)s belongs to %(name)s, whose e-mail is %(email)s, "
                    "not %(value)s. E-mail addresses are changed in the staff admin, not by import."
                )
                % {
                    "number": row.employee_number,
                    "name": staff.user.full_name,
                    "email": staff.user.email,
                    "value": row.email,
                },
                row.email,
            )
        department = self._department(row) if row.department_path else None
        position = self._position(row.position) if row.position else None
        if len(self.result.problems) > problems_before:
            return
        if staff is None:
            self._check_appointment(row, position)
            self.new.append(_Change(None, row, department, position))
            return
        change = _Change(staff, row, department, position, self._differences(staff, row))
        if department is not None and (
            department.existing is None or department.existing.pk != staff.department_id
        ):
            change.fields["department"] = [
                self.department_names.get(staff.department_id, ""),
                department.name,
            ]
        if isinstance(position, str) or (position is not None and position.pk != staff.position_id):
            change.fields["position"] = [
                self.position_names.get(staff.position_id, ""),
                position if isinstance(position, str) else position.name,
            ]
        if change.fields:
            self._check_rank(row, staff, change)
            self.changed.append(change)

    def _differences(self, staff: Staff, row: RosterRow) -> dict:
        changes = {}
        if row.name != staff.user.full_name:
            changes["full_name"] = [staff.user.full_name, row.name]
        if row.phone is not None and row.phone != staff.user.phone:
            changes["phone"] = [staff.user.phone, row.phone]
        if row.hire_date is not None and row.hire_date != staff.hire_date:
            changes["hire_date"] = [_iso(staff.hire_date), _iso(row.hire_date)]
        return changes

    def _check_rank(self, row: RosterRow, staff: Staff, change: _Change) -> None:
        """A row problem unless the importer may make this change to this person."""
        new_position = change.position if "position" in change.fields else staff.position
        refusal = rank.staff_change_refusal(
            actor_rank=self.actor_rank,
            is_self=staff.user_id == self.actor_user_id,
            before=_membership(staff.position, staff),
            after=_membership(new_position, staff),
        )
        if refusal == rank.Refusal.SELF:
            self._problem(
                row,
                reading.EMPLOYEE_NUMBER,
                _(
                    "This row is your own record: an import cannot change you. Someone who ranks "
                    "above you changes it."
                ),
                row.employee_number,
            )
        elif refusal == rank.Refusal.OUTRANKED:
            self._problem(
                row,
                reading.EMPLOYEE_NUMBER,
                _(
                    "%(name)s is %(role)s, which ranks at or above you: your import cannot change "
                    "them."
                )
                % {
                    "name": staff.user.full_name,
                    "role": ComplianceRole(staff.compliance_role).label,
                },
                row.employee_number,
            )
        elif refusal == rank.Refusal.NEEDS_APPOINTMENT:
            self._check_appointment(row, new_position)

    def _check_appointment(self, row: RosterRow, position) -> None:
        """Positions that only an appointment gives are never imported."""
        if not isinstance(position, Position) or not rank.needs_appointment(
            role=position.compliance_role, needs_exam=position.needs_pre_appointment_exam
        ):
            return
        if position.compliance_role != ComplianceRole.NONE:
            message = _(
                "The position %(value)s carries the compliance role %(role)s: request an "
                "appointment in the admin (People → Appointments) instead of importing it."
            ) % {"value": position.name, "role": position.get_compliance_role_display()}
        else:
            message = _(
                "The position %(value)s needs a pre-appointment exam: request an appointment "
                "in the admin instead of importing it."
            ) % {"value": position.name}
        self._problem(row, reading.POSITION, message, position.name)

    def _position(self, name: str) -> Position | str:
        return self.positions.setdefault(name, name)

    def _department(self, row: RosterRow) -> "_DepartmentNode | None":
        """The department at the end of the row's path (总部/法务合规部), made known if new.

        A single name matches the department of that name wherever it sits; each "/" says
        which department the next one sits under, which must agree with the roster and the
        rest of the file. Departments are never moved by an import."""
        parent = _UNCONSTRAINED
        node = None
        for depth, name in enumerate(row.department_path):
            node = self.departments.get(name)
            if node is None:
                node = self.departments[name] = _DepartmentNode(name)
            if depth == 0:
                parent = node
                continue
            if node.parent is _UNCONSTRAINED and node.existing is None:
                if _is_within(parent, node):
                    self._problem(
                        row,
                        reading.DEPARTMENT,
                        _("The department %(value)s cannot be placed under its own sub-department.")
                        % {"value": name},
                        "/".join(row.department_path),
                    )
                    return None
                node.parent = parent
            elif node.parent is not parent:
                placed_under = node.parent.name if isinstance(node.parent, _DepartmentNode) else ""
                if placed_under:
                    message = _(
                        "The department %(value)s sits under %(parent)s, not under %(wanted)s."
                    )
                else:
                    message = _(
                        "The department %(value)s is a top-level department, not under %(wanted)s."
                    )
                self._problem(
                    row,
                    reading.DEPARTMENT,
                    message % {"value": name, "parent": placed_under, "wanted": parent.name},
                    "/".join(row.department_path),
                )
                return None
            parent = node
        return node

    # --- writing ----------------------------------------------------------------------------
    def apply(self, *, actor) -> None:
        org = self.organisation
        self._create_departments(actor)
        self._create_positions(actor)
        now = timezone.now()
        unusable = make_password(None)
        users = []
        for change in self.new:
            user = User(
                email=change.row.email,
                full_name=change.row.name,
                phone=change.row.phone or "",
                password=unusable,
                date_joined=now,
            )
            _full_clean(user, change.row, exclude=["password"])
            users.append(user)
        saving = _Steps(self.report, "save", of=2 * len(self.new) + len(self.changed))
        for chunk in chunks(users, BATCH):
            User.objects.bulk_create(chunk)
            saving.advance(len(chunk))
        new_staff = []
        for change, user in zip(self.new, users, strict=True):
            staff = Staff(
                user=user,
                organisation=org,
                department=change.department.department if change.department else None,
                position=change.position,
                employee_number=change.row.employee_number,
                hire_date=change.row.hire_date,
            )
            _full_clean(
                staff, change.row, exclude=["user", "organisation", "department", "position"]
            )
            change.staff = staff
            new_staff.append(staff)
        for chunk in chunks(new_staff, BATCH):
            Staff.objects.bulk_create(chunk)
            saving.advance(len(chunk))

        role_users = [u.pk for u in users]
        user_updates = {"full_name": [], "phone": []}
        staff_updates = {"department_id": [], "position_id": [], "hire_date": []}
        for change in self.changed:
            staff, row = change.staff, change.row
            if "full_name" in change.fields:
                user_updates["full_name"].append((staff.user_id, row.name))
            if "phone" in change.fields:
                user_updates["phone"].append((staff.user_id, row.phone))
            if "department" in change.fields:
                staff.department = change.department.department
                staff_updates["department_id"].append((staff.pk, staff.department_id))
            if "position" in change.fields:
                staff.position = change.position
                staff_updates["position_id"].append((staff.pk, staff.position_id))
                role_users.append(staff.user_id)
            if "hire_date" in change.fields:
                staff.hire_date = row.hire_date
                staff_updates["hire_date"].append((staff.pk, staff.hire_date))
            _full_clean(staff, row, exclude=["user", "organisation", "department", "position"])
        for name, values in user_updates.items():
            _update_by_value(User, name, values)
        for name, values in staff_updates.items():
            _update_by_value(Staff, name, values)
        changed_ids = [c.staff.pk for c in self.changed]
        for start in range(0, len(changed_ids), BATCH):
            Staff.objects.filter(pk__in=changed_ids[start : start + BATCH]).update(updated_at=now)
        saving.advance(len(self.changed))
        self.report("roles")
        staff_sync_roles_many(user_ids=role_users)

        auditing = _Steps(self.report, "audit", of=len(self.new) + len(self.changed))
        for change in self.new:
            audit_record(action="staff.create", target=change.staff, actor=actor, organisation=org)
            auditing.advance(1)
        for change in self.changed:
            audit_record(
                action="staff.update",
                target=change.staff,
                actor=actor,
                organisation=org,
                data={"changes": change.fields, "source": "roster import"},
            )
            auditing.advance(1)
        result = self.result
        audit_record(
            action="roster.import",
            target=org,
            actor=actor,
            organisation=org,
            data={
                "file": result.file_name,
                "rows": result.rows,
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "departments_created": result.departments_created,
                "positions_created": result.positions_created,
            },
        )
        result.changed_staff_ids = [c.staff.pk for c in self.new + self.changed]
        if result.changed_staff_ids:
            signals.roster_changed.send(
                sender=Staff, organisation=org, staff_ids=result.changed_staff_ids
            )
        self.report("audit", 1, 1)

    def _create_departments(self, actor) -> None:
        new = [n for n in self.departments.values() if n.existing is None]
        for node in sorted(new, key=_DepartmentNode.depth):
            parent = node.parent if isinstance(node.parent, _DepartmentNode) else None
            node.department = department_save(
                department=Department(
                    organisation=self.organisation,
                    name=node.name,
                    parent=parent.department if parent else None,
                ),
                actor=actor,
            )

    def _create_positions(self, actor) -> None:
        for name, position in list(self.positions.items()):
            if isinstance(position, str):
                self.positions[name] = position_save(
                    position=Position(organisation=self.organisation, name=name), actor=actor
                )
        for change in self.new + self.changed:
            if isinstance(change.position, str):
                change.position = self.positions[change.position]


class _Steps:
    """A stage's progress counted in steps, reported every BATCH steps and at its end."""

    def __init__(self, report: _Progress, stage: str, *, of: int):
        self.report, self.stage, self.of = report, stage, of
        self.done = self.reported = 0
        report(stage, 0, of)

    def advance(self, steps: int) -> None:
        self.done += steps
        if self.done - self.reported >= BATCH or self.done >= self.of:
            self.reported = self.done
            self.report(self.stage, self.done, self.of)


def _update_by_value(model, field_name: str, values: list[tuple[int, object]]) -> None:
    """Set one field on many rows: one UPDATE per distinct value (a move of 10,000 people into
    a few departments is a few queries), or Django's bulk_update when values are all different,
    as names and phones are."""
    by_value: dict[object, list[int]] = {}
    for pk, value in values:
        by_value.setdefault(value, []).append(pk)
    if len(by_value) > 50:
        objects = [model(pk=pk, **{field_name: value}) for pk, value in values]
        model.objects.bulk_update(objects, [field_name], batch_size=BATCH)
        return
    for value, pks in by_value.items():
        for start in range(0, len(pks), BATCH):
            model.objects.filter(pk__in=pks[start : start + BATCH]).update(**{field_name: value})


def _is_within(node, ancestor) -> bool:
    """Whether `node` is `ancestor` or sits somewhere beneath it."""
    seen = set()
    while isinstance(node, _DepartmentNode) and id(node) not in seen:
        if node is ancestor:
            return True
        seen.add(id(node))
        node = node.parent
    return False


def _membership(position: Position | str | None, staff: Staff) -> rank.Membership:
    """A staff record with this position, for the rank rule (a position the import would
    create carries no role and no exam)."""
    left = staff.status == Staff.Status.LEFT
    if not isinstance(position, Position):
        return rank.Membership(
            position_id=None, role=ComplianceRole.NONE, needs_exam=False, left=left
        )
    return rank.Membership(
        position_id=position.pk,
        role=position.compliance_role,
        needs_exam=position.needs_pre_appointment_exam,
        left=left,
    )


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def _full_clean(instance, row: RosterRow, *, exclude: list[str]) -> None:
    """The model's own checks, without the per-object queries for uniqueness and foreign keys
    (already checked in bulk above). A failure here means a check above is missing: it aborts
    the import rather than save a row the model refuses."""
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        raise RosterRowRefused(row, exc) from exc


class RosterRowRefused(Refused):
    """A row a service refused while the import was being applied (nothing is written)."""

    def __init__(self, row: RosterRow, error: ValidationError):
        super().__init__(error.messages)
        self.row = row
        self.error = error
