"""考核规则: an organisation's policy per year, over the platform's default; never changed in
place (a change is a new version); bad rules refused whole."""

import copy

import pytest
from django.core.exceptions import ValidationError

from lms.audit.models import AuditEntry
from lms.records import services
from lms.records.kinds import Grade
from lms.records.models import ScoringPolicy
from lms.records.scoring import DEFAULT_RULES

pytestmark = pytest.mark.django_db


def rules(**changes):
    result = copy.deepcopy(DEFAULT_RULES)
    result.update(changes)
    return result


def test_an_organisation_falls_back_to_the_platform_default_then_the_built_in_rules(org):
    assert services.policy_for(organisation_id=org.pk, year=2026) is None
    assert services.rules_for(organisation_id=org.pk, year=2026) == DEFAULT_RULES
    default = services.policy_save(organisation=None, year=2025, rules=rules(base="90"))
    assert services.policy_for(organisation_id=org.pk, year=2026) == default
    own = services.policy_save(organisation=org, year=2026, rules=rules(base="95"))
    assert services.policy_for(organisation_id=org.pk, year=2026) == own
    assert services.policy_for(organisation_id=org.pk, year=2025) == default


def test_a_change_is_a_new_version_and_is_audited(org):
    first = services.policy_save(organisation=org, year=2026, rules=rules())
    second = services.policy_save(organisation=org, year=2026, rules=rules(base="80"))
    assert (first.version, second.version) == (1, 2)
    assert services.rules_for(organisation_id=org.pk, year=2026)["base"] == "80"
    assert AuditEntry.objects.filter(action="records.policy_save", organisation=org).count() == 2


def test_overlapping_thresholds_are_refused_with_a_clear_message_and_nothing_saved(org):
    bad = rules(thresholds={Grade.EXCELLENT: "90", Grade.PASS: "95", Grade.BASIC_PASS: "60"})
    with pytest.raises(ValidationError) as refused:
        services.policy_save(organisation=org, year=2026, rules=bad)
    assert "重叠或顺序错误" in str(refused.value) or "out of order" in str(refused.value)
    assert not ScoringPolicy.objects.exists()
