"""Changes of state for learning: assignment, completion, waivers, reminders. Each audited.

`assignment` makes the enrolments (curricula, by hand, a post's courses, remedial training) and
waives them; `completion` records lessons done and completes courses; `reminders` sends the
notices of new assignments and the due and overdue reminders; `plans` saves training plans.
"""

from .assignment import (
    assignment_run,
    assignment_run_all,
    assignment_run_for_curriculum,
    course_deletion_refusal,
    cycle_for,
    enrolment_assign_manual,
    enrolment_assign_post_courses,
    enrolment_assign_remedial,
    enrolment_waive,
)
from .completion import (
    LESSON_TOKEN_SALT,
    LessonAlreadyCompleted,
    LessonNotReady,
    enrolment_completion_blockers,
    enrolment_refresh_completion,
    lesson_complete,
    lesson_opened_token,
)
from .plans import training_plan_save
from .reminders import (
    ASSIGNMENT_NOTICE_WINDOW_DAYS,
    REMIND_DAYS_BEFORE_DUE,
    assignment_notices_send,
    reminder_event,
    reminders_send,
    roster_import_notice_send,
)

__all__ = [
    "ASSIGNMENT_NOTICE_WINDOW_DAYS",
    "LESSON_TOKEN_SALT",
    "REMIND_DAYS_BEFORE_DUE",
    "LessonAlreadyCompleted",
    "LessonNotReady",
    "assignment_notices_send",
    "assignment_run",
    "assignment_run_all",
    "assignment_run_for_curriculum",
    "course_deletion_refusal",
    "cycle_for",
    "enrolment_assign_manual",
    "enrolment_assign_post_courses",
    "enrolment_assign_remedial",
    "enrolment_completion_blockers",
    "enrolment_refresh_completion",
    "enrolment_waive",
    "lesson_complete",
    "lesson_opened_token",
    "reminder_event",
    "reminders_send",
    "roster_import_notice_send",
    "training_plan_save",
]
