"""Duty lists listen to the roster: whoever moves into a key post is asked to acknowledge its
duty list and enrolled in the post's courses."""

from . import services


def on_roster_changed(sender, organisation, staff_ids=None, **kwargs):
    if staff_ids:
        services.holders_changed(organisation_id=organisation.pk, staff_ids=staff_ids)
