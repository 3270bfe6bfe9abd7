"""A person's file is personal data: a regulator is refused (aggregates only), and a learner
reading someone else's, an administrator reading a file above their rank, or anyone of another
organisation finds nothing (404)."""

import pytest
from django.urls import reverse

from lms.organisations.models import ComplianceRole
from tests.factories.organisations import (
    PASSWORD,
    JurisdictionFactory,
    OrganisationFactory,
    person,
)

pytestmark = pytest.mark.django_db


def login(client, staff):
    client.login(username=staff.user.email, password=PASSWORD)


def test_a_regulator_asking_for_a_persons_file_is_refused(client, world):
    jurisdiction = JurisdictionFactory(region_prefixes=world["org"].region_code[:4])
    officer = person(jurisdiction.regulator, role=ComplianceRole.REGULATOR_OFFICER)
    login(client, officer)
    for name in ("archive:person", "archive:person_pdf"):
        response = client.get(reverse(name, args=[world["learner"].pk]))
        assert response.status_code == 403
        assert "赵学员" not in response.content.decode()
    page = client.get(reverse("archive:person", args=[world["learner"].pk])).content.decode()
    assert "personal data" in page or "个人" in page


def test_a_person_of_another_organisation_is_not_found(client, world, other_org):
    head_elsewhere = person(other_org, role=ComplianceRole.COMPLIANCE_HEAD)
    login(client, head_elsewhere)
    for name in ("archive:person", "archive:person_pdf"):
        assert client.get(reverse(name, args=[world["learner"].pk])).status_code == 404


def test_a_learner_opening_someone_elses_file_finds_nothing(client, world):
    colleague = person(world["org"], user__full_name="钱同事")
    login(client, colleague)
    for name in ("archive:person", "archive:person_pdf"):
        assert client.get(reverse(name, args=[world["learner"].pk])).status_code == 404


def test_an_administrator_does_not_read_the_file_of_someone_who_outranks_them(client, world):
    login(client, world["admin"])
    assert client.get(reverse("archive:person", args=[world["head"].pk])).status_code == 404


def test_a_regulator_of_another_region_finds_nothing(client, world):
    far = OrganisationFactory(region_code="440300")
    jurisdiction = JurisdictionFactory(region_prefixes="4403")
    officer = person(jurisdiction.regulator, role=ComplianceRole.REGULATOR_OFFICER)
    assert far.pk  # an enterprise in that regulator's region, not ours
    login(client, officer)
    assert client.get(reverse("archive:person", args=[world["learner"].pk])).status_code == 404
