"""The 履职记录 pages: compliance staff record from the phone-friendly form and see their log;
the head reads the monthly and quarterly summary (page and xlsx) with the part-time
administrators who recorded nothing in a closed month; learners and outsiders get 404."""

from datetime import date
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from lms.duties import selectors, services
from lms.duties.models import DutyEntry, DutyType
from lms.duties.periods import Period, parse_period, previous_month
from lms.navigation import admin_todos
from lms.organisations.models import ComplianceRole
from tests.duties.conftest import pdf
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def log(world, actor, on: date, kind=DutyType.TRAINING, **extra):
    data = {"department_id": world["legal"].pk, "description": '=HYPERLINK("x")讲课'}
    data.update(extra)
    with TestCase.captureOnCommitCallbacks(execute=True):
        return services.duty_entry_record(
            actor=world[actor],
            organisation_id=world["org"].pk,
            kind=kind,
            occurred_on=on,
            today=date(2099, 1, 1),
            **data,
        )


def test_the_part_time_administrator_records_a_zero_risk_screening_from_the_form(client, world):
    client.force_login(world["part_time"])
    page = client.get(reverse("duties:entry_new"))
    assert page.status_code == 200 and "法务部" in page.text and "销售部" not in page.text
    response = client.post(
        reverse("duties:entry_new"),
        {
            "organisation": world["org"].pk,
            "kind": DutyType.RISK_SCREENING,
            "occurred_on": TODAY.isoformat(),
            "department": world["legal"].pk,
            "description": "季度风险排查",
            "zero_risk": "on",
            "files": [pdf()],
        },
    )
    assert response.status_code == 302
    entry = DutyEntry.objects.get()
    assert entry.zero_risk and entry.attachments.count() == 1
    listing = client.get(reverse("duties:entries"))
    assert "季度风险排查" in listing.text
    download = client.get(reverse("duties:attachment", args=[entry.pk, entry.attachments.get().pk]))
    assert download.status_code == 200


def test_a_bad_form_keeps_what_was_typed_and_says_why(client, world):
    client.force_login(world["part_time"])
    response = client.post(
        reverse("duties:entry_new"),
        {
            "organisation": world["org"].pk,
            "kind": DutyType.SELF_INSPECTION,
            "occurred_on": TODAY.isoformat(),
            "department": world["legal"].pk,
            "description": "自查采购流程",
            "files": [SimpleUploadedFile("x.exe", b"MZ", "application/octet-stream")],
        },
    )
    assert response.status_code == 400
    assert "自查采购流程" in response.text and "x.exe" in response.text
    assert not DutyEntry.objects.exists()


def test_a_department_outside_the_scope_is_a_404(client, world):
    client.force_login(world["part_time"])
    response = client.post(
        reverse("duties:entry_new"),
        {
            "organisation": world["org"].pk,
            "kind": DutyType.TRAINING,
            "occurred_on": TODAY.isoformat(),
            "department": world["sales"].pk,
            "description": "越权",
        },
    )
    assert response.status_code == 404 and not DutyEntry.objects.exists()


def test_a_learner_cannot_open_the_pages(client, world):
    client.force_login(world["learner"])
    for name in ("duties:entries", "duties:entry_new", "duties:summary", "duties:summary_export"):
        assert client.get(reverse(name)).status_code == 404, name


def test_a_part_time_administrator_sees_only_their_own_entries_and_no_summary(client, world):
    mine = log(world, "part_time", TODAY, description="我的记录")
    theirs = log(world, "admin", TODAY, description="专职的记录")
    assert list(selectors.entries_visible_to(world["part_time"])) == [mine]
    client.force_login(world["part_time"])
    assert "专职的记录" not in client.get(reverse("duties:entries")).text
    assert client.get(reverse("duties:summary")).status_code == 404
    attachment_url = reverse("duties:attachment", args=[theirs.pk, 1])
    assert client.get(attachment_url).status_code == 404


def test_the_summary_counts_per_person_type_month_and_quarter(world):
    log(world, "part_time", date(2025, 1, 10))
    log(world, "part_time", date(2025, 1, 20), kind=DutyType.RISK_SCREENING, zero_risk=True)
    log(world, "part_time", date(2025, 3, 31))
    log(world, "admin", date(2025, 2, 5), kind=DutyType.CONSULTATION, department_id=None)
    log(world, "admin", date(2025, 4, 1))  # next quarter
    kinds = DutyType.values
    january = selectors.summary(
        user=world["head"], organisation=world["org"], period=Period(2025, month=1)
    )
    assert [(p["staff"].user.full_name, p["total"]) for p in january["people"]] == [("王兼职", 2)]
    row = dict(zip(kinds, january["people"][0]["counts"], strict=True))
    assert row[DutyType.TRAINING] == 1 and row[DutyType.RISK_SCREENING] == 1
    quarter = selectors.summary(
        user=world["head"], organisation=world["org"], period=Period(2025, quarter=1)
    )
    assert quarter["total"] == 4
    assert {p["staff"].user.full_name: p["total"] for p in quarter["people"]} == {
        "王兼职": 3,
        "李专职": 1,
    }
    assert quarter["totals"][kinds.index(DutyType.CONSULTATION)] == 1


