"""Entries for results that happened before the ledger listened. Idempotent: it calls the same
receivers as the live signals, and `record_entry` returns an entry already made."""

from assessments.selectors import exams_by_id, graded_exam_people
from assessments.spotchecks.selectors import final_outcomes
from certificates.selectors import certificates_issued_all
from lms.commitments.selectors import signatures_signed_all
from lms.duties.selectors import duty_entries_all
from lms.learning.selectors import enrolments_completed_assigned

from . import receivers
from .models import LedgerEntry

CHUNK = 500


def backfill() -> dict[str, int]:
    """Run every source through its receiver; returns the entries added per source."""
    added: dict[str, int] = {}

    def run(name, items, receive):
        before = LedgerEntry.objects.count()
        for item in items:
            receive(item)
        added[name] = LedgerEntry.objects.count() - before

    run(
        "enrolments",
        enrolments_completed_assigned().iterator(chunk_size=CHUNK),
        lambda e: receivers.on_enrolment_completed(None, enrolment=e),
    )
    pairs = list(graded_exam_people())
    exams = exams_by_id({exam_id for exam_id, _user_id in pairs})
    run(
        "exams",
        pairs,
        lambda pair: receivers.exam_result_record(exam=exams[pair[0]], user_id=pair[1]),
    )
    certificates = list(certificates_issued_all())
    run(
        "certificates",
        certificates,
        lambda c: receivers.on_certificate_issued(None, certificate=c),
    )
    run(
        "revocations",
        [c for c in certificates if c.status == "revoked"],
        lambda c: receivers.on_certificate_revoked(None, certificate=c),
    )
    run(
        "spot_checks",
        final_outcomes().iterator(chunk_size=CHUNK),
        lambda p: receivers.on_drawn_person_outcome(None, person=p),
    )
    run(
        "commitments",
        signatures_signed_all().iterator(chunk_size=CHUNK),
        lambda s: receivers.on_commitment_signed(None, signature=s),
    )
    run(
        "duties",
        duty_entries_all().iterator(chunk_size=CHUNK),
        lambda e: receivers.on_duty_logged(None, entry=e),
    )
    return added
