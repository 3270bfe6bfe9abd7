"""The exam engine's services: every change of state goes through one of these.

For other apps (spot checks, certificates, records):

- `exam_create(*, organisation, title, kind, blueprint, opens_at, closes_at, actor, **options)`
  creates an exam; for a spot check pass ``kind=ExamKind.SPOT_CHECK`` and a blueprint on the
  regulator's sealed bank (`bank_save`, `question_create`, `blueprint_create`).
- `exam_assign(*, exam, users, actor, source)` puts named people in an exam (idempotent);
  `exam_set_override(*, exam, user, extra_minutes, extra_attempts, actor)` gives one person
  extra time or attempts.
- Results per exam are read with `assessments.selectors.exam_results(exam=...)` (one row per
  candidate with the attempt that counts) and `attempts_of_exam(exam=...)`.
- Exam integrity (services/integrity.py): `attempt_event_record` stores what the exam page
  reports and submits at the exam's limit of leavings; `exam_network_check` /
  `attempt_network_check` refuse addresses outside the exam's allowed networks; spot checks get
  SPOT_CHECK_DEFAULTS from `exam_create`. Events are read with
  `assessments.selectors.integrity_logs(attempt_ids=...)`.
- `assessments.signals.attempt_finalised` is sent on commit once an attempt is submitted and
  fully graded, and again when a regrade changes its outcome.
"""

from .attempts import (
    SAVE_GRACE,
    SaveResult,
    attempt_deadline,
    attempt_item_grade,
    attempt_rebuild_paper,
    attempt_start,
    attempt_submit,
    attempt_submit_if_expired,
    attempts_submit_expired,
    candidate_for,
    question_correct_key,
    response_save,
    responses_save,
)
from .banks import (
    bank_candidates,
    bank_save,
    blueprint_create,
    blueprint_problems,
    blueprint_save,
    question_create,
    question_retire,
    question_update,
)
from .exam_tokens import attempt_token_issue, attempt_token_verify
from .exams import (
    annual_exam_open,
    annual_exams_open_due,
    annual_template_save,
    appointment_enrol_candidate,
    exam_assign,
    exam_create,
    exam_reminders_send,
    exam_save,
    exam_set_override,
    exam_sync_audience,
    exams_sync_audiences_for_organisation,
    pre_appointment_pass,
    pre_appointment_refusal,
)
from .integrity import (
    SPOT_CHECK_DEFAULTS,
    EventResult,
    attempt_event_record,
    attempt_network_check,
    attempts_submit_idle,
    exam_network_check,
)

__all__ = [
    "attempt_token_issue",
    "attempt_token_verify",
    "SAVE_GRACE",
    "SPOT_CHECK_DEFAULTS",
    "EventResult",
    "attempt_event_record",
    "attempt_network_check",
    "attempts_submit_idle",
    "exam_network_check",
    "SaveResult",
    "annual_exam_open",
    "annual_exams_open_due",
    "annual_template_save",
    "appointment_enrol_candidate",
    "attempt_deadline",
    "attempt_item_grade",
    "attempt_rebuild_paper",
    "attempt_start",
    "attempt_submit",
    "attempt_submit_if_expired",
    "attempts_submit_expired",
    "bank_candidates",
    "bank_save",
    "blueprint_create",
    "blueprint_problems",
    "blueprint_save",
    "candidate_for",
    "exam_assign",
    "exam_create",
    "exam_reminders_send",
    "exam_save",
    "exam_set_override",
    "exam_sync_audience",
    "exams_sync_audiences_for_organisation",
    "pre_appointment_pass",
    "pre_appointment_refusal",
    "question_correct_key",
    "question_create",
    "question_retire",
    "question_update",
    "response_save",
    "responses_save",
]
