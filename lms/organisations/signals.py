"""Events other apps listen to (they must not reach into this app's internals)."""

from django.dispatch import Signal

# sent with organisation, staff_ids: after people join, move, change position or leave
roster_changed = Signal()
# sent with appointment: a candidate was proposed for a position
appointment_requested = Signal()
# sent with appointment: the appointment was approved and the position taken
appointment_approved = Signal()
# sent with job: a background roster import finished (job.status is done or failed)
roster_import_finished = Signal()
# sent with organisation: a new organisation was saved (from any form, import or the demo)
organisation_created = Signal()
