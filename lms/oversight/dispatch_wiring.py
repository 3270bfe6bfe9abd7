"""Oversight's dispatch figure, answered by `lms.dispatch` (quarters held, no personal data)."""

from lms.dispatch import selectors as dispatch_selectors


def quarters_held(*, organisation_ids, year: int) -> dict[int, int]:
    held = dispatch_selectors.dispatch_quarters_held(
        organisation_ids=organisation_ids, year=year, with_minutes=False
    )
    return {
        org_id: sum(1 for meetings in quarters.values() if meetings)
        for org_id, quarters in held.items()
    }
