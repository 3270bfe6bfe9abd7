"""Demo spot checks for the city market regulator (杭州市监局). Safe to run again.

Its jurisdiction gets 32 generated online platforms to draw from (people p1-p4@genNN.example.cn,
the demo password), its inspectors are the pool, a sealed bank is written from its guidance,
and one closed campaign has published results: one rectification accepted, one still open.
A draft campaign waits to be committed.
"""

from datetime import timedelta

from django.utils import timezone

from assessments import services as exams
from assessments.models import Blueprint, QuestionBank
from lms.organisations import credit_code
from lms.organisations import services as organisations
from lms.organisations.demo import DEMO_PASSWORD, _name
from lms.organisations.models import ComplianceRole, Department, Organisation, Position, Staff

from . import services
from .models import Campaign, DrawnPerson, Rectification

R = ComplianceRole
GENERATED = 32
CLOSED_TITLE = "2026年第一批网络交易平台合规管理人员监督抽查"
DRAFT_TITLE = "2026年第二批网络交易平台合规管理人员监督抽查"
DISTRICTS = ["330102", "330105", "330106", "330108", "330109", "330110"]
PLATFORM_WORDS = [
    "优品",
    "鲜果",
    "云仓",
    "拼购",
    "好物",
    "直采",
    "乐淘",
    "惠选",
    "易购",
    "臻选",
    "邻里",
    "速达",
    "聚划",
    "甄品",
    "万家",
    "集市",
]
POSITIONS = [
    ("合规负责人", R.COMPLIANCE_HEAD),
    ("专职合规管理员", R.ADMIN_FULL_TIME),
    ("兼职合规管理员", R.ADMIN_PART_TIME),
]

# Written from 关于推动网络交易平台企业落实合规管理主体责任的指导意见（征求意见稿）.
QUESTIONS = [
    (
        "single",
        "网络交易平台企业合规管理工作的全面负责人是谁？",
        ["合规管理员", "企业主要负责人", "合规负责人", "法务部门负责人"],
        ["B"],
        "（一）",
    ),
    (
        "single",
        "企业主要负责人每季度至少听取几次合规负责人工作汇报？",
        ["一次", "两次", "三次", "每月一次"],
        ["A"],
        "（十）",
    ),
    (
        "single",
        "合规管理员发现重大合规风险时，应当及时向谁报告？",
        ["市场监督管理部门", "合规负责人", "平台内经营者", "行业协会"],
        ["B"],
        "（四）",
    ),
    (
        "single",
        "合规风险定期排查未发现问题的，应当如何处理？",
        ["无需记录", "予以记录并实行零风险报告", "口头报告即可", "下次排查时一并说明"],
        ["B"],
        "（八）",
    ),
    (
        "single",
        "合规负责人按照职责要求直接对谁负责？",
        ["合规管理员", "企业主要负责人", "董事会秘书", "监管部门"],
        ["B"],
        "（五）",
    ),
    (
        "multiple",
        "以下哪些属于合规负责人的职责？",
        [
            "拟定合规风险管控清单",
            "定期组织合规自查",
            "组织开展合规培训",
            "代替企业主要负责人作出经营决策",
        ],
        ["A", "B", "C"],
        "（五）",
    ),
    (
        "multiple",
        "指导企业存档备查的资料包括哪些？",
        ["合规管理人员岗位职责", "任职调整情况", "培训考核情况", "员工个人消费记录"],
        ["A", "B", "C"],
        "（十一）",
    ),
    (
        "true_false",
        "市场监督管理部门组织对辖区内网络交易平台企业合规管理人员随机进行监督抽查考核。",
        [],
        ["true"],
        "（十三）",
    ),
    (
        "true_false",
        "企业合规管理情况不作为确定“双随机”检查频次的考量因素。",
        [],
        ["false"],
        "（十五）",
    ),
    (
        "true_false",
        "抽查考核结果不符合合规管理要求的，督促企业采取整改措施。",
        [],
        ["true"],
        "（十三）",
    ),
    (
        "fill_in",
        "合规负责人定期组织合规风险排查整改，形成合规风险排查____报告。",
        [],
        ["整改"],
        "（九）",
    ),
    (
        "single",
        "合规管理员发现一般合规风险时应当如何处理？",
        ["置之不理", "督促相关部门处置整改", "直接上报监管部门", "等待年度自查"],
        ["B"],
        "（六）",
    ),
]


