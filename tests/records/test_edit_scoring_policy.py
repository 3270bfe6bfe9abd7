"""考核规则 page: the compliance head saves a new version of the organisation's policy for a
year; thresholds that overlap are refused with the reason and nothing saved; nobody else may."""

import pytest
from django.urls import reverse

from lms.organisations.models import ComplianceRole
from lms.records.models import ScoringPolicy
from lms.records.scoring import DEFAULT_RULES
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db
URL = reverse("records:policy")


def form(org, **changes):
    data = {"org": org.pk, "year": 2026, "base": "100", "repeat_multiplier": "2", "note": "新规"}
    data.update({f"points_{k}": v for k, v in DEFAULT_RULES["points"].items()})
    data.update({f"violation_{k}": v for k, v in DEFAULT_RULES["violation_points"].items()})
    data.update({f"threshold_{k}": v for k, v in DEFAULT_RULES["thresholds"].items()})
    data.update(changes)
    return data


def test_the_head_saves_a_new_version(client, org):
    client.force_login(person(org, role=ComplianceRole.COMPLIANCE_HEAD).user)
    assert "考核规则" in client.get(URL, {"org": org.pk, "year": 2026}).content.decode()
    response = client.post(URL, form(org, points_exam_passed="8"))
    assert response.status_code == 302
    policy = ScoringPolicy.objects.get(organisation=org, year=2026)
    assert policy.rules["points"]["exam_passed"] == "8" and policy.rules["repeat_multiplier"] == "2"
    client.post(URL, form(org))
    assert ScoringPolicy.objects.filter(organisation=org, year=2026).count() == 2


def test_overlapping_thresholds_are_refused_with_the_reason(client, org):
    client.force_login(person(org, role=ComplianceRole.COMPLIANCE_HEAD).user)
    response = client.post(URL, form(org, threshold_pass="120"))
    assert response.status_code == 400
    assert "重叠或顺序错误" in response.content.decode()
    assert not ScoringPolicy.objects.exists()


def test_an_administrator_who_is_not_head_or_another_organisation_gets_404(client, org, other_org):
    client.force_login(person(org, role=ComplianceRole.ADMIN_FULL_TIME).user)
    assert client.get(URL).status_code == 404
    client.force_login(person(org, role=ComplianceRole.COMPLIANCE_HEAD).user)
    assert client.post(URL, form(other_org)).status_code == 404
    assert not ScoringPolicy.objects.exists()
