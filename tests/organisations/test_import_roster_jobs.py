"""A confirmed roster import runs as a job: its progress page, its JSON, who may see it, and
what a repeated confirmation or a failure does."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from lms.audit.models import AuditEntry
from lms.organisations.models import RosterImportJob, Staff
from lms.organisations.roster import importing
from lms.organisations.tasks import run_roster_import_job
from tests.factories.organisations import UserFactory
from tests.organisations.files.roster import person_row, xlsx_bytes
from tests.organisations.tenancy import build_world

pytestmark = pytest.mark.django_db
START = "/admin/roster/"


@pytest.fixture
def world(db, settings, tmp_path):
    settings.ROSTER_UPLOAD_DIR = tmp_path / "uploads"
    return build_world()


def row(n: int) -> list:
    """Person n of a file, under an employee number the factories do not hand out."""
    return person_row(n, 工号=f"J{n:05d}")


def preview(client, org, rows) -> str:
    """Upload a file and return its preview's address."""
    response = client.post(
        START,
        {"organisation": org.pk, "file": SimpleUploadedFile("花名册.xlsx", xlsx_bytes(rows))},
        follow=True,
    )
    assert response.status_code == 200
    return response.redirect_chain[-1][0]


def test_confirming_creates_a_job_that_is_done_with_its_counts(
    client, world, django_capture_on_commit_callbacks
):
    existing = world.learner_a
    client.force_login(world.admin_a.user)
    url = preview(
        client,
        world.a,
        [
            row(1),
            row(2),
            [
                existing.user.full_name,
                existing.employee_number,
                "",
                "",
                "",
                existing.user.email,
                "",
            ],
        ],
    )

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    job = RosterImportJob.objects.get()
    assert response.status_code == 302 and response.url == f"{START}jobs/{job.pk}/"
    assert job.status == RosterImportJob.Status.DONE
    assert (job.created, job.updated, job.unchanged) == (2, 0, 1)
    assert job.rows_total == job.rows_processed == 3
    assert job.organisation == world.a and job.requested_by == world.admin_a.user
    assert job.file_name == "花名册.xlsx"
    assert job.started_at and job.finished_at and not job.error
    page = client.get(response.url).content.decode()
    assert "新建 2，更新 0，未变 1" in page
    assert 'class="messages"' in page and 'href="/admin/roster/"' in page


def test_progress_json_follows_the_job(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.admin_a.user)
    url = preview(client, world.a, [row(1), row(2)])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(url)
    job = RosterImportJob.objects.get()
    progress_url = f"{START}jobs/{job.pk}/progress/"

    assert client.get(progress_url).json() == {
        "status": "queued",
        "done": 0,
        "total": 0,
        "percent": 0,
        "finished": False,
    }
    page = client.get(f"{START}jobs/{job.pk}/").content.decode()
    assert 'id="roster-progress"' in page and progress_url in page
    assert not Staff.objects.filter(employee_number="J00001").exists()

    for callback in queued:
        callback()

    assert client.get(progress_url).json() == {
        "status": "done",
        "done": 2,
        "total": 2,
        "percent": 100,
        "finished": True,
    }
    assert client.post(progress_url).status_code == 405


def test_another_users_job_is_not_found(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.admin_a.user)
    url = preview(client, world.a, [row(1)])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    job = RosterImportJob.objects.get()

    # another administrator of the same enterprise, and one of another enterprise
    for other in (world.head_a.user, world.admin_b.user):
        client.force_login(other)
        assert client.get(f"{START}jobs/{job.pk}/").status_code == 404
        assert client.get(f"{START}jobs/{job.pk}/progress/").status_code == 404
        assert client.post(url).status_code == 404  # nor can they confirm the upload
    client.force_login(world.platform_admin)
    assert client.get(f"{START}jobs/{job.pk}/progress/").json()["status"] == "done"


def test_confirming_twice_imports_once(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.admin_a.user)
    url = preview(client, world.a, [row(1), row(2)])

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url)
        second = client.post(url)  # a double click, or the browser sending the form again
    reload = client.get(url)  # the preview reloaded after the import

    job = RosterImportJob.objects.get()
    assert first.url == second.url == reload.url == f"{START}jobs/{job.pk}/"
    run_roster_import_job(job.pk)  # a task delivered twice
    assert Staff.objects.filter(organisation=world.a, employee_number="J00001").count() == 1
    assert AuditEntry.objects.filter(action="roster.import").count() == 1
    assert AuditEntry.objects.filter(action="staff.create").count() == 2


def test_a_file_that_became_wrong_after_its_preview_fails_and_saves_nothing(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.admin_a.user)
    url = preview(client, world.a, [row(1), row(2)])
    UserFactory(email="staff2@example.cn")  # someone takes an e-mail in the file meanwhile

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    response = client.get(response.url)

    job = RosterImportJob.objects.get()
    assert job.status == RosterImportJob.Status.FAILED and job.finished_at
    assert job.error.startswith("没有导入任何数据")
    assert "第 3 行" in job.error
    html = response.content.decode()
    assert "没有导入" in html and "staff2@example.cn" in html
    assert not Staff.objects.filter(employee_number__in=["J00001", "J00002"]).exists()
    assert not AuditEntry.objects.filter(action="roster.import").exists()


def test_an_unexpected_error_fails_the_job_and_saves_nothing(
    client, world, django_capture_on_commit_callbacks, monkeypatch
):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(importing, "staff_sync_roles_many", broken)  # after people are saved
    client.force_login(world.admin_a.user)
    url = preview(client, world.a, [row(1), row(2)])

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    response = client.get(response.url)

    job = RosterImportJob.objects.get()
    assert job.status == RosterImportJob.Status.FAILED
    assert "意外错误" in job.error and "没有导入任何数据" in job.error
    assert "意外错误" in response.content.decode()
    assert not Staff.objects.filter(employee_number__in=["J00001", "J00002"]).exists()
    assert (job.created, job.updated, job.unchanged) == (0, 0, 0)


