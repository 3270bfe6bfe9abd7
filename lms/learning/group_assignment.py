"""A curriculum its owner applies to its subsidiaries (content's `apply_to_subsidiaries`):
after it is saved, assign it in the owner organisation and in every active subsidiary below
it. The nightly run and a roster change reach the subsidiaries by themselves, through
`selectors.curricula_applying_to`."""

from datetime import date

from lms.organisations.access import subsidiary_ids
from lms.organisations.selectors import enterprises

from . import services


def assignment_run_for_curriculum(*, curriculum, today: date | None = None) -> int:
    """Assign the curriculum (content's Curriculum) wherever it applies, its owner's subsidiaries included when it is
    applied to them. Returns how many enrolments were new."""
    created = services.assignment_run_for_curriculum(curriculum=curriculum, today=today)
    if not (curriculum.apply_to_subsidiaries and curriculum.owner_organisation_id):
        return created
    below = enterprises().filter(
        pk__in=subsidiary_ids([curriculum.owner_organisation_id]), is_active=True
    )
    for organisation in below.order_by("pk"):
        created += services.assignment_run(
            organisation=organisation, curriculum=curriculum, today=today
        )
    return created
