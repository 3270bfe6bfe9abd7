"""The main menu shows each person what they use: learners their learning, regulators their portal."""

import pytest

from lms.organisations.models import ComplianceRole
from tests.factories.organisations import RegulatorFactory, person

pytestmark = pytest.mark.django_db


def _menu(client, user) -> str:
    client.force_login(user)
    html = client.get("/").content.decode()
    return html[html.index('class="main-nav"') : html.index("</nav>")]


def test_a_learner_sees_learning_and_exams(client, org):
    menu = _menu(client, person(org).user)
    assert "我的学习" in menu
    assert "我的考试" in menu


def test_a_regulator_does_not_see_learner_menus(client):
    officer = person(RegulatorFactory(), role=ComplianceRole.REGULATOR_OFFICER).user
    menu = _menu(client, officer)
    assert "我的学习" not in menu
    assert "我的考试" not in menu
    assert "监管抽查" in menu
