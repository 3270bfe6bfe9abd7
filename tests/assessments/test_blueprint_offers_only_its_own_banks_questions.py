"""A blueprint's fixed questions are chosen from its own bank only, among the questions the
administrator may see: never another organisation's, never a regulator's sealed bank."""

import pytest
from django.urls import reverse

from assessments.models import Blueprint
from tests.factories.assessments import make_bank, make_blueprint, make_question
from tests.factories.organisations import RegulatorFactory

pytestmark = pytest.mark.django_db

OWN = "本公司题库：合规负责人对谁负责？"
PRACTICE = "练习题库：合规风险清单多久更新一次？"
FOREIGN = "别家企业内部题目：供应商准入标准是什么？"
SEALED = "监管抽查密封题目：平台应当保存交易记录多久？"


@pytest.fixture
def banks(org, other_org):
    own = make_bank(org, name="本公司题库")
    for n in range(3):
        make_question(own, stem=f"{OWN}（{n}）")
    practice = make_bank(org, name="练习题库")
    make_question(practice, stem=PRACTICE)
    foreign = make_question(make_bank(other_org), stem=FOREIGN)
    sealed = make_question(make_bank(RegulatorFactory()), stem=SEALED)
    return own, foreign, sealed


def section_form(bank, fixed_ids):
    return {
        "bank": bank.pk,
        "name": "固定题目组卷",
        "sections-TOTAL_FORMS": "1",
        "sections-INITIAL_FORMS": "0",
        "sections-MIN_NUM_FORMS": "0",
        "sections-MAX_NUM_FORMS": "1000",
        "sections-0-title": "必答题",
        "sections-0-count": "0",
        "sections-0-points": "5",
        "sections-0-kind": "",
        "sections-0-tag": "",
        "sections-0-difficulty_min": "1",
        "sections-0-difficulty_max": "5",
        "sections-0-fixed_questions": [str(i) for i in fixed_ids],
        "sections-0-ORDER": "0",
    }


def test_a_new_blueprint_offers_only_the_administrators_own_questions(
    client, compliance_admin, banks
):
    client.force_login(compliance_admin)
    page = client.get(reverse("blueprints:add")).content.decode()
    assert OWN in page and PRACTICE in page
    assert FOREIGN not in page and SEALED not in page


def test_an_existing_blueprint_offers_only_its_own_banks_questions(client, compliance_admin, banks):
    own, _foreign, _sealed = banks
    blueprint = make_blueprint(own, sections=[{"count": 2}])
    client.force_login(compliance_admin)
    page = client.get(reverse("blueprints:edit", args=[blueprint.pk])).content.decode()
    assert OWN in page
    assert PRACTICE not in page and FOREIGN not in page and SEALED not in page


@pytest.mark.parametrize("which", ["foreign", "sealed"])
def test_a_question_that_was_not_offered_is_refused(client, compliance_admin, banks, which):
    own, foreign, sealed = banks
    smuggled = foreign if which == "foreign" else sealed
    client.force_login(compliance_admin)
    response = client.post(reverse("blueprints:add"), section_form(own, [smuggled.pk]))
    assert response.status_code == 200
    assert not Blueprint.objects.filter(name="固定题目组卷").exists()
    page = response.content.decode()
    assert FOREIGN not in page and SEALED not in page


def test_the_own_banks_questions_can_be_fixed(client, compliance_admin, banks):
    own, _foreign, _sealed = banks
    first = own.questions.order_by("pk").first()
    client.force_login(compliance_admin)
    response = client.post(reverse("blueprints:add"), section_form(own, [first.pk]))
    assert response.status_code == 302
    section = Blueprint.objects.get(name="固定题目组卷").sections.get()
    assert list(section.fixed_questions.values_list("pk", flat=True)) == [first.pk]