def seed(*, stdout=None) -> None:
    amr = Organisation.objects.filter(short_name="杭州市监局").first()
    if amr is None:
        return
    officer = Staff.objects.filter(
        organisation=amr, position__compliance_role=R.REGULATOR_OFFICER
    ).first()
    actor = officer.user if officer else None
    _generate_enterprises()
    blueprint = _sealed_paper(amr, actor)
    if not Campaign.objects.filter(regulator=amr, title=CLOSED_TITLE).exists():
        _closed_campaign(amr, blueprint, actor)
    if not Campaign.objects.filter(regulator=amr, title=DRAFT_TITLE).exists():
        now = timezone.now()
        services.campaign_save(
            campaign=Campaign(
                regulator=amr,
                title=DRAFT_TITLE,
                description="按风险等级加权，随机抽取辖区内10%的网络交易平台企业，每家抽取合规负责人和专职合规管理员各1名。",
                scope_sectors=[Organisation.Sector.ONLINE_PLATFORM],
                enterprise_count_mode=Campaign.CountMode.PERCENT,
                enterprise_count_value=10,
                weighting=Campaign.Weighting.RISK_GRADE,
                roles={R.COMPLIANCE_HEAD: 1, R.ADMIN_FULL_TIME: 1},
                inspectors_per_enterprise=2,
                blueprint=blueprint,
                opens_at=now + timedelta(days=7),
                closes_at=now + timedelta(days=14),
                time_limit_minutes=30,
            ),
            actor=actor,
        )
    if stdout:
        stdout.write(
            f"  spot checks: {Campaign.objects.filter(regulator=amr).count()} campaigns, "
            f"{Rectification.objects.exclude(status='accepted').count()} open rectifications"
        )


def _generate_enterprises() -> None:
    """Online platforms in the city, each with a compliance head and administrators."""
    today = timezone.localdate()
    for n in range(1, GENERATED + 1):
        code = credit_code.complete(f"91330100MA2HK{n:04d}")
        org = Organisation.objects.filter(credit_code=code).first()
        if org is not None:
            continue
        word = PLATFORM_WORDS[n % len(PLATFORM_WORDS)]
        org = organisations.organisation_save(
            organisation=Organisation(
                name=f"杭州{word}{n:02d}网络科技有限公司",
                short_name=f"{word}{n:02d}",
                credit_code=code,
                kind=Organisation.Kind.ENTERPRISE,
                sector=Organisation.Sector.ONLINE_PLATFORM,
                region_code=DISTRICTS[n % len(DISTRICTS)],
                risk_grade="ABCD"[n % 4] if n % 3 else "B",
            )
        )
        department, _ = Department.objects.get_or_create(organisation=org, name="法务合规部")
        positions = {
            role: Position.objects.get_or_create(
                organisation=org, name=name, defaults={"compliance_role": role}
            )[0]
            for name, role in POSITIONS
        }
        people = [R.COMPLIANCE_HEAD, R.ADMIN_FULL_TIME, R.ADMIN_FULL_TIME, R.ADMIN_PART_TIME]
        for index, role in enumerate(people, start=1):
            organisations.person_create(
                organisation=org,
                full_name=_name(n * 7 + index + 100),
                email=f"p{index}@gen{n:02d}.example.cn",
                employee_number=f"G{n:02d}{index:03d}",
                department=department,
                position=positions[role],
                hire_date=today - timedelta(days=300 + index * 40),
                password=DEMO_PASSWORD,
            )


