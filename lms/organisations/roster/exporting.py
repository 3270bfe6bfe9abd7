"""The roster export: the import's own columns, so an exported file imports back unchanged.

Written through django-import-export, whose formats strip a leading "=" from every cell when
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is set: a name like =cmd|' /C calc'!A0 leaves as text.
"""

from import_export import fields, resources
from import_export.formats import base_formats

from lms.spreadsheets import neutralise_dataset

from ..models import Department, Organisation, Staff
from .reading import CHINESE_HEADERS as H

FORMATS = {"xlsx": base_formats.XLSX, "csv": base_formats.CSV}
CONTENT_TYPES = {
    "xlsx": base_formats.XLSX.CONTENT_TYPE,
    "csv": "text/csv; charset=utf-8",
}


class RosterResource(resources.ModelResource):
    """One row per membership, with the Chinese headers of the import."""

    name = fields.Field(attribute="user__full_name", column_name=H["name"])
    employee_number = fields.Field(attribute="employee_number", column_name=H["employee_number"])
    department = fields.Field(column_name=H["department"])
    position = fields.Field(column_name=H["position"])
    hire_date = fields.Field(column_name=H["hire_date"])
    email = fields.Field(attribute="user__email", column_name=H["email"])
    phone = fields.Field(attribute="user__phone", column_name=H["phone"])

    class Meta:
        model = Staff
        fields = (
            "name",
            "employee_number",
            "department",
            "position",
            "hire_date",
            "email",
            "phone",
        )
        export_order = fields

    def __init__(self, *, department_paths: dict[int, str]):
        super().__init__()
        self.department_paths = department_paths

    def dehydrate_department(self, staff: Staff) -> str:
        return self.department_paths.get(staff.department_id, "")

    def dehydrate_position(self, staff: Staff) -> str:
        return staff.position.name if staff.position_id else ""

    def dehydrate_hire_date(self, staff: Staff) -> str:
        return staff.hire_date.isoformat() if staff.hire_date else ""


def department_paths(organisation: Organisation) -> dict[int, str]:
    """Each department's full path from the top, 总部/法务合规部, as the import reads it."""
    departments = {
        d.pk: d for d in Department.objects.filter(organisation=organisation).only("name", "parent")
    }
    paths: dict[int, str] = {}

    def path_of(pk: int, seen: frozenset = frozenset()) -> str:
        if pk not in paths:
            department = departments[pk]
            parent = department.parent_id
            if parent in departments and parent not in seen:
                paths[pk] = f"{path_of(parent, seen | {pk})}/{department.name}"
            else:
                paths[pk] = department.name
        return paths[pk]

    for pk in departments:
        path_of(pk)
    return paths


def roster_export(*, organisation: Organisation, file_format: str) -> bytes:
    """The organisation's current roster (everyone who has not left) as xlsx or CSV bytes
    (UTF-8 with a BOM, which Excel needs to show Chinese)."""
    staff = (
        Staff.objects.filter(organisation=organisation)
        .exclude(status=Staff.Status.LEFT)
        .select_related("user", "position")
        .order_by("employee_number")
    )
    resource = RosterResource(department_paths=department_paths(organisation))
    dataset = resource.export(queryset=staff)
    if file_format == "csv":
        neutralise_dataset(dataset)
    data = FORMATS[file_format]().export_data(dataset)
    return data if isinstance(data, bytes) else ("\ufeff" + data).encode("utf-8")


def roster_export_file_name(*, organisation: Organisation, file_format: str, today) -> str:
    return f"roster-{organisation.credit_code}-{today:%Y%m%d}.{file_format}"