def test_the_head_reads_the_summary_page_and_its_xlsx_formula_safe(client, world):
    log(world, "part_time", date(2025, 2, 3))
    client.force_login(world["head"])
    page = client.get(reverse("duties:summary"), {"period": "2025-Q1"})
    assert page.status_code == 200 and "王兼职" in page.text
    export = client.get(reverse("duties:summary_export"), {"period": "2025-Q1"})
    workbook = load_workbook(BytesIO(export.content))
    names = [row[0] for row in workbook.worksheets[0].iter_rows(values_only=True)]
    assert "王兼职" in names
    descriptions = [row[4] for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert descriptions[1].startswith("'=")  # a formula is shown as text, never run


def test_another_organisations_head_sees_nothing_of_it(client, world, other_org):
    log(world, "part_time", TODAY)
    stranger = person(other_org, role=ComplianceRole.COMPLIANCE_HEAD).user
    client.force_login(stranger)
    page = client.get(reverse("duties:summary"), {"org": world["org"].pk})
    assert page.status_code == 404
    assert not selectors.entries_visible_to(stranger).exists()


def test_a_part_time_administrator_silent_in_a_closed_month_is_flagged_to_the_head(client, world):
    last_month = previous_month(TODAY)
    client.force_login(world["head"])
    page = client.get(reverse("duties:summary"), {"period": last_month.label})
    assert "王兼职" in page.text  # flagged: recorded nothing
    assert selectors.silent_part_time_admins_count(world["head"]) == 1
    assert any(t["key"] == "duty_log_empty_months" for t in admin_todos(world["head"]))
    assert selectors.silent_part_time_admins_count(world["part_time"]) == 0
    log(world, "part_time", last_month.start)
    assert selectors.silent_part_time_admins_count(world["head"]) == 0
    this_month = Period(TODAY.year, month=TODAY.month)
    assert (
        selectors.summary(user=world["head"], organisation=world["org"], period=this_month)[
            "silent"
        ]
        == []
    )  # the month is not over yet


def test_a_period_is_read_from_its_label():
    today = date(2026, 5, 20)
    assert parse_period("2026-03", today=today) == Period(2026, month=3)
    assert parse_period("2026-q2", today=today).end == date(2026, 6, 30)
    assert parse_period("nonsense", today=today) == Period(2026, month=5)
    assert parse_period("1999-01", today=today) == Period(2026, month=5)
    assert Period(2025, month=12).end == date(2025, 12, 31)
    assert previous_month(date(2026, 1, 15)) == Period(2025, month=12)


def test_the_principal_reads_the_summary_page_xlsx_and_word_but_keeps_no_log(client, world):
    principal = person(world["org"], role=ComplianceRole.PRINCIPAL, user__full_name="周总经理")
    log(world, "part_time", date(2025, 2, 3), description="二月培训")
    log(world, "admin", date(2025, 3, 3), description="三月自查")
    assert selectors.reads_summary_only(principal.user)
    assert not selectors.reads_summary_only(world["head"])  # the head keeps a log too
    quarter = selectors.summary(
        user=principal.user, organisation=world["org"], period=Period(2025, quarter=1)
    )
    assert quarter["total"] == 2  # everyone's entries, not only the principal's own
    client.force_login(principal.user)
    page = client.get(reverse("duties:summary"), {"period": "2025-Q1"})
    assert page.status_code == 200 and "王兼职" in page.text and "李专职" in page.text
    assert client.get(reverse("duties:summary_export"), {"period": "2025-Q1"}).status_code == 200
    word = client.get(reverse("duties:summary_word"), {"period": "2025-Q1"})
    assert word.status_code == 200 and word["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert client.get(reverse("duties:entry_new")).status_code == 404  # reads; records nothing
    home = client.get("/")
    assert reverse("duties:summary") in home.text  # the menu leads the principal there


def test_a_summary_asked_for_by_someone_who_may_not_read_it_is_empty(world):
    log(world, "part_time", date(2025, 2, 3))
    result = selectors.summary(
        user=world["learner"], organisation=world["org"], period=Period(2025, quarter=1)
    )
    assert result["total"] == 0
