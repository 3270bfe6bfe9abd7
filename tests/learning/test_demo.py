"""The learning demo: curricula, enrolments part-way through, and notices to show, idempotently."""

from io import StringIO

import pytest

from lms.learning import demo
from lms.learning.models import Enrolment
from lms.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_demo_gives_people_courses_and_notices_and_runs_again_unchanged():
    import content.demo
    import lms.organisations.demo

    lms.organisations.demo.seed(stdout=StringIO())
    content.demo.seed(stdout=StringIO())
    demo.seed(stdout=StringIO())
    enrolments, notices = Enrolment.objects.count(), Notification.objects.count()
    demo.seed(stdout=StringIO())

    assert enrolments > 50 and Enrolment.objects.count() == enrolments
    assert Notification.objects.count() == notices
    assert Notification.objects.filter(kind="assigned").count() >= 20
