"""A parameter of digits other than ASCII ("²", "١２") is no id or year: the page says 404, never
a 500 (str.isdigit() accepts them, int() and the database do not)."""

import pytest
from django.urls import reverse

from lms.organisations.models import ComplianceRole
from lms.params import whole_number
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("value", "number"),
    [("12", 12), ("0", 0), ("²", None), ("١٢", None), ("１２", None), ("-1", None), ("", None)],
)
def test_whole_numbers_are_ascii_digits_only(value, number):
    assert whole_number(value) == number


@pytest.mark.parametrize(
    "url",
    [
        reverse("records:appraisal") + "?org=²",
        reverse("records:my_record") + "?year=²",
        reverse("records:policy") + "?org=²",
        reverse("learning:dashboard") + "?org=²",
    ],
)
def test_a_head_sending_odd_digits_gets_a_404(client, org, url):
    client.force_login(person(org, role=ComplianceRole.COMPLIANCE_HEAD).user)
    assert client.get(url).status_code == 404
