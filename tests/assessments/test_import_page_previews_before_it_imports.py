"""The admin's import page shows what a file would create, update (old and new stem) and skip,
keeps the file on the server, and imports only when its uploader confirms that preview."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessments.models import ImportPreview
from lms.organisations.models import ComplianceRole
from tests.factories.assessments import make_bank, make_question
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db

GIFT = """::新题:: 合规管理员发现重大风险应当向谁报告？ {=合规负责人 ~客户 ~供应商}

::改题:: 合规负责人不得兼任业务部门负责人。 {T}

::数值:: 罚款上限是多少万元？ {#50}

::配对:: 将机构与职责配对。 {=董事会 -> 决策 =合规部 -> 执行}

::第二个数值:: 申报期限是几天？ {#30}
"""


@pytest.fixture
def admin(org):
    return person(org, role=ComplianceRole.ADMIN_FULL_TIME).user


@pytest.fixture
def bank(org):
    bank = make_bank(org)
    old = make_question(bank, kind="true_false", stem="旧：合规负责人可以兼任业务部门负责人。")
    old.key, old.name = ["false"], "改题"
    old.save()
    return bank


def _upload(client, bank, data: bytes = GIFT.encode(), name: str = "bank.gift"):
    url = reverse("assessments_admin:bank_transfer", args=[bank.pk])
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def _confirm(client, bank, token: str, action: str = "confirm"):
    url = reverse("assessments_admin:bank_transfer", args=[bank.pk])
    return client.post(url, {"action": action, "token": token}, follow=True)


def _refused(response) -> bool:
    from django.contrib.messages import ERROR

    return response.context["report"] is None and any(
        m.level == ERROR for m in response.context["messages"]
    )


def test_uploading_shows_what_would_be_created_updated_and_skipped_and_imports_nothing(
    client, admin, bank
):
    client.force_login(admin)
    response = _upload(client, bank)
    page = response.content.decode()
    report = response.context["report"]
    assert (report.created, report.updated, len(report.skipped)) == (1, 1, 3)
    assert "合规管理员发现重大风险应当向谁报告" in page  # would create
    assert "旧：合规负责人可以兼任业务部门负责人。" in page  # old stem of the update
    assert "合规负责人不得兼任业务部门负责人。" in page  # its new stem
    assert sorted(count for _reason, count in report.skipped_reasons) == [1, 2]
    assert "不支持数值题" in page and "不支持匹配题" in page
    assert 'id="import-skipped-reasons"' in page and 'id="import-confirm"' in page
    assert bank.questions.count() == 1
    assert bank.questions.get().stem.startswith("旧：")


def test_confirming_imports_exactly_the_previewed_file_once(client, admin, bank):
    client.force_login(admin)
    token = _upload(client, bank).context["token"]
    page = _confirm(client, bank, token)
    assert page.context["report"].created == 1 and page.context["report"].updated == 1
    assert not page.context["report"].dry_run
    stems = set(bank.questions.filter(status="active").values_list("stem", flat=True))
    assert stems == {"合规管理员发现重大风险应当向谁报告？", "合规负责人不得兼任业务部门负责人。"}
    assert not ImportPreview.objects.exists()
    # a second click (or a reload of the confirmation) imports nothing more
    again = _confirm(client, bank, token)
    assert _refused(again)
    assert bank.questions.filter(status="active").count() == 2


def test_cancelling_discards_the_kept_file(client, admin, bank):
    client.force_login(admin)
    token = _upload(client, bank).context["token"]
    _confirm(client, bank, token, action="cancel")
    assert not ImportPreview.objects.exists()
    _confirm(client, bank, token)
    assert bank.questions.count() == 1


def test_someone_elses_preview_token_is_refused(client, org, admin, bank):
    client.force_login(admin)
    token = _upload(client, bank).context["token"]
    colleague = person(org, role=ComplianceRole.ADMIN_FULL_TIME).user
    client.force_login(colleague)
    assert _refused(_confirm(client, bank, token))
    assert bank.questions.count() == 1
    assert ImportPreview.objects.filter(token=token).exists()  # still the uploader's to confirm


def test_a_preview_for_one_bank_cannot_be_confirmed_on_another(client, org, admin, bank):
    client.force_login(admin)
    token = _upload(client, bank).context["token"]
    other_bank = make_bank(org, name="另一个题库")
    assert _refused(_confirm(client, other_bank, token))
    assert other_bank.questions.count() == 0 and bank.questions.count() == 1


def test_a_bank_of_another_organisation_cannot_be_previewed(client, admin, other_org):
    client.force_login(admin)
    foreign = make_bank(other_org)
    assert _upload(client, foreign).status_code == 404
    assert not ImportPreview.objects.exists()


def test_if_the_bank_changed_since_the_preview_the_new_plan_is_shown_instead(client, admin, bank):
    client.force_login(admin)
    token = _upload(client, bank).context["token"]
    # meanwhile someone adds the question the file would have created
    make_question(
        bank,
        stem="合规管理员发现重大风险应当向谁报告？",
        options=["合规负责人", "客户", "供应商"],
        key=["A"],
    )
    page = _confirm(client, bank, token)
    report = page.context["report"]
    assert report.dry_run and report.changed_since_preview
    assert 'id="import-changed"' in page.content.decode()
    assert bank.questions.get(name="改题").stem.startswith("旧：")  # nothing imported
    new_token = page.context["token"]
    assert new_token and new_token != token
    _confirm(client, bank, new_token)
    assert bank.questions.get(name="改题", status="active").stem.startswith("合规负责人不得")


def test_a_file_with_errors_offers_nothing_to_confirm(client, admin, bank):
    client.force_login(admin)
    response = _upload(client, bank, "题干 {=甲 ~乙".encode())
    assert response.context["report"].errors and response.context["token"] is None
    assert 'id="import-confirm"' not in response.content.decode()
    assert not ImportPreview.objects.exists()


def test_a_file_over_the_limit_is_refused_before_it_is_kept(client, admin, bank, monkeypatch):
    from assessments import forms

    monkeypatch.setattr(forms, "MAX_IMPORT_BYTES", 100)
    client.force_login(admin)
    response = _upload(client, bank)
    assert response.status_code == 200 and response.context["report"] is None
    assert response.context["form"].errors["file"]
    assert not ImportPreview.objects.exists()
