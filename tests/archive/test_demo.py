"""The demo's archive: ready to download for 城投集团's head, and seeding again adds none."""

import pytest

from lms.archive import demo
from lms.archive.models import InspectionArchive
from lms.organisations.models import ComplianceRole
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db


def test_the_demo_leaves_one_archive_ready_to_download(org):
    person(org, role=ComplianceRole.COMPLIANCE_HEAD, user__email="head@chengtou.demo")
    demo.seed()
    demo.seed()
    archive = InspectionArchive.objects.get()
    assert archive.ready and archive.people == 1 and archive.organisation == org


def test_without_the_demo_organisation_nothing_is_seeded(db):
    demo.seed()
    assert not InspectionArchive.objects.exists()
