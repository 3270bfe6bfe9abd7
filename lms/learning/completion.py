"""What, besides its lessons, a course needs before it counts as complete.

Higher apps (assessments) register a requirement here; learning never imports them.
A requirement is `fn(*, user, course_page_id, organisation_id) -> str | None`: why the course
is not yet complete for that user (e.g. "quiz not passed"), or None when it is satisfied.
`organisation_id` is the organisation the person takes the course for (their enrolment's): a
requirement one organisation sets binds its own people only.
"""

from collections.abc import Callable

CourseRequirement = Callable[..., str | None]

_requirements: list[CourseRequirement] = []


def register_course_requirement(fn: CourseRequirement) -> CourseRequirement:
    """Register once (idempotent); usable as a decorator."""
    if fn not in _requirements:
        _requirements.append(fn)
    return fn


def course_requirements_unmet(*, user, course_page_id: int, organisation_id: int) -> list[str]:
    """Every registered requirement's reason for this user, course and organisation, if any."""
    reasons = []
    for fn in _requirements:
        reason = fn(user=user, course_page_id=course_page_id, organisation_id=organisation_id)
        if reason:
            reasons.append(str(reason))
    return reasons
