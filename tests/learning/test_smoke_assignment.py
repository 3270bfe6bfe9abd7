import pytest

from lms.learning.models import Enrolment
from lms.learning.services import assignment_run
from lms.organisations.models import ComplianceRole
from tests.factories import content as cf
from tests.factories.organisations import person


@pytest.mark.django_db
def test_assignment_enrols_the_audience_once(org):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME)
    learner = person(org)
    course = cf.course(lessons=2)
    cf.curriculum(courses=[course], audience_roles=[ComplianceRole.ADMIN_FULL_TIME], due_days=30)
    assert assignment_run(organisation=org) == 1
    assert assignment_run(organisation=org) == 0
    assert Enrolment.objects.filter(user=admin.user).count() == 1
    assert not Enrolment.objects.filter(user=learner.user).exists()
