"""Demo content: the regulation library from the two seed texts and courses written from them.

Safe to run again: pages are found by slug and left alone when present.
"""

from datetime import date
from pathlib import Path

from wagtail.models import Page

from lms.organisations.models import Organisation

from .models import (
    CourseIndexPage,
    CoursePage,
    LessonPage,
    RegulationClause,
    RegulationIndexPage,
    RegulationPage,
)
from .regulation_text import parse_regulation
from .services import course_index_grant_authoring

SEEDS = Path(__file__).resolve().parent / "demo_seeds"

REGULATIONS = [
    {
        "slug": "online-platform-compliance-guidance",
        "file": "online_platform_guidance.txt",
        "authority": "市场监督管理部门",
        "number": "",
        "effective": None,
        "status": RegulationPage.Status.DRAFT,
    },
    {
        "slug": "sasac-compliance-work-plan-2023-2025",
        "file": "sasac_work_plan.txt",
        "authority": "市人民政府国有资产监督管理委员会",
        "number": "",
        "effective": date(2023, 3, 1),
        "status": RegulationPage.Status.IN_FORCE,
    },
]


def _p(*paragraphs: str) -> dict:
    return {"type": "rich_text", "value": "".join(f"<p>{p}</p>" for p in paragraphs)}


def _key(title: str, text: str) -> dict:
    return {"type": "key_point", "value": {"title": title, "text": f"<p>{text}</p>"}}


def _excerpt(regulation: RegulationPage, clause: str, text: str) -> dict:
    return {
        "type": "regulation_excerpt",
        "value": {"regulation": regulation.pk, "clause": clause, "text": text},
    }


