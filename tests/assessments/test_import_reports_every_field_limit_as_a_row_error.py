"""Every field limit of a question is a row error in the import report: never a traceback, in
a dry run or a real one, from the command or the admin's import page."""

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from assessments.services.imports import questions_import
from lms.organisations.models import ComplianceRole
from tests.factories.assessments import make_bank
from tests.factories.organisations import person

pytestmark = pytest.mark.django_db

LONG_REFERENCE = "《中央企业合规管理办法》第十二条" * 20  # 320 characters, the limit is 300


def _csv(reference: str) -> bytes:
    return (
        "题型,题干,选项A,选项B,答案,解析,标签,难度,法规依据\n"
        "单选题,第一题：合规负责人由谁任命？,董事会,部门经理,A,,,3,第五条\n"
        f"判断题,第二题：合规管理覆盖全部业务。,,,正确,,,3,{reference}\n"
    ).encode()


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_regulation_reference_over_the_limit_is_a_row_error(org, dry_run):
    bank = make_bank(org)
    report = questions_import(bank=bank, data=_csv(LONG_REFERENCE), fmt="csv", dry_run=dry_run)
    assert not report.ok and bank.questions.count() == 0
    (problem,) = report.errors
    assert problem.position == 3
    assert "法规依据" in problem.message and "300" in problem.message


def test_a_gift_name_over_the_limit_is_a_row_error(org):
    bank = make_bank(org)
    data = f"::{'名' * 300}::合规管理覆盖全部业务。{{T}}\n".encode()
    report = questions_import(bank=bank, data=data, fmt="gift")
    assert not report.ok and "255" in report.errors[0].message


@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_the_command_reports_the_row_instead_of_a_traceback(org, tmp_path, dry_run):
    bank = make_bank(org)
    path = tmp_path / "bank.csv"
    path.write_bytes(_csv(LONG_REFERENCE))
    err = StringIO()
    with pytest.raises(CommandError, match="1"):
        call_command(
            "import_questions",
            str(path),
            "--bank",
            str(bank.pk),
            *dry_run,
            stdout=StringIO(),
            stderr=err,
        )
    assert "#3" in err.getvalue() and "法规依据" in err.getvalue()
    assert bank.questions.count() == 0


def test_the_import_page_shows_the_row_error_instead_of_a_500(client, org):
    admin = person(org, role=ComplianceRole.ADMIN_FULL_TIME).user
    bank = make_bank(org)
    client.force_login(admin)
    url = reverse("assessments_admin:bank_transfer", args=[bank.pk])
    response = client.post(url, {"file": SimpleUploadedFile("q.csv", _csv(LONG_REFERENCE))})
    assert response.status_code == 200
    assert "法规依据" in response.content.decode()
    assert response.context["token"] is None  # nothing to confirm
    assert bank.questions.count() == 0
