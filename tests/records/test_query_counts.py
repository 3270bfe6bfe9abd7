"""我的合规档案 and the entry listener run the same number of queries with 3 entries as with 30:
nothing is read per entry (sources of several kinds, corrections and violations included)."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from lms.records import receivers, services
from lms.records.models import LedgerEntry
from tests.factories.certificates import CertificateTemplateFactory, issue
from tests.factories.organisations import DepartmentFactory, person

pytestmark = pytest.mark.django_db
URL = reverse("records:my_record")


@pytest.fixture
def learner(org):
    return person(org, department=DepartmentFactory(organisation=org, name="采购部"))


@pytest.fixture
def template(org):
    return CertificateTemplateFactory(issuing_organisation=org)


def grow_to(staff, template, total: int) -> None:
    """Give the person `total` entries of mixed kinds: certificates (a linked source), courses,
    a violation and a correction."""
    have = LedgerEntry.objects.filter(user=staff.user).count()
    for n in range(have, total):
        if n % 3 == 0:
            receivers.on_certificate_issued(
                None, certificate=issue(holder=staff.user, template=template, title=f"证书{n}")
            )
        elif n % 3 == 1:
            entry = services.record_entry(
                staff=staff,
                kind="course_on_time",
                source=DepartmentFactory(organisation=staff.organisation),
                occurred_at=timezone.now() - timedelta(minutes=n),
                summary=f"按时完成必修课程《课程{n}》",
            )
            if n == 1:
                services.reverse_entry(entry=entry, reason="重复登记")
        else:
            services.record_entry(
                staff=staff,
                kind="violation",
                severity="general",
                source=DepartmentFactory(organisation=staff.organisation),
                occurred_at=timezone.now() - timedelta(minutes=n),
                summary=f"违规（一般）：事项{n}",
            )
    assert LedgerEntry.objects.filter(user=staff.user).count() >= total


def queries_of(action) -> int:
    with CaptureQueriesContext(connection) as captured:
        action()
    return len(captured.captured_queries)


def test_my_compliance_record_reads_as_much_for_3_entries_as_for_30(
    client, learner, template, django_assert_num_queries
):
    client.force_login(learner.user)
    grow_to(learner, template, 3)
    client.get(URL)  # warm the content-type cache
    few = queries_of(lambda: client.get(URL))
    grow_to(learner, template, 30)
    with django_assert_num_queries(few):
        response = client.get(URL)
    assert response.content.decode().count('<li class="entry') >= 30


def test_the_entry_listener_reads_as_much_for_3_entries_as_for_30(
    learner, template, django_assert_num_queries
):
    grow_to(learner, template, 3)
    receivers.on_certificate_issued(None, certificate=issue(holder=learner.user, template=template))
    third = issue(holder=learner.user, template=template, title="第三")
    few = queries_of(lambda: receivers.on_certificate_issued(None, certificate=third))
    grow_to(learner, template, 30)
    certificate = issue(holder=learner.user, template=template, title="第三十")
    with django_assert_num_queries(few):
        receivers.on_certificate_issued(None, certificate=certificate)
    assert LedgerEntry.objects.filter(source_id=certificate.pk, kind="certificate_gained").exists()
