"""Bad input gets a clear message, in Chinese and in English, and nothing is half-saved."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from wagtail.users.models import UserProfile

from lms.organisations import credit_code
from lms.organisations.models import Department, Organisation, Staff
from lms.organisations.services import department_save, organisation_save, person_create
from tests.factories.organisations import make_credit_code, person
from tests.organisations.tenancy import build_world

pytestmark = pytest.mark.django_db
User = get_user_model()

WRONG_CHECK_ZH = "校验码（第 18 位）不正确，请检查代码是否输入有误。"
WRONG_CHECK_EN = "The check character (the 18th) is wrong: please check the code for a typo."
DUPLICATE_NUMBER_ZH = "该工号在本组织中已被使用。"
DUPLICATE_NUMBER_EN = "This employee number is already used in this organisation."
CYCLE_ZH = "部门不能置于自身或其下级部门之下。"
CYCLE_EN = "A department cannot be placed under itself or one of its own sub-departments."
FUTURE_ZH = "入职日期不能晚于今天。"
FUTURE_EN = "The hire date cannot be in the future."
EMAIL_TWICE_ZH = "该电子邮箱已属于本组织的一名成员。"
EMAIL_TWICE_EN = "This e-mail already belongs to a member of this organisation."


@pytest.fixture
def world(db):
    return build_world()


def in_english(user):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = "en"
    profile.save()


def wrong_check_code() -> str:
    good = make_credit_code("330100")
    wrong = next(ch for ch in credit_code.ALPHABET if ch != good[-1])
    return good[:-1] + wrong


def organisation_form(code):
    return {
        "name": "校验码错误有限公司",
        "credit_code": code,
        "kind": "enterprise",
        "sector": "online_platform",
        "risk_grade": "B",
    }


# --- credit code ----------------------------------------------------------------------------
@pytest.mark.parametrize("english", [False, True])
def test_credit_code_with_a_wrong_check_character(client, world, english):
    if english:
        in_english(world.platform_admin)
    client.force_login(world.platform_admin)
    response = client.post("/admin/orgs/new/", organisation_form(wrong_check_code()))
    assert response.status_code == 200
    assert (WRONG_CHECK_EN if english else WRONG_CHECK_ZH) in response.content.decode()
    assert not Organisation.objects.filter(name="校验码错误有限公司").exists()


def test_credit_code_service_refuses_too(db):
    organisation = Organisation(name="某公司", credit_code=wrong_check_code(), sector="other")
    with pytest.raises(ValidationError) as raised:
        organisation_save(organisation=organisation)
    assert raised.value.message_dict["credit_code"] == [WRONG_CHECK_ZH]
    assert not Organisation.objects.filter(name="某公司").exists()


def test_credit_code_of_the_wrong_length_and_characters(client, world):
    client.force_login(world.platform_admin)
    html = client.post("/admin/orgs/new/", organisation_form("91330100MA12345")).content.decode()
    assert "统一社会信用代码必须为 18 位。" in html
    code = "91330100MA1234567O"  # the letter O is not in the alphabet
    html = client.post("/admin/orgs/new/", organisation_form(code)).content.decode()
    assert "统一社会信用代码只能包含数字和除 I、O、S、V、Z 以外的大写字母。" in html


# --- employee numbers and e-mail ------------------------------------------------------------
def staff_form(staff, **changes):
    return {
        "department": staff.department_id or "",
        "position": staff.position_id or "",
        "employee_number": staff.employee_number,
        "hire_date": "",
        "status": staff.status,
        **changes,
    }


@pytest.mark.parametrize("english", [False, True])
def test_duplicate_employee_number_in_one_organisation(client, world, english):
    if english:
        in_english(world.admin_a.user)
    client.force_login(world.admin_a.user)
    staff, other = world.learner_a, world.learner_a_legal
    response = client.post(
        f"/admin/staff/edit/{staff.pk}/", staff_form(staff, employee_number=other.employee_number)
    )
    assert response.status_code == 200
    assert (DUPLICATE_NUMBER_EN if english else DUPLICATE_NUMBER_ZH) in response.content.decode()
    staff.refresh_from_db()
    assert staff.employee_number != other.employee_number


def test_duplicate_employee_number_of_a_new_person_creates_no_account(client, world):
    client.force_login(world.admin_a.user)
    users_before = User.objects.count()
    response = client.post(
        "/admin/staff/new/",
        {
            "full_name": "重复工号",
            "email": "duplicate.number@example.cn",
            "organisation": world.a.pk,
            "department": world.departments["sales"].pk,
            "employee_number": world.learner_a.employee_number,
        },
    )
    assert response.status_code == 200
    assert DUPLICATE_NUMBER_ZH in response.content.decode()
    assert User.objects.count() == users_before  # the account was rolled back with the membership
    assert not User.objects.filter(email="duplicate.number@example.cn").exists()


def test_the_same_employee_number_in_another_organisation_is_fine(world):
    staff = person_create(
        organisation=world.b,
        full_name="乙员工",
        email="b.person@example.cn",
        employee_number=world.learner_a.employee_number,
    )
    assert staff.organisation == world.b


@pytest.mark.parametrize("english", [False, True])
def test_an_email_used_twice_in_one_organisation(client, world, english):
    if english:
        in_english(world.admin_a.user)
    client.force_login(world.admin_a.user)
    response = client.post(
        "/admin/staff/new/",
        {
            "full_name": "冒名者",
            "email": world.learner_a.user.email.upper(),
            "organisation": world.a.pk,
            "department": world.departments["sales"].pk,
            "employee_number": "NEW-1",
        },
    )
    assert response.status_code == 200
    assert (EMAIL_TWICE_EN if english else EMAIL_TWICE_ZH) in response.content.decode()
    assert not Staff.objects.filter(employee_number="NEW-1").exists()
    assert User.objects.get(pk=world.learner_a.user.pk).full_name != "冒名者"


def test_an_email_used_twice_through_the_service(world):
    with pytest.raises(ValidationError) as raised:
        person_create(
            organisation=world.a,
            full_name="冒名者",
            email=world.learner_a.user.email,
            employee_number="NEW-2",
        )
    assert raised.value.message_dict["email"] == [EMAIL_TWICE_ZH]


def test_the_same_person_may_join_a_second_organisation_by_email(world):
    staff = person_create(
        organisation=world.b,
        full_name=world.learner_a.user.full_name,
        email=world.learner_a.user.email,
        employee_number="B-77",
    )
    assert staff.user == world.learner_a.user
    assert set(staff.user.memberships.values_list("organisation", flat=True)) == {
        world.a.pk,
        world.b.pk,
    }


# --- departments and dates ------------------------------------------------------------------
@pytest.mark.parametrize("english", [False, True])
def test_department_placed_under_its_own_child(client, world, english):
    if english:
        in_english(world.admin_a.user)
    client.force_login(world.admin_a.user)
    legal = world.departments["legal"]
    response = client.post(
        f"/admin/departments/edit/{legal.pk}/",
        {"name": legal.name, "parent": world.departments["compliance_unit"].pk},
    )
    assert response.status_code == 200
    assert (CYCLE_EN if english else CYCLE_ZH) in response.content.decode()
    assert Department.objects.get(pk=legal.pk).parent == world.departments["head_office"]


def test_department_under_itself_through_the_service(world):
    legal = Department.objects.get(pk=world.departments["legal"].pk)
    legal.parent = legal
    with pytest.raises(ValidationError) as raised:
        department_save(department=legal)
    assert raised.value.message_dict["parent"] == [CYCLE_ZH]


@pytest.mark.parametrize("english", [False, True])
def test_hire_date_in_the_future(client, world, english):
    if english:
        in_english(world.admin_a.user)
    client.force_login(world.admin_a.user)
    staff = world.learner_a
    response = client.post(
        f"/admin/staff/edit/{staff.pk}/", staff_form(staff, hire_date="2999-01-01")
    )
    assert response.status_code == 200
    assert (FUTURE_EN if english else FUTURE_ZH) in response.content.decode()
    staff.refresh_from_db()
    assert staff.hire_date is None


def test_hire_date_in_the_future_for_a_new_person_creates_nothing(world):
    users_before = User.objects.count()
    with pytest.raises(ValidationError) as raised:
        person_create(
            organisation=world.a,
            full_name="未来员工",
            email="future@example.cn",
            employee_number="F-1",
            hire_date=date(2999, 1, 1),
        )
    assert raised.value.message_dict["hire_date"] == [FUTURE_ZH]
    assert User.objects.count() == users_before


# --- public forms in English under /en/ -----------------------------------------------------
def test_sign_in_errors_in_english(client, org, other_org):
    person(org, employee_number="DUP")
    person(other_org, employee_number="DUP")
    html = client.post("/en/accounts/login/", {"login": "DUP", "password": "x"}).content.decode()
    assert (
        "This employee number is used in more than one organisation; "
        "please sign in with your e-mail address." in html
    )
    html = client.get("/en/accounts/login/").content.decode()
    assert "E-mail or employee number" in html and "Sign in" in html
