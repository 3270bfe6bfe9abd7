"""举报: a report of a violation reaches the compliance head and the CCO and nobody else: not a
full-time or part-time administrator, not another organisation's head, not a platform
administrator; not through the report's page, its files, the audit log, notices or the admin's
search. An anonymous report keeps no trace of who made it."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from lms.audit.models import AuditEntry
from lms.consultations.models import Report
from lms.notifications.models import Notification
from lms.organisations.models import Staff
from lms.records.models import Violation
from tests.consultations.conftest import pdf, report
from tests.factories.organisations import UserFactory

pytestmark = pytest.mark.django_db
OUTSIDERS = ["admin", "part_time", "colleague", "learner", "other_head", "platform_admin"]


@pytest.fixture
def platform_admin(world):
    world["platform_admin"] = UserFactory(is_staff=True, is_superuser=True, full_name="平台管理员")
    return world["platform_admin"]


def test_a_report_reaches_the_head_and_the_cco_only(world, client):
    made = report(world, files=[pdf("照片.pdf")])
    told = set(Notification.objects.filter(kind="report_received").values_list("user", flat=True))
    assert told == {world["head"].pk, world["cco"].pk}
    for reader in ("head", "cco"):
        client.force_login(world[reader])
        page = client.get(reverse("consultations:report", args=[made.pk])).content.decode()
        assert "采购部有人收取供应商回扣。" in page
        assert "采购回扣线索" in client.get(reverse("consultations:reports")).content.decode()


@pytest.mark.parametrize("outsider", OUTSIDERS)
def test_nobody_else_opens_a_report_or_its_files(world, client, platform_admin, outsider):
    made = report(world, files=[pdf("照片.pdf")])
    file = made.attachments.get()
    client.force_login(world[outsider])
    for url in (
        reverse("consultations:report", args=[made.pk]),
        reverse("consultations:report_file", args=[made.pk, file.pk]),
    ):
        assert client.get(url).status_code == 404, url
    listed = client.get(reverse("consultations:reports"))
    assert listed.status_code == 404 or "采购回扣线索" not in listed.content.decode()
    for action in ("report_close", "report_record"):
        url = reverse(f"consultations:{action}", args=[made.pk])
        assert client.post(url, {"outcome": "查无实据"}).status_code == 404
    made.refresh_from_db()
    assert made.status == Report.Status.RECEIVED


def test_an_anonymous_report_keeps_no_trace_of_the_reporter(world, client, platform_admin):
    client.force_login(world["learner"])
    before = AuditEntry.objects.filter(actor=world["learner"]).count()
    response = client.post(
        reverse("consultations:report_new"),
        {"subject": "采购回扣线索", "description": "采购部有人收取供应商回扣。", "anonymous": "on"},
        REMOTE_ADDR="10.1.2.3",
    )
    assert response.status_code == 302
    made = Report.objects.get()
    assert made.reporter_id is None and made.anonymous
    entry = AuditEntry.objects.get(action="consultations.report_submit")
    assert entry.actor_id is None and entry.actor_label == "withheld" and entry.ip_address is None
    assert AuditEntry.objects.filter(actor=world["learner"]).count() == before
    assert not AuditEntry.objects.filter(ip_address="10.1.2.3").exists()
    assert not Notification.objects.filter(user=world["learner"]).exists()
    for notice in Notification.objects.all():
        assert "赵学员" not in notice.subject + notice.body + notice.link
    # the head reads the report as anonymous; the platform administrator finds nothing
    client.force_login(world["head"])
    page = client.get(reverse("consultations:report", args=[made.pk])).content.decode()
    reporter_shown = page.split('id="reporter">', 1)[1].split("</dd>", 1)[0]
    assert "赵学员" not in reporter_shown and reporter_shown.strip()
    client.force_login(platform_admin)
    for url in ("/admin/audit/", "/admin/audit/?q=举报", f"/admin/audit/?q={made.pk}"):
        assert "report_submit" not in client.get(url).content.decode()
    assert client.get(f"/admin/audit/inspect/{entry.pk}/").status_code == 404
    search = client.get("/admin/pages/search/", {"q": "回扣"})
    assert search.status_code == 200  # the query itself is echoed in the box: look for the report
    assert "采购回扣线索" not in search.content.decode()
    assert "采购部有人收取供应商回扣" not in search.content.decode()


def test_a_named_report_names_the_reporter_to_the_head_only(world, client):
    made = report(world, anonymous=False)
    assert made.reporter == world["learner"]
    entry = AuditEntry.objects.get(action="consultations.report_submit")
    assert entry.actor_id is None and "赵学员" not in str(entry.data) + entry.object_repr
    for notice in Notification.objects.filter(kind="report_received"):
        assert "赵学员" not in notice.subject + notice.body
    client.force_login(world["head"])
    assert "赵学员" in client.get(reverse("consultations:report", args=[made.pk])).content.decode()


def test_the_head_reads_the_reports_audit_entries_without_the_reporter(world, client):
    report(world, anonymous=False)
    client.force_login(world["head"])
    page = client.get("/admin/audit/").content.decode()
    assert "赵学员" not in page


def test_the_head_turns_a_report_into_a_violation_record(world, client):
    made = report(world)
    person = Staff.objects.get(user=world["colleague"])
    client.force_login(world["head"])
    response = client.post(
        reverse("consultations:report_record", args=[made.pk]),
        {
            "staff": person.pk,
            "occurred_on": timezone.localdate().isoformat(),
            "nature": "商业贿赂",
            "severity": "general",
            "description": "收取供应商回扣。",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made.refresh_from_db()
    violation = Violation.objects.get()
    assert made.status == Report.Status.RECORDED and made.violation == violation
    assert violation.staff == person and violation.reported_by == world["head"]


def test_a_report_is_dealt_with_once(world):
    from lms.consultations import services

    made = report(world)
    services.report_close(actor=world["head"], report_id=made.pk, outcome="查无实据")
    with pytest.raises(services.ConsultationRefused):
        services.report_close(actor=world["cco"], report_id=made.pk, outcome="再次关闭")
    with pytest.raises(PermissionDenied):
        services.report_close(actor=world["admin"], report_id=made.pk, outcome="越权")


def test_a_report_attachment_of_the_wrong_type_is_refused(world, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world["learner"])
    fake = SimpleUploadedFile("证据.pdf", b"not a pdf at all", content_type="application/pdf")
    response = client.post(
        reverse("consultations:report_new"),
        {"subject": "线索", "description": "情况说明", "files": [fake]},
    )
    assert response.status_code == 400
    assert not Report.objects.exists()


@pytest.mark.parametrize("reader", ["platform_admin", "head", "cco", "admin", "other_head"])
def test_the_admins_search_finds_a_course_on_the_same_words_but_never_the_report(
    world, client, platform_admin, reader
):
    """A positive control first (a course titled with the same words is found, so the search
    did run), then every search area the admin's search page offers is opened with the words:
    none shows the report's subject, text or reporter."""
    import re
    from html import unescape

    from tests.factories import content

    report(world, anonymous=False)
    content.course(title="回扣与商业贿赂防范", lessons=1, owner=world["org"])
    client.force_login(world[reader])
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": "回扣"})
    assert response.status_code == 200
    page = response.content.decode()
    if reader == "platform_admin":
        assert "回扣与商业贿赂防范" in page  # the search ran over the pages
    areas = {
        unescape(href)
        for href in re.findall(r'href="(/admin/[^"]*[?&]q=[^"]*)"', page)
        if "/admin/pages/search/" not in href
    }
    assert areas or reader != "platform_admin"  # Wagtail lists its other search areas
    for text in [page] + [client.get(url).content.decode() for url in sorted(areas)]:
        for secret in ("采购回扣线索", "采购部有人收取供应商回扣", "赵学员"):
            assert secret not in text, (reader, secret)
