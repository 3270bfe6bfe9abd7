"""What the HR API reads and writes. Plain serializers over the selectors' rows (the other apps'
models are not imported here); `updated_at` is each row's `changed_at` (see the selectors)."""

import functools
from collections.abc import Callable

from django.utils import timezone
from rest_framework import serializers


class PersonFields(serializers.Serializer):
    user_id = serializers.IntegerField(read_only=True)
    employee_number = serializers.CharField(read_only=True, allow_null=True)
    email = serializers.EmailField(source="person_email", read_only=True)


class EnrolmentSerializer(PersonFields):
    id = serializers.IntegerField(read_only=True)
    course_id = serializers.IntegerField(read_only=True)
    course_title = serializers.CharField(read_only=True)
    cycle = serializers.IntegerField(
        read_only=True, help_text="The year for yearly courses; 0 for once."
    )
    source = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    assigned_at = serializers.DateTimeField(read_only=True)
    due_on = serializers.DateField(read_only=True, allow_null=True)
    completed_at = serializers.DateTimeField(read_only=True, allow_null=True)
    waived_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(source="changed_at", read_only=True)


class ExamResultSerializer(PersonFields):
    id = serializers.IntegerField(read_only=True)
    person_name = serializers.CharField(read_only=True)
    exam_id = serializers.IntegerField(read_only=True)
    exam_title = serializers.CharField(read_only=True)
    exam_kind = serializers.CharField(read_only=True)
    attempt_number = serializers.IntegerField(source="number", read_only=True)
    started_at = serializers.DateTimeField(read_only=True)
    submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    score = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    max_score = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    percent = serializers.DecimalField(max_digits=5, decimal_places=2, read_only=True)
    passed = serializers.BooleanField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(source="changed_at", read_only=True)


class CertificateSerializer(PersonFields):
    id = serializers.IntegerField(read_only=True)
    user_id = serializers.IntegerField(source="holder_id", read_only=True)
    serial = serializers.CharField(read_only=True, allow_null=True)
    holder_name = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    title = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True)
    issued_on = serializers.DateField(read_only=True)
    expires_on = serializers.DateField(read_only=True, allow_null=True)
    revoked_at = serializers.DateTimeField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(source="changed_at", read_only=True)


class AppraisalSerializer(PersonFields):
    id = serializers.IntegerField(read_only=True)
    user_id = serializers.IntegerField(source="person_user_id", read_only=True)
    year = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True)
    score = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    grade = serializers.CharField(read_only=True)
    reason = serializers.CharField(read_only=True, help_text="Why an amended version was made.")
    updated_at = serializers.DateTimeField(source="changed_at", read_only=True)


class LedgerEntrySerializer(PersonFields):
    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    category = serializers.CharField(read_only=True)
    kind = serializers.CharField(read_only=True)
    severity = serializers.CharField(read_only=True)
    points = serializers.DecimalField(max_digits=8, decimal_places=2, read_only=True)
    summary = serializers.CharField(read_only=True)
    occurred_at = serializers.DateTimeField(read_only=True)
    reverses_id = serializers.IntegerField(read_only=True, allow_null=True)
    updated_at = serializers.DateTimeField(source="changed_at", read_only=True)


class RosterPersonSerializer(serializers.Serializer):
    """One person as a roster file row has them: the roster import checks every value, as it
    does a file's (name, employee number and e-mail are required there)."""

    name = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    employee_number = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    email = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    department = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="A path: 总部/法务合规部."
    )
    position = serializers.CharField(required=False, allow_blank=True, allow_null=True)
    hire_date = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="YYYY-MM-DD"
    )
    phone = serializers.CharField(required=False, allow_blank=True, allow_null=True)


class RosterBatchSerializer(serializers.Serializer):
    people = RosterPersonSerializer(many=True)


class RosterProblemSerializer(serializers.Serializer):
    row = serializers.IntegerField(allow_null=True, help_text="The batch's row, 1 = its first.")
    employee_number = serializers.CharField(required=False)
    column = serializers.CharField(required=False)
    message = serializers.CharField()


class RosterBatchResultSerializer(serializers.Serializer):
    rows = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    problems = RosterProblemSerializer(many=True)


# --- lists: the same fields, rendered from `.values()` rows ------------------------------------
# A page of 1,000 rendered field by field through DRF costs about half a second; read as plain
# values and converted as DRF converts them, it costs a few milliseconds. The serializers above
# stay the definition (the schema, the detail endpoints); a test checks both agree.


def _datetime(value, zone):
    if value is None:
        return None
    text = value.astimezone(zone).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def _date(value, zone):
    return None if value is None else value.isoformat()


def _decimal(value, zone):
    return None if value is None else str(value)


def _as_is(value, zone):
    return value


@functools.cache
def plain_fields(serializer_class) -> tuple[tuple[str, str, Callable], ...]:
    """(output name, value name, converter) for each field of a flat read serializer."""
    fields = []
    for name, field in serializer_class().fields.items():
        source = field.source or name
        if "." in source:
            raise ValueError(f"{serializer_class.__name__}.{name}: annotate instead of {source}")
        if isinstance(field, serializers.DateTimeField):
            convert = _datetime
        elif isinstance(field, serializers.DateField):
            convert = _date
        elif isinstance(field, serializers.DecimalField):
            convert = _decimal
        else:
            convert = _as_is
        fields.append((name, source, convert))
    return tuple(fields)


def plain_rows(fields, rows) -> list[dict]:
    zone = timezone.get_current_timezone()  # as DRF shows times: in the current time zone
    return [{name: convert(row[source], zone) for name, source, convert in fields} for row in rows]
