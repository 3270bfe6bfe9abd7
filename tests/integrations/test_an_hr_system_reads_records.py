"""An HR system reads its organisation's records with a key: pages by cursor, only what changed
since a moment, and never another organisation's (404 on a record of theirs)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from assessments import services as exams
from lms.learning import services as learning
from lms.records import services as records
from tests.factories import content
from tests.factories.assessments import make_exam
from tests.factories.certificates import CertificateTemplateFactory, issue
from tests.factories.organisations import DepartmentFactory, person
from tests.integrations.conftest import auth

pytestmark = pytest.mark.django_db


def finalised_result(organisation, staff):
    exam = make_exam(organisation, users=[staff.user], title="年度合规考试")
    attempt = exams.attempt_start(exam=exam, user=staff.user)
    return exams.attempt_submit(attempt_id=attempt.pk, user=staff.user)


def get(client, url, raw, **params):
    return client.get(url, params, **auth(raw))


def test_results_page_by_cursor_and_filter_by_updated_since(client, org, head, read_key):
    people = [person(org, employee_number=f"R{n:03d}") for n in range(5)]
    results = [finalised_result(org, p) for p in people]
    first = get(client, "/api/v1/results/", read_key, page_size=2)
    assert first.status_code == 200
    body = first.json()
    assert [r["id"] for r in body["results"]] == [results[0].pk, results[1].pk]
    assert body["results"][0]["employee_number"] == "R000"
    assert body["results"][0]["exam_title"] == "年度合规考试"
    assert body["results"][0]["passed"] is False
    seen = [r["id"] for r in body["results"]]
    url = body["next"]
    while url:
        page = client.get(url, **auth(read_key)).json()
        seen += [r["id"] for r in page["results"]]
        url = page["next"]
    assert seen == [r.pk for r in results]

    cutoff = timezone.now() + timedelta(seconds=1)
    later = finalised_result(org, person(org, employee_number="R999"))
    type(later).objects.filter(pk=later.pk).update(graded_at=cutoff + timedelta(minutes=1))
    since = get(client, "/api/v1/results/", read_key, updated_since=cutoff.isoformat())
    assert [r["id"] for r in since.json()["results"]] == [later.pk]
    bad = get(client, "/api/v1/results/", read_key, updated_since="yesterday")
    assert bad.status_code == 400


def test_a_key_of_one_organisation_never_reads_another(client, org, other_org, head, read_key):
    mine = finalised_result(org, person(org))
    theirs = finalised_result(other_org, person(other_org))
    listing = get(client, "/api/v1/results/", read_key).json()
    assert [r["id"] for r in listing["results"]] == [mine.pk]
    assert get(client, f"/api/v1/results/{theirs.pk}/", read_key).status_code == 404
    assert get(client, f"/api/v1/results/{mine.pk}/", read_key).status_code == 200

    their_certificate = issue(template=CertificateTemplateFactory(issuing_organisation=other_org))
    assert get(client, f"/api/v1/certificates/{their_certificate.pk}/", read_key).status_code == 404
    assert get(client, "/api/v1/certificates/", read_key).json()["results"] == []


def test_enrolments_certificates_and_the_yearly_records_are_read(
    client, org, head, read_key, django_capture_on_commit_callbacks
):
    staff = person(org, employee_number="P001", user__full_name="钱学员")
    course = content.course(title="反商业贿赂")
    enrolment = learning.enrolment_assign_manual(
        staff=staff, course=course, due_on=None, reason="新员工", actor=head
    )
    certificate = issue(
        holder=staff.user, template=CertificateTemplateFactory(issuing_organisation=org)
    )
    records.record_entry(
        staff=staff,
        kind="exam_failed",
        source=DepartmentFactory(organisation=org),
        occurred_at=timezone.now(),
        summary="年度考试未通过",
    )
    year = timezone.localdate().year
    records.year_close(actor=head, organisation=org, year=year)

    enrolments = get(client, "/api/v1/enrolments/", read_key).json()["results"]
    assert [(e["id"], e["course_title"], e["employee_number"]) for e in enrolments] == [
        (enrolment.pk, "反商业贿赂", "P001")
    ]
    certificates = get(client, "/api/v1/certificates/", read_key).json()["results"]
    assert [(c["id"], c["serial"], c["employee_number"]) for c in certificates] == [
        (certificate.pk, certificate.serial, "P001")
    ]
    ledger = get(client, "/api/v1/performance/ledger/", read_key).json()["results"]
    assert [(e["kind"], e["employee_number"]) for e in ledger] == [("exam_failed", "P001")]
    appraisals = get(client, "/api/v1/performance/appraisals/", read_key).json()["results"]
    mine = [a for a in appraisals if a["employee_number"] == "P001"]
    assert [(a["year"], a["version"], a["grade"]) for a in mine] == [(year, 1, "fail")]
    assert mine[0]["user_id"] == staff.user_id

    # a list renders its rows from plain values (fast); a record alone goes through the
    # serializer: both say the same
    for listed, url in (
        (enrolments, "/api/v1/enrolments/"),
        (certificates, "/api/v1/certificates/"),
        (ledger, "/api/v1/performance/ledger/"),
        (appraisals, "/api/v1/performance/appraisals/"),
    ):
        for row in listed:
            assert get(client, f"{url}{row['id']}/", read_key).json() == row


def test_a_listed_result_reads_as_the_result_alone(client, org, read_key):
    result = finalised_result(org, person(org, employee_number="S001"))
    [listed] = get(client, "/api/v1/results/", read_key).json()["results"]
    assert get(client, f"/api/v1/results/{result.pk}/", read_key).json() == listed
    assert listed["updated_at"].endswith("+08:00")
