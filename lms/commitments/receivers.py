"""Commitments listens to the roster: a new hire joins the open new-hire campaigns."""

from . import services


def on_roster_changed(sender, organisation, staff_ids, **kwargs):
    if staff_ids:
        services.new_hires_joined(organisation_id=organisation.pk, staff_ids=staff_ids)