def _sealed_paper(amr, actor) -> Blueprint:
    bank = QuestionBank.objects.filter(
        organisation=amr, name="网络交易平台合规管理抽查题库"
    ).first()
    if bank is None:
        bank = exams.bank_save(
            bank=QuestionBank(
                organisation=amr,
                name="网络交易平台合规管理抽查题库",
                description="依据《关于推动网络交易平台企业落实合规管理主体责任的指导意见》编写（密封题库）。",
            ),
            actor=actor,
        )
        for kind, stem, options, key, clause in QUESTIONS:
            exams.question_create(
                bank=bank,
                kind=kind,
                stem=stem,
                options=options,
                key=key,
                explanation=f"见指导意见第{clause}条。",
                tags=["网络交易平台", "合规管理"],
                difficulty=2,
                regulation_reference=f"指导意见{clause}",
                actor=actor,
            )
    blueprint = Blueprint.objects.filter(bank=bank, name="抽查考试（10题）").first()
    return blueprint or exams.blueprint_create(
        bank=bank, name="抽查考试（10题）", sections=[{"count": 10, "points": 10}], actor=actor
    )


def _closed_campaign(amr, blueprint, actor) -> None:
    now = timezone.now()
    opens_at = now - timedelta(days=20)
    campaign = services.campaign_save(
        campaign=Campaign(
            regulator=amr,
            title=CLOSED_TITLE,
            description="依据指导意见第（十三）条，随机抽取辖区网络交易平台企业的合规管理人员进行监督抽查考核。",
            scope_sectors=[Organisation.Sector.ONLINE_PLATFORM],
            enterprise_count_value=5,
            roles={R.COMPLIANCE_HEAD: 1, R.ADMIN_FULL_TIME: 1},
            inspectors_per_enterprise=2,
            blueprint=blueprint,
            opens_at=opens_at,
            closes_at=opens_at + timedelta(days=10),
            time_limit_minutes=30,
            pass_mark=60,
        ),
        actor=actor,
    )
    services.campaign_commit(campaign=campaign, actor=actor)
    services.campaign_draw(campaign=campaign, actor=actor)
    services.campaign_start(campaign=campaign, actor=actor)
    services.campaign_enrol(campaign_id=campaign.pk)
    campaign.refresh_from_db()
    people = list(
        DrawnPerson.objects.filter(campaign=campaign)
        .select_related("drawn_enterprise", "user")
        .order_by("drawn_enterprise__enterprise_id", "pk")
    )
    DrawnPerson.objects.filter(campaign=campaign).update(notified_at=opens_at)
    firms = sorted({p.drawn_enterprise.enterprise_id for p in people})
    for person in people:
        firm = firms.index(person.drawn_enterprise.enterprise_id)
        if firm == len(firms) - 1 and person.role == R.ADMIN_FULL_TIME:
            continue  # a no-show: counts as failed at the close
        _sit(campaign.exam, person.user, correct=firm != 0, at=opens_at + timedelta(days=2))
    services.campaign_close(campaign=campaign, actor=actor, now=now - timedelta(days=3))
    first = Rectification.objects.filter(drawn_enterprise__campaign=campaign).first()
    if first is not None:
        head = Staff.objects.filter(
            organisation=first.drawn_enterprise.enterprise,
            position__compliance_role=R.COMPLIANCE_HEAD,
        ).first()
        services.rectification_submit(
            rectification=first,
            text="已组织合规管理人员重新学习指导意见并完成内部考试，完善了合规风险排查记录。",
            files=[],
            actor=head.user,
        )
        services.rectification_decide(
            rectification=first, accept=True, comment="整改到位。", actor=actor
        )


def _sit(exam, user, *, correct: bool, at) -> None:
    attempt = exams.attempt_start(exam=exam, user=user, now=at)
    for seq, item in enumerate(attempt.items.select_related("question"), start=1):
        answer = item.question.key if correct else ["D"]
        exams.response_save(
            attempt_id=attempt.pk,
            user_id=user.pk,
            question_id=item.question_id,
            answer=answer,
            seq=seq,
            now=at + timedelta(minutes=seq),
        )
    attempt = exams.attempt_submit(attempt_id=attempt.pk, user=user, now=at + timedelta(minutes=20))
    # attempt_finalised goes out on commit, after the close: record it now
    services.attempt_record(attempt=attempt)
