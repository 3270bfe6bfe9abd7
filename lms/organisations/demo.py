"""Demo organisations and about 60 people covering every role. Safe to run again."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone

from . import credit_code, roles, services
from .models import ComplianceRole, Department, Jurisdiction, Organisation, Position, Staff

DEMO_PASSWORD = "Demo-2026!"
User = get_user_model()
R = ComplianceRole

ORGANISATIONS = [
    # key, name, short, kind, sector/regulator type, 9-char organisation code, parent
    ("amr", "杭州市市场监督管理局", "杭州市监局", "regulator", "market", "11330100002482", None),
    (
        "sasac",
        "杭州市人民政府国有资产监督管理委员会",
        "杭州市国资委",
        "regulator",
        "state_assets",
        "11330100002483",
        None,
    ),
    (
        "yunji",
        "杭州云集优选网络科技有限公司",
        "云集优选",
        "enterprise",
        "online_platform",
        "91330100MA2HG0001",
        None,
    ),
    (
        "xianda",
        "杭州鲜达到家电子商务有限公司",
        "鲜达到家",
        "enterprise",
        "online_platform",
        "91330100MA2HG0002",
        None,
    ),
    (
        "chengtou",
        "杭州城市建设投资集团有限公司",
        "城投集团",
        "enterprise",
        "state_owned",
        "91330100MA2HG0003",
        None,
    ),
    (
        "zhiye",
        "杭州城投置业有限公司",
        "城投置业",
        "enterprise",
        "state_owned",
        "91330100MA2HG0004",
        "chengtou",
    ),
]

COMPLIANCE_DEPARTMENT = "法务合规部"
ENTERPRISE_DEPARTMENTS = [
    COMPLIANCE_DEPARTMENT,
    "运营部",
    "商家管理部",
    "技术部",
    "财务部",
    "人力资源部",
    "采购部",
]

ENTERPRISE_POSITIONS = [
    # name, role, key, high-risk, management, pre-appointment exam
    ("总经理", R.PRINCIPAL, True, False, True, False),
    ("首席合规官", R.CHIEF_COMPLIANCE_OFFICER, True, False, True, True),
    ("合规负责人", R.COMPLIANCE_HEAD, True, False, True, True),
    ("专职合规管理员", R.ADMIN_FULL_TIME, True, False, False, False),
    ("兼职合规管理员", R.ADMIN_PART_TIME, False, False, False, False),
    ("部门经理", R.NONE, True, False, True, True),
    ("采购专员", R.NONE, True, True, False, False),
    ("员工", R.NONE, False, False, False, False),
]

REGULATOR_POSITIONS = [
    ("科长", R.REGULATOR_OFFICER),
    ("执法检查员", R.REGULATOR_INSPECTOR),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "磊",
    "强",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "涛",
    "明",
    "超",
    "秀英",
    "霞",
    "平",
    "刚",
    "桂英",
    "建华",
    "晓东",
    "丽娟",
    "志强",
    "海燕",
    "文博",
    "子涵",
    "雨萱",
    "浩然",
    "欣怡",
]

# Per enterprise: (local login name, position, department, days since hire)
ENTERPRISE_PEOPLE = {
    "yunji": [
        ("gm", "总经理", "运营部", 2900),
        ("cco", "首席合规官", "法务合规部", 1500),
        ("head", "合规负责人", "法务合规部", 1200),
        ("admin", "专职合规管理员", "法务合规部", 800),
        ("admin2", "兼职合规管理员", "商家管理部", 700),
        ("mgr1", "部门经理", "商家管理部", 1000),
        ("mgr2", "部门经理", "技术部", 1100),
        ("buyer", "采购专员", "采购部", 400),
        ("staff1", "员工", "运营部", 30),
        ("staff2", "员工", "运营部", 12),
        ("staff3", "员工", "技术部", 60),
        ("staff4", "员工", "商家管理部", 500),
        ("staff5", "员工", "财务部", 650),
        ("staff6", "员工", "人力资源部", 5),
    ],
    "xianda": [
        ("gm", "总经理", "运营部", 2000),
        ("head", "合规负责人", "法务合规部", 900),
        ("admin", "专职合规管理员", "法务合规部", 600),
        ("admin2", "兼职合规管理员", "运营部", 300),
        ("mgr1", "部门经理", "运营部", 800),
        ("buyer", "采购专员", "采购部", 200),
        ("staff1", "员工", "运营部", 20),
        ("staff2", "员工", "商家管理部", 45),
        ("staff3", "员工", "技术部", 365),
        ("staff4", "员工", "财务部", 1000),
        ("staff5", "员工", "人力资源部", 70),
        ("staff6", "员工", "运营部", 3),
    ],
    "chengtou": [
        ("gm", "总经理", "运营部", 4000),
        ("cco", "首席合规官", "法务合规部", 1800),
        ("head", "合规负责人", "法务合规部", 1300),
        ("admin", "专职合规管理员", "法务合规部", 900),
        ("admin2", "兼职合规管理员", "财务部", 700),
        ("admin3", "兼职合规管理员", "采购部", 650),
        ("mgr1", "部门经理", "采购部", 1400),
        ("mgr2", "部门经理", "财务部", 1600),
        ("buyer", "采购专员", "采购部", 500),
        ("staff1", "员工", "运营部", 25),
        ("staff2", "员工", "人力资源部", 40),
        ("staff3", "员工", "技术部", 800),
        ("staff4", "员工", "财务部", 10),
        ("admin4", "兼职合规管理员", "运营部", 600),
        ("admin5", "兼职合规管理员", "技术部", 550),
        ("admin6", "兼职合规管理员", "人力资源部", 500),
        ("admin7", "兼职合规管理员", "商家管理部", 450),
    ],
    # No chief compliance officer and no part-time administrators yet: the coverage gap the
    # group's compliance officer sees (a key subsidiary of 城投集团).
    "zhiye": [
        ("gm", "总经理", "运营部", 2500),
        ("head", "合规负责人", "法务合规部", 700),
        ("admin", "专职合规管理员", "法务合规部", 500),
        ("mgr1", "部门经理", "采购部", 900),
        ("buyer", "采购专员", "采购部", 300),
        ("staff1", "员工", "运营部", 15),
        ("staff2", "员工", "财务部", 400),
        ("staff3", "员工", "运营部", 80),
    ],
}

REGULATOR_PEOPLE = {
    "amr": [
        ("officer", "科长"),
        ("inspector1", "执法检查员"),
        ("inspector2", "执法检查员"),
        ("inspector3", "执法检查员"),
        ("inspector4", "执法检查员"),
    ],
    "sasac": [("officer", "科长"), ("inspector1", "执法检查员")],
}


def _code(body: str) -> str:
    body = body if len(body) == 17 else body.ljust(17, "0")
    return credit_code.complete(body)


def _name(index: int) -> str:
    return SURNAMES[index % len(SURNAMES)] + GIVEN[(index * 7) % len(GIVEN)]


def seed(*, stdout=None) -> None:
    orgs = _seed_organisations()
    _seed_jurisdictions(orgs)
    today = timezone.localdate()
    counter = 0
    for key, people in ENTERPRISE_PEOPLE.items():
        org = orgs[key]
        departments = {
            name: Department.objects.get_or_create(organisation=org, name=name)[0]
            for name in ENTERPRISE_DEPARTMENTS
        }
        # The compliance department itself needs no part-time compliance administrator.
        Department.objects.filter(organisation=org, name=COMPLIANCE_DEPARTMENT).update(
            is_business_department=False
        )
        positions = {}
        for name, role, is_key, high_risk, management, pre_exam in ENTERPRISE_POSITIONS:
            positions[name], _ = Position.objects.get_or_create(
                organisation=org,
                name=name,
                defaults={
                    "compliance_role": role,
                    "is_key": is_key,
                    "is_high_risk": high_risk,
                    "is_management": management,
                    "needs_pre_appointment_exam": pre_exam,
                },
            )
        for n, (login, position, department, days) in enumerate(people, start=1):
            counter += 1
            _person(
                org,
                f"{login}@{key}.demo",
                _name(counter),
                f"{key.upper()[:2]}{n:04d}",
                departments[department],
                positions[position],
                today - timedelta(days=days),
            )
    for key, people in REGULATOR_PEOPLE.items():
        org = orgs[key]
        department, _ = Department.objects.get_or_create(organisation=org, name="信用监督管理处")
        positions = {
            name: Position.objects.get_or_create(
                organisation=org, name=name, defaults={"compliance_role": role}
            )[0]
            for name, role in REGULATOR_POSITIONS
        }
        for n, (login, position) in enumerate(people, start=1):
            counter += 1
            _person(
                org,
                f"{login}@{key}.demo",
                _name(counter),
                f"{key.upper()[:2]}{n:04d}",
                department,
                positions[position],
                today - timedelta(days=1000 + n),
            )
    admin = User.objects.filter(email="admin@hegui.demo").first()
    if admin is None:
        admin = User.objects.create_user(
            email="admin@hegui.demo", password=DEMO_PASSWORD, full_name="平台管理员", is_staff=True
        )
    admin.groups.add(Group.objects.get(name=roles.PLATFORM_ADMIN))


def _seed_organisations() -> dict[str, Organisation]:
    orgs: dict[str, Organisation] = {}
    for key, name, short, kind, kind_detail, code, parent in ORGANISATIONS:
        org = Organisation.objects.filter(credit_code=_code(code)).first()
        if org is None:
            org = Organisation(
                name=name,
                short_name=short,
                credit_code=_code(code),
                kind=kind,
                sector=kind_detail if kind == "enterprise" else "",
                regulator_type=kind_detail if kind == "regulator" else "",
                parent=orgs.get(parent),
                is_key_subsidiary=parent is not None,
            )
            services.organisation_save(organisation=org)
        orgs[key] = org
    return orgs


def _seed_jurisdictions(orgs) -> None:
    amr, _ = Jurisdiction.objects.get_or_create(regulator=orgs["amr"])
    amr.region_prefixes = "3301"
    amr.sectors = [Organisation.Sector.ONLINE_PLATFORM]
    amr.save()
    sasac, _ = Jurisdiction.objects.get_or_create(regulator=orgs["sasac"])
    sasac.enterprises.add(orgs["chengtou"])


def _person(org, email, full_name, employee_number, department, position, hire_date) -> Staff:
    existing = Staff.objects.filter(organisation=org, employee_number=employee_number).first()
    if existing:
        return existing
    return services.person_create(
        organisation=org,
        full_name=full_name,
        email=email,
        employee_number=employee_number,
        department=department,
        position=position,
        hire_date=hire_date,
        password=DEMO_PASSWORD,
    )


def print_logins(out) -> None:
    """A table of demo logins by role, printed at the end of seed_demo."""
    from django.utils import translation

    with translation.override("zh-hans"):
        out.write("")
        out.write(f"演示账号（密码均为 {DEMO_PASSWORD}）：")
        rows = [("平台管理员", "admin@hegui.demo", "-", "-")]
        staff = (
            Staff.objects.filter(user__email__endswith=".demo")
            .select_related("user", "organisation", "position")
            .order_by("organisation__kind", "organisation__name", "employee_number")
        )
        shown: set[tuple] = set()
        for s in staff:
            key = (s.organisation_id, s.position.name if s.position else "")
            if key in shown:
                continue
            shown.add(key)
            role = s.position.get_compliance_role_display() if s.position else "-"
            label = (
                f"{s.position.name}（{role}）"
                if s.position.compliance_role != R.NONE
                else s.position.name
            )
            rows.append((label, s.user.email, s.employee_number, s.organisation.short_name))
        for label, email, number, org in rows:
            out.write(f"  {email:<24} {number:<8} {_pad(org, 12)} {label}")


def _pad(text: str, width: int) -> str:
    """Left-align in a terminal column: Chinese characters take two cells."""
    import unicodedata

    cells = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    return text + " " * max(0, width - cells)