def _courses(platform: RegulationPage, sasac: RegulationPage) -> list[dict]:
    return [
        {
            "slug": "new-hire-compliance",
            "title": "新员工合规必修课",
            "summary": "面向全体新入职员工：什么是合规、“管业务必须管合规”、三道防线中的个人责任，"
            "以及合规承诺与违规后果。",
            "domains": ["反商业贿赂", "数据保护", "劳动用工"],
            "hours": 1,
            "minutes": 30,
            "lessons": [
                (
                    "什么是合规",
                    [
                        _p(
                            "合规是指企业及其员工的经营管理行为符合法律法规、监管规定、行业准则、"
                            "企业章程和规章制度以及国际条约、规则等要求。",
                            "合规不是法务部门一个部门的事，而是每一位员工的日常工作方式。",
                        ),
                        _key("要点", "管业务必须管合规：谁的业务，谁负责合规。"),
                        _excerpt(
                            sasac,
                            "3.",
                            "按照“管业务必须管合规”要求，企业的财务、投资、产权、安全生产、"
                            "国际化经营、质量环保、人力资源、营销等业务部门及职能部门，"
                            "应当切实落实合规管理主体责任……坚决守住“第一道防线”。",
                        ),
                    ],
                ),
                (
                    "三道防线与我的岗位",
                    [
                        _p(
                            "第一道防线是业务及职能部门：按重点岗位合规职责清单把合规要求落实到岗、明确到人。",
                            "第二道防线是合规管理部门：牵头合规审查、评估与考核。",
                            "第三道防线是纪检监察、审计、巡察等监督部门。",
                        ),
                        _key(
                            "要点",
                            "发现合规风险，先向本部门兼职合规管理员报告；重大风险及时上报合规负责人。",
                        ),
                        _excerpt(
                            platform,
                            "（四）",
                            "合规管理员发现本企业存在合规风险时，应当及时妥善处置；发现存在重大合规风险时，"
                            "及时向合规负责人报告。",
                        ),
                    ],
                ),
                (
                    "合规承诺与违规后果",
                    [
                        _p(
                            "新员工入职时签署合规承诺书，承诺遵守法律法规和企业规章制度。",
                            "违规行为将被记录，并作为绩效考核、评先评优和职务晋升的重要依据。",
                        ),
                        _key("要点", "拒绝商业贿赂，保护客户数据，如实记录与报告。"),
                    ],
                ),
            ],
        },
        {
            "slug": "online-platform-compliance-duty",
            "title": "网络交易平台合规管理主体责任",
            "summary": "依据《关于推动网络交易平台企业落实合规管理主体责任的指导意见（征求意见稿）》，"
            "讲解平台企业的合规组织、合规负责人和合规管理员的职责、风险清单与监督抽查。",
            "domains": ["网络交易", "数据保护"],
            "hours": 2,
            "minutes": 60,
            "lessons": [
                (
                    "健全合规管理组织",
                    [
                        _p(
                            "网络交易平台企业主要负责人对本企业合规管理工作全面负责。",
                            "企业一般应当明确合规负责人，并根据组织架构、业务类型、经营规模、人员数量等配备适当数量的合规管理员。",
                        ),
                        _excerpt(
                            platform,
                            "（二）",
                            "网络交易平台企业一般应当明确合规负责人。网络交易平台企业根据自身组织架构、业务类型、"
                            "经营规模、人员数量等因素，结合合规管理工作需要，配备适当数量的合规管理员。",
                        ),
                    ],
                ),
                (
                    "合规负责人与合规管理员的职责",
                    [
                        _p(
                            "合规负责人直接对主要负责人负责：拟定合规管理制度、计划和合规风险管控清单，"
                            "定期组织合规自查和撰写合规报告，管理和指导合规管理员。",
                            "合规管理员检查制度执行情况，开展合规自查、合规培训，记录履职情况并定期汇报。",
                        ),
                        _key("要点", "履职记录要留痕、存档备查。"),
                    ],
                ),
                (
                    "合规风险管控清单与定期排查",
                    [
                        _p(
                            "企业建立合规风险管控动态管理机制，制定合规风险管控清单。",
                            "合规管理员定期排查风险并形成记录，没有发现风险的出具“零风险”报告。",
                        ),
                        _excerpt(
                            platform,
                            "（八）",
                            "引导网络交易平台企业建立合规风险定期排查制度。",
                        ),
                    ],
                ),
                (
                    "监督抽查考核与整改",
                    [
                        _p(
                            "市场监督管理部门可以随机对合规管理人员进行监督抽查考核，考核不合格的要求企业整改。",
                            "抽查结果纳入“双随机、一公开”监管，影响检查频次。",
                        ),
                        _key("要点", "持续培训、持续考核：合规管理人员应保持履职能力。"),
                    ],
                ),
            ],
        },
        {
            "slug": "soe-compliance-three-lines",
            "title": "国有企业合规管理体系与“三道防线”",
            "summary": "依据市国资委监管企业合规管理工作方案（2023-2025年），讲解首席合规官、"
            "合规管理部门、兼职合规管理员、三道防线和年度合规培训。",
            "domains": ["反商业贿赂", "安全生产", "涉外合规"],
            "hours": 2,
            "minutes": 50,
            "lessons": [
                (
                    "落实合规管理责任",
                    [
                        _p(
                            "企业主要负责人是推进法治建设第一责任人。",
                            "业务及职能部门守住第一道防线，合规管理部门筑牢第二道防线，"
                            "纪检监察和审计、巡察部门构成第三道防线。",
                        ),
                        _excerpt(
                            sasac,
                            "5.",
                            "企业纪检监察机构和审计、巡察等部门依据有关规定，在职权范围内对合规要求落实情况进行监督。",
                        ),
                    ],
                ),
                (
                    "首席合规官与兼职合规管理员",
                    [
                        _p(
                            "各企业应当结合实际设立首席合规官；已设总法律顾问的由总法律顾问兼任。",
                            "各业务及职能部门设置兼职合规管理员，由1-2名业务骨干担任。",
                        ),
                        _key("要点", "到2024年底，集团及重要子企业全部设立首席合规官。"),
                    ],
                ),
                (
                    "合规文化与年度培训",
                    [
                        _p(
                            "建立常态化合规培训机制，制定年度培训计划，将合规管理作为管理人员、"
                            "重点岗位人员和新入职人员的必修内容。",
                        ),
                        _excerpt(
                            sasac,
                            "19.",
                            "建立常态化合规培训机制，制定年度培训计划……",
                        ),
                    ],
                ),
            ],
        },
        {
            "slug": "key-position-duty-list",
            "title": "重点岗位合规职责清单",
            "summary": "采购、财务、投资等重点岗位的合规职责清单与常见违规风险。",
            "domains": ["反商业贿赂", "知识产权"],
            "hours": 1,
            "minutes": 25,
            "lessons": [
                (
                    "重点岗位合规职责清单",
                    [
                        _p(
                            "重点岗位合规职责清单把合规要求落实到岗、明确到人：岗位职责、主要风险、控制措施、报告路径。",
                        ),
                        _key("要点", "采购岗位：严禁收受供应商礼品礼金，严格执行招投标程序。"),
                    ],
                ),
                (
                    "常见违规风险与防控",
                    [
                        _p(
                            "常见风险包括商业贿赂、利益冲突、泄露商业秘密、侵犯知识产权等。",
                            "发现问题及时报告，不隐瞒、不拖延。",
                        ),
                    ],
                ),
            ],
        },
    ]


