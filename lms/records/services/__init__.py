"""The ledger's writes: record an entry, reverse one, keep scoring policies, record violations,
give commendations and penalties, close a year.

`ledger` records and reverses entries; `policies` keeps the scoring policies; `violations`
takes a violation from report to decision and its consequences; `awards` the commendations
and penalties; `appraisal` closes a year and amends a closed year's appraisal.
"""

from .appraisal import AmendmentRefused, YearAlreadyClosed, appraisal_amend, year_close
from .awards import MAX_AWARD_POINTS, award_give
from .ledger import (
    EntryAlreadyReversed,
    platform_language,
    record_entry,
    reverse_entry,
    reverse_live_entries,
)
from .policies import policy_for, policy_save, rules_for
from .violations import (
    STATEMENT_DAYS,
    ViolationRefused,
    appointment_gate,
    violation_decide,
    violation_report,
    violation_statement_give,
    violations_decidable_q,
)

__all__ = [
    "MAX_AWARD_POINTS",
    "STATEMENT_DAYS",
    "AmendmentRefused",
    "EntryAlreadyReversed",
    "ViolationRefused",
    "YearAlreadyClosed",
    "appointment_gate",
    "appraisal_amend",
    "award_give",
    "platform_language",
    "policy_for",
    "policy_save",
    "record_entry",
    "reverse_entry",
    "reverse_live_entries",
    "rules_for",
    "violation_decide",
    "violation_report",
    "violation_statement_give",
    "violations_decidable_q",
    "year_close",
]
