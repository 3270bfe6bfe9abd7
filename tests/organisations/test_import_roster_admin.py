"""The admin's 导入花名册 page: upload, preview, confirm; export; other enterprises kept out."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lms.audit.models import AuditEntry
from lms.organisations.models import RosterImportJob, Staff
from lms.organisations.roster import uploads
from tests.organisations.files.roster import HEADERS, csv_bytes, person_row, xlsx_bytes
from tests.organisations.tenancy import build_world, refused

pytestmark = pytest.mark.django_db
START = "/admin/roster/"


@pytest.fixture
def world(db, settings, tmp_path):
    settings.ROSTER_UPLOAD_DIR = tmp_path / "uploads"
    return build_world()


def upload(client, org, data: bytes, name="roster.xlsx"):
    return client.post(
        START, {"organisation": org.pk, "file": SimpleUploadedFile(name, data)}, follow=True
    )


def preview_url(response) -> str:
    return response.redirect_chain[-1][0]


def test_menu_entry_only_for_those_who_manage_a_roster(client, world):
    client.force_login(world.admin_a.user)
    assert START in client.get("/admin/").content.decode()
    client.force_login(world.part_time_a.user)
    assert START not in client.get("/admin/").content.decode()
    assert refused(client.get(START))


def test_upload_preview_then_confirm(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.admin_a.user)
    page = client.get(START)
    assert page.status_code == 200
    assert "姓名" in page.content.decode()
    rows = [person_row(n) for n in range(1, 4)]
    response = upload(client, world.a, xlsx_bytes(rows))

    html = response.content.decode()
    assert response.status_code == 200
    counts = re.search(r'id="roster-counts".*?<tbody><tr>(.*?)</tr>', html, re.S).group(1)
    assert re.findall(r"<td>(\d+)</td>", counts) == ["3", "0", "0", "0"]
    assert "导入 3 行" in html
    assert not Staff.objects.filter(employee_number="E00001").exists()  # a preview saves nothing

    # Celery runs eagerly in tests: the job is done by the time its progress page shows.
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(preview_url(response))
    job = RosterImportJob.objects.get()
    assert confirmed.url == f"{START}jobs/{job.pk}/"
    done = client.get(confirmed.url)

    assert "新建 3，更新 0，未变 0" in done.content.decode()
    assert (
        Staff.objects.filter(organisation=world.a, employee_number__in=["E00001", "E00003"]).count()
        == 2
    )
    summary = AuditEntry.objects.get(action="roster.import")
    assert summary.actor == world.admin_a.user and summary.data["file"] == "roster.xlsx"
    assert not any(uploads.upload_dir().glob("*.data"))  # the kept file is gone


def test_preview_lists_every_problem_with_its_row_and_offers_no_import(client, world):
    client.force_login(world.admin_a.user)
    rows = [person_row(1), person_row(2, 姓名=""), person_row(3, 入职日期="明年")]
    response = upload(client, world.a, csv_bytes(rows, encoding="gbk"), name="坏文件.csv")

    html = response.content.decode()
    problems = re.search(r'id="roster-problems".*?</table>', html, re.S).group(0)
    cells = re.findall(r"<tr><td>(\d+)</td><td>(.*?)</td>", problems)
    assert cells == [("3", "姓名"), ("4", "入职日期")]
    assert "没有导入任何数据" in html
    assert "导入 " not in html.split('id="roster-problems"')[1]
    assert not Staff.objects.filter(employee_number="E00001").exists()
    assert client.post(preview_url(response)).status_code == 404


def test_a_file_that_is_not_a_spreadsheet(client, world):
    client.force_login(world.admin_a.user)
    response = upload(client, world.a, b"\x89PNG\r\n\x1a\n\x00\x00\x00", name="photo.xlsx")

    assert "这不是电子表格" in response.content.decode()


def test_english_admin(client, world):
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(world.admin_a.user)
    profile.preferred_language = "en"
    profile.save()
    client.force_login(world.admin_a.user)
    response = upload(client, world.a, xlsx_bytes([person_row(1, 工号="")]))

    assert "The employee number is missing." in response.content.decode()


def test_administrator_of_a_cannot_import_into_b(client, world):
    client.force_login(world.admin_a.user)
    response = client.post(
        START,
        {
            "organisation": world.b.pk,
            "file": SimpleUploadedFile("r.xlsx", xlsx_bytes([person_row(1)])),
        },
    )

    assert response.status_code == 200  # the form refuses the choice
    assert "organisation" in response.context["form"].errors
    assert world.b.name not in response.content.decode()
    assert not Staff.objects.filter(employee_number="E00001").exists()


def test_nobody_else_can_use_an_uploaded_file(client, world):
    token = uploads.upload_store(
        data=xlsx_bytes([person_row(1)]),
        file_name="r.xlsx",
        user_id=world.admin_b.user.pk,
        organisation_id=world.b.pk,
    )
    client.force_login(world.admin_a.user)
    assert client.get(f"{START}preview/{token}/").status_code == 404
    assert client.post(f"{START}preview/{token}/").status_code == 404
    assert client.get(f"{START}preview/../../etc/passwd/").status_code == 404
    assert not Staff.objects.filter(organisation=world.b, employee_number="E00001").exists()


def test_an_upload_for_an_organisation_no_longer_managed_is_refused(client, world):
    token = uploads.upload_store(
        data=xlsx_bytes([person_row(1)]),
        file_name="r.xlsx",
        user_id=world.admin_a.user.pk,
        organisation_id=world.b.pk,
    )
    client.force_login(world.admin_a.user)
    assert client.post(f"{START}preview/{token}/").status_code == 404
    assert not Staff.objects.filter(organisation=world.b, employee_number="E00001").exists()


def test_export_buttons_download_the_roster(client, world):
    client.force_login(world.admin_a.user)
    response = client.get(f"{START}export/", {"organisation": world.a.pk, "format": "xlsx"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert {r[1] for r in rows[1:]} == set(
        Staff.objects.filter(organisation=world.a).values_list("employee_number", flat=True)
    )
    csv = client.get(f"{START}export/", {"organisation": world.a.pk, "format": "csv"})
    assert csv.content.startswith("\ufeff姓名,工号".encode())


@pytest.mark.parametrize("who", ["admin_a", "part_time_a", "learner_a", "city_officer"])
def test_export_of_bs_roster_is_refused(client, world, who):
    client.force_login(getattr(world, who).user)
    response = client.get(f"{START}export/", {"organisation": world.b.pk, "format": "csv"})

    # a learner has no admin at all: sent to sign in with an admin account
    assert refused(response) or response.url.startswith("/accounts/login/")
    assert world.learner_b.employee_number.encode() not in response.content


def test_platform_admin_may_import_into_any_enterprise(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.platform_admin)
    response = upload(client, world.b, xlsx_bytes([person_row(1)]))
    with django_capture_on_commit_callbacks(execute=True):
        client.post(preview_url(response))

    assert Staff.objects.filter(organisation=world.b, employee_number="E00001").exists()