PRIVATE_COURSE = {
    "owner_code_body": "91330100MA2HG0001",  # 云集优选 (see lms.organisations.demo)
    "slug": "yunji-merchant-onboarding",
    "title": "云集优选商家入驻合规审核（内部）",
    "summary": "云集优选内部课程：商家入驻资质审核、信息公示与证照核验。",
    "domains": ["网络交易"],
    "hours": 1,
    "minutes": 20,
    "lessons": [
        ("入驻资质审核", [_p("核验营业执照、行政许可与经营范围，并定期复核。")]),
        ("信息公示", [_p("在店铺显著位置公示营业执照信息和行政许可信息。")]),
    ],
}


def seed(*, stdout=None) -> None:
    home = Page.objects.get(depth=2)
    regulation_index = _child(
        home,
        RegulationIndexPage,
        slug="regulations",
        title="法规库",
        intro="<p>合规管理相关的法律法规、监管指导意见和工作方案。</p>",
    )
    course_index = _child(
        home,
        CourseIndexPage,
        slug="courses",
        title="课程中心",
        intro="<p>合规必修课与岗位专题课程。</p>",
    )
    regulations = [_regulation(regulation_index, spec) for spec in REGULATIONS]
    for spec in _courses(*regulations):
        _course(course_index, spec)
    from lms.organisations import credit_code

    owner = Organisation.objects.filter(
        credit_code=credit_code.complete(PRIVATE_COURSE["owner_code_body"])
    ).first()
    if owner is not None:
        _course(course_index, PRIVATE_COURSE, owner=owner)
    course_index_grant_authoring(course_index=course_index)
    if stdout is not None:
        stdout.write(
            f"  {RegulationPage.objects.count()} regulations, {CoursePage.objects.count()} courses"
        )


def _child(parent, model, *, slug: str, title: str, **fields):
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing is not None:
        return existing
    return parent.add_child(instance=model(slug=slug, title=title, **fields))


def _regulation(index, spec) -> RegulationPage:
    existing = RegulationPage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    parsed = parse_regulation((SEEDS / spec["file"]).read_text(encoding="utf-8"))
    title = parsed.title + (f"（{parsed.subtitle}）" if parsed.subtitle else "")
    page = RegulationPage(
        slug=spec["slug"],
        title=title,
        issuing_authority=spec["authority"],
        document_number=spec["number"],
        effective_date=spec["effective"],
        status=spec["status"],
        preamble=parsed.preamble,
    )
    page.clauses = [
        RegulationClause(number=c.number, heading=c.heading, text=c.text, sort_order=i)
        for i, c in enumerate(parsed.clauses)
    ]
    index.add_child(instance=page)
    return page


def _course(index, spec, owner=None) -> CoursePage:
    existing = CoursePage.objects.child_of(index).filter(slug=spec["slug"]).first()
    if existing is not None:
        return existing
    course = CoursePage(
        slug=spec["slug"],
        title=spec["title"],
        summary=spec["summary"],
        credit_hours=spec["hours"],
        estimated_minutes=spec["minutes"],
        owner_organisation=owner,
    )
    index.add_child(instance=course)
    course.domains.add(*spec["domains"])
    course.save()
    for n, (title, body) in enumerate(spec["lessons"], start=1):
        course.add_child(
            instance=LessonPage(
                slug=f"lesson-{n}",
                title=title,
                body=body,
                estimated_minutes=max(5, spec["minutes"] // len(spec["lessons"])),
                minimum_seconds=15,
            )
        )
    return course
