import itertools

import factory
from django.contrib.auth import get_user_model

from lms.organisations import credit_code
from lms.organisations.models import (
    ComplianceRole,
    Department,
    Jurisdiction,
    Organisation,
    Position,
    Staff,
)

_serial = itertools.count(1)
PASSWORD = "Demo-2026!"


def make_credit_code(region: str = "330100") -> str:
    """A valid unified social credit code in the given region."""
    body = f"91{region}MA{next(_serial):07d}"
    return credit_code.complete(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.cn")
    full_name = factory.Sequence(lambda n: f"测试人员{n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"测试企业{n}有限公司")
    credit_code = factory.LazyAttribute(lambda o: make_credit_code(o.region_code or "330100"))
    kind = Organisation.Kind.ENTERPRISE
    sector = Organisation.Sector.ONLINE_PLATFORM
    region_code = "330100"


class RegulatorFactory(OrganisationFactory):
    name = factory.Sequence(lambda n: f"测试市场监督管理局{n}")
    kind = Organisation.Kind.REGULATOR
    sector = ""
    regulator_type = Organisation.RegulatorType.MARKET
    credit_code = factory.LazyAttribute(
        lambda o: credit_code.complete(f"11{o.region_code}MB{next(_serial):07d}")
    )


class JurisdictionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Jurisdiction

    regulator = factory.SubFactory(RegulatorFactory)
    region_prefixes = "3301"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"部门{n}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"岗位{n}")
    compliance_role = ComplianceRole.NONE


class StaffFactory(factory.django.DjangoModelFactory):
    """A membership. Use `person()` below to get roles synced as the services do."""

    class Meta:
        model = Staff

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    employee_number = factory.Sequence(lambda n: f"E{n:05d}")
    status = Staff.Status.ACTIVE


def person(
    organisation: Organisation,
    *,
    role: str = ComplianceRole.NONE,
    department: Department | None = None,
    position: Position | None = None,
    **staff_kwargs,
) -> Staff:
    """A person on an organisation's roster with the given compliance role, groups in step."""
    from lms.organisations.services import staff_sync_roles

    if position is None:
        position, _ = Position.objects.get_or_create(
            organisation=organisation,
            name=f"{role}-position",
            defaults={"compliance_role": role},
        )
    staff = StaffFactory(
        organisation=organisation, department=department, position=position, **staff_kwargs
    )
    staff_sync_roles(user=staff.user)
    return staff
