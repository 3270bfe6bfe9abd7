"""Spot-check campaigns: every change of state, audited.

Lifecycle: `campaign_save` (draft only) → `campaign_commit` (scope frozen, seed hash published,
population snapshot stored) → `campaign_draw` (seed revealed, selection stored) →
`campaign_start` (exam created, people put in it and notified by Celery) → `campaign_close`
(no-shows failed, verdicts, rectification notices, risk grades) → rectification reports.

`campaigns` holds the scope, the draft, the commit and the draw; `running` the exam, the drawn
people's results and the close; `rectifications` what a failed enterprise owes afterwards.
"""

from .campaigns import (
    CampaignRefused,
    campaign_commit,
    campaign_draw,
    campaign_preflight,
    campaign_save,
    campaign_scope,
    campaign_snapshot,
    draw_verify,
    inspector_pool,
    problem_messages,
    recusal_add,
)
from .rectifications import (
    rectification_decide,
    rectification_returned_notify,
    rectification_submit,
    rectifications_flag_overdue,
)
from .running import (
    NOTIFY_CHUNK,
    attempt_record,
    campaign_close,
    campaign_enrol,
    campaign_start,
    drawn_people_notify,
    enterprise_risk_grade_update,
    failed_enterprises_notify,
)

__all__ = [
    "NOTIFY_CHUNK",
    "CampaignRefused",
    "attempt_record",
    "campaign_close",
    "campaign_commit",
    "campaign_draw",
    "campaign_enrol",
    "campaign_preflight",
    "campaign_save",
    "campaign_scope",
    "campaign_snapshot",
    "campaign_start",
    "draw_verify",
    "drawn_people_notify",
    "enterprise_risk_grade_update",
    "failed_enterprises_notify",
    "inspector_pool",
    "problem_messages",
    "recusal_add",
    "rectification_decide",
    "rectification_returned_notify",
    "rectification_submit",
    "rectifications_flag_overdue",
]