def test_an_upload_gone_before_the_job_runs_fails_it(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.admin_a.user)
    url = preview(client, world.a, [row(1)])
    with django_capture_on_commit_callbacks(execute=False) as queued:
        client.post(url)
    for path in world_upload_files():
        path.unlink()

    for callback in queued:
        callback()

    job = RosterImportJob.objects.get()
    assert job.status == RosterImportJob.Status.FAILED
    assert "请重新上传" in job.error
    assert not Staff.objects.filter(employee_number="J00001").exists()


def world_upload_files():
    from lms.organisations.roster import uploads

    return list(uploads.upload_dir().glob("*.*"))


def test_the_import_reports_its_progress(world):
    calls = []
    rows = [row(n) for n in range(1, 6)]

    result = importing.roster_import(
        organisation=world.a,
        data=xlsx_bytes(rows),
        file_name="r.xlsx",
        progress=lambda done, total: calls.append((done, total)),
    )

    assert result.imported
    assert calls[0] == (0, 5) and calls[-1] == (5, 5)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert {total for _, total in calls} == {5}


@pytest.mark.django_db(transaction=True)
def test_progress_shows_while_the_import_is_under_way(settings, tmp_path, monkeypatch):
    from django.db import connections

    from lms.organisations.roster import jobs, uploads

    connection = connections["default"]
    if connection.vendor != "postgresql":
        pytest.skip("progress is written on a connection of its own on PostgreSQL only")
    settings.ROSTER_UPLOAD_DIR = tmp_path / "uploads"
    world = build_world()
    seen = []
    sync_roles = importing.staff_sync_roles_many

    def look_from_elsewhere(**kwargs):
        """Half-way through, inside the import's transaction: what does the progress page see?"""
        other = type(connection)(dict(connection.settings_dict), connection.alias)
        try:
            with other.cursor() as cursor:
                cursor.execute(
                    "SELECT status, rows_processed, rows_total FROM "
                    f"{RosterImportJob._meta.db_table}"
                )
                seen.extend(cursor.fetchall())
                cursor.execute("SELECT count(*) FROM organisations_staff")
                seen.append(cursor.fetchone())
        finally:
            other.close()
        return sync_roles(**kwargs)

    monkeypatch.setattr(importing, "staff_sync_roles_many", look_from_elsewhere)
    staff_before = Staff.objects.count()
    upload = uploads.upload_load(
        token=uploads.upload_store(
            data=xlsx_bytes([row(n) for n in range(1, 5)]),
            file_name="r.xlsx",
            user_id=world.admin_a.user.pk,
            organisation_id=world.a.pk,
        ),
        user_id=world.admin_a.user.pk,
    )

    job = jobs.roster_import_job_start(
        organisation=world.a, upload=upload, actor=world.admin_a.user
    )

    (status, processed, total), (staff_seen,) = seen
    assert status == "running" and total == 4 and 0 < processed < total
    assert staff_seen == staff_before  # the people themselves are not there until the end
    job.refresh_from_db()
    assert job.status == "done" and job.rows_processed == 4


def test_a_job_whose_worker_died_runs_again_when_its_task_comes_back(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.admin_a.user)
    url = preview(client, world.a, [row(1)])
    with django_capture_on_commit_callbacks(execute=False):
        client.post(url)
    job = RosterImportJob.objects.get()
    job.status, job.started_at = job.Status.RUNNING, timezone.now() - timedelta(minutes=5)
    job.save()

    run_roster_import_job(job.pk)  # still within the time an import may take: left alone
    assert not Staff.objects.filter(employee_number="J00001").exists()

    RosterImportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - timedelta(hours=1))
    run_roster_import_job(job.pk)
    job.refresh_from_db()
    assert job.status == job.Status.DONE and job.created == 1


def test_a_worker_writes_the_audit_entries_under_the_uploader_and_their_address(
    client, world, django_capture_on_commit_callbacks
):
    client.force_login(world.admin_a.user)
    url = preview(client, world.a, [row(1)])
    with django_capture_on_commit_callbacks(execute=False):  # queued, not run in the request
        client.post(url, REMOTE_ADDR="203.0.113.7")
    job = RosterImportJob.objects.get()
    assert job.requested_from == "203.0.113.7"

    run_roster_import_job(job.pk)  # as a worker would: no request around it

    entries = AuditEntry.objects.filter(action__in=["roster.import", "staff.create"])
    assert entries.count() == 2
    assert {(e.actor_id, e.ip_address) for e in entries} == {(world.admin_a.user.pk, "203.0.113.7")}


def test_the_uploader_is_told_in_notifications_how_the_import_ended(
    client, world, django_capture_on_commit_callbacks
):
    from lms.notifications.models import Notification

    client.force_login(world.admin_a.user)
    url = preview(client, world.a, [row(1), row(2)])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url)
    job = RosterImportJob.objects.get()

    notice = Notification.objects.get(user=world.admin_a.user, kind="roster")
    assert notice.subject == "花名册导入完成：花名册.xlsx"
    assert "新建 2，更新 0，未变 0" in notice.body
    assert notice.link == f"{START}jobs/{job.pk}/"
    run_roster_import_job(job.pk)  # a repeated delivery tells no one twice
    assert Notification.objects.filter(kind="roster").count() == 1
