"""Demo dispatch at 城投集团: the minutes of two quarters (the older one finalised) and, between
them, a quarter with no meeting, shown as missing. Safe to run again."""

from datetime import timedelta

from django.utils import timezone

from lms.organisations.models import Staff

from . import services
from .models import DispatchMeeting
from .quarters import last_closed

ATTENDEES = ("gm", "cco", "head", "admin")

MEETINGS = [
    # (quarters before the last closed one, minutes, decisions, priorities, finalised)
    (
        2,
        "合规负责人汇报本季度合规管理工作：完成新员工合规培训2批次，年度合规考试参考率96%；"
        "采购部开展供应商准入风险排查，发现3项问题已督促整改；财务部报告零风险。",
        "一、采购部3项问题限期一个月整改完毕，合规负责人跟踪验收；"
        "二、将合规审查纳入重大合同审批必经程序。",
        "一、组织年度合规考试补考；二、开展招投标领域专项排查；三、修订《合规风险管控清单》。",
        True,
    ),
    (
        0,
        "合规负责人汇报：招投标专项排查覆盖在建项目12个，发现问题2项；"
        "本季度确认违规行为1起（一般），已按制度惩戒；合规承诺书签署率92%。",
        "一、对招投标问题项目开展回头看；二、未签署合规承诺书人员本月内完成签署。",
        "一、迎接国资委年度合规检查；二、落实重点岗位合规职责清单确认；三、完成年度自查报告。",
        False,
    ),
]


def seed(*, stdout=None) -> None:
    members = {
        staff.user.email.split("@")[0]: staff
        for staff in Staff.objects.filter(user__email__endswith="@chengtou.demo").select_related(
            "user"
        )
    }
    head = members.get("head")
    if head is None:
        return
    newest = last_closed(timezone.localdate())
    added = 0
    for back, minutes, decisions, priorities, finalise in MEETINGS:
        quarter = newest
        for _step in range(back):
            quarter = last_closed(quarter.start)
        if DispatchMeeting.objects.filter(
            organisation_id=head.organisation_id, year=quarter.year, quarter=quarter.quarter
        ).exists():
            continue
        meeting = services.meeting_record(
            actor=head.user,
            organisation_id=head.organisation_id,
            quarter=quarter,
            held_on=quarter.end - timedelta(days=12),
            attendee_ids=[members[login].pk for login in ATTENDEES if login in members],
            minutes=minutes,
            decisions=decisions,
            priorities=priorities,
        )
        if finalise:
            services.meeting_lock(actor=head.user, meeting_id=meeting.pk)
        added += 1
    if stdout is not None:
        stdout.write(f"  dispatch: {added} dispatch meetings recorded at 城投集团")
