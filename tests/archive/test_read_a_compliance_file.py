"""合规档案: a person reads their own file, and the organisation's compliance staff who rank
above them read it too, as a page and as a PDF (whose reading by others is audited)."""

import pytest
from django.urls import reverse

from lms.audit.models import AuditEntry
from tests.certificates.conftest import pdf_text
from tests.factories.organisations import PASSWORD

pytestmark = pytest.mark.django_db


def login(client, staff):
    client.login(username=staff.user.email, password=PASSWORD)


def test_a_person_reads_their_own_file(client, world):
    learner = world["learner"]
    login(client, learner)
    response = client.get(reverse("archive:mine"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "赵学员" in page and "L-7" in page and "法务部" in page
    assert world["campaign"].template.title in page  # the letter signed
    assert "主动报告风险线索" in page  # the commendation
    assert "年度合规知识考试合格证书" in page  # the certificate
    for section in ("appointments", "training", "exams", "violations", "appraisals"):
        assert f'id="file-{section}"' in page


def test_the_file_as_a_pdf(client, world, tmp_path):
    learner = world["learner"]
    login(client, learner)
    response = client.get(reverse("archive:person_pdf", args=[learner.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content, tmp_path)
    assert "合规档案" in text and "赵学员" in text and "主动报告风险线索" in text
    # the person reading their own file is not an event for the audit log
    assert not AuditEntry.objects.filter(action="archive.person_file_downloaded").exists()


@pytest.mark.parametrize("reader", ["head", "admin"])
def test_compliance_staff_above_the_person_read_the_file(client, world, reader):
    login(client, world[reader])
    learner = world["learner"]
    page = client.get(reverse("archive:person", args=[learner.pk]))
    assert page.status_code == 200 and "赵学员" in page.content.decode()
    assert client.get(reverse("archive:person_pdf", args=[learner.pk])).status_code == 200
    entry = AuditEntry.objects.get(action="archive.person_file_downloaded")
    assert entry.actor == world[reader].user and entry.object_id == str(learner.pk)
    assert entry.organisation == world["org"]
