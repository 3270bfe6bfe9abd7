"""Reactions to other apps' events, connected in LearningConfig.ready()."""

from lms.resilience import outbox


def on_roster_changed(sender, *, organisation, staff_ids=None, **kwargs):
    """People joined, moved or changed position: assign what their new place calls for."""
    from .tasks import assignment_run_for_organisation

    ids = list(staff_ids) if staff_ids is not None else None
    outbox.enqueue(assignment_run_for_organisation, organisation.pk, ids)


def on_roster_import_finished(sender, *, job, **kwargs):
    """A background roster import is over: tell the person who started it, in 通知."""
    from .services import roster_import_notice_send

    roster_import_notice_send(job=job)
