"""Demo duty lists at 云集优选: the chief compliance officer writes the lists of four key
positions, citing the library's clauses and naming compliance domains; the people in those
posts acknowledge them, except the purchasing officer, whose list waits. The principal's and
the CCO's own posts are left without a list, so the coverage view has a gap to show. Safe to
run again."""

from content.models import RegulationClause
from lms.organisations.models import Staff

from . import services
from .models import DutyAcknowledgement, DutyList

# clause text fragments looked up in the regulation library
SASAC_DUTY_LIST = "重点岗位合规职责清单"
SASAC_FIRST_LINE = "第二道防线"

LISTS = {
    "合规负责人": [
        (
            "组织制定年度合规管理工作计划并督促落实，每季度向主要负责人报告合规管理情况。",
            [SASAC_FIRST_LINE],
            [],
        ),
        (
            "组织开展合规风险识别、评估和预警，对重大决策、规章制度和经济合同进行合规审查。",
            [SASAC_FIRST_LINE],
            ["反商业贿赂"],
        ),
    ],
    "专职合规管理员": [
        ("每月开展一次合规风险排查，形成排查记录或零风险报告。", [SASAC_FIRST_LINE], []),
        ("受理员工合规咨询，五个工作日内答复。", [], ["数据保护"]),
    ],
    "部门经理": [
        (
            "落实“管业务必须管合规”，组织本部门编制岗位合规职责清单并监督执行。",
            [SASAC_DUTY_LIST],
            [],
        ),
        ("本部门发现合规风险或违规线索时，及时向合规部门报告。", [], ["网络交易"]),
    ],
    "采购专员": [
        (
            "严格执行采购招投标制度，不收受供应商任何形式的回扣、礼品或宴请。",
            [SASAC_DUTY_LIST],
            ["反商业贿赂"],
        ),
        ("对供应商资质进行合规审核，发现异常及时报告。", [], ["反商业贿赂"]),
    ],
}
ACKNOWLEDGED_BY = ("head", "admin", "mgr1", "mgr2")


def _clause_ids(fragments) -> list[int]:
    ids = []
    for fragment in fragments:
        clause = RegulationClause.objects.filter(page__live=True, text__contains=fragment).first()
        if clause is not None:
            ids.append(clause.pk)
    return ids


def _domain_ids(names) -> list[int]:
    from taggit.models import Tag

    return list(Tag.objects.filter(name__in=names).values_list("pk", flat=True))


def seed(*, stdout=None) -> None:
    cco = Staff.objects.filter(user__email="cco@yunji.demo").select_related("user").first()
    if cco is None:
        return
    org = cco.organisation
    for name, duties in LISTS.items():
        position = org.positions.filter(name=name, is_key=True).first()
        if position is None or DutyList.objects.filter(position=position).exists():
            continue
        services.duty_list_revise(
            actor=cco.user,
            position_id=position.pk,
            items=[
                services.ItemInput(text=text, clause_ids=_clause_ids(c), domain_ids=_domain_ids(d))
                for text, c, d in duties
            ],
            note="首版",
        )
        if name == "采购专员":
            services.post_courses_add(actor=cco.user, position_id=position.pk)
    pending = DutyAcknowledgement.objects.filter(
        version__duty_list__organisation=org,
        status=DutyAcknowledgement.Status.PENDING,
        user__email__in=[f"{login}@yunji.demo" for login in ACKNOWLEDGED_BY],
    ).select_related("user")
    for ack in pending:
        services.duty_list_acknowledge(
            acknowledgement_id=ack.pk,
            user=ack.user,
            typed_name=ack.user.full_name,
            confirmed=True,
            ip_address="192.0.2.10",
            user_agent="Mozilla/5.0 (demo)",
        )
    if stdout is not None:
        acks = DutyAcknowledgement.objects.filter(version__duty_list__organisation=org)
        signed = acks.filter(status=DutyAcknowledgement.Status.SIGNED).count()
        stdout.write(f"  duty lists: {signed} of {acks.count()} acknowledged at {org.name}")
