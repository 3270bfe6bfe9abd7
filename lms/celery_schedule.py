"""Periodic tasks run by Celery beat. Each app adds its entries here, next to the others."""

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE: dict[str, dict] = {}

# resilience: the heartbeat (outage windows) and the outbox relay (tasks the broker missed)
CELERY_BEAT_SCHEDULE |= {
    "resilience-tick": {"task": "resilience.tick", "schedule": 15.0},
}

# organisations: roster imports whose task the broker lost are queued again
CELERY_BEAT_SCHEDULE |= {
    "organisations-requeue-stuck-roster-imports": {
        "task": "organisations.requeue_stuck_roster_imports",
        "schedule": 300.0,
    },
}

# archive: inspection archives whose build was lost (broker) or whose worker died are queued again
CELERY_BEAT_SCHEDULE |= {
    "archive-requeue-stuck": {"task": "archive.requeue_stuck", "schedule": 300.0},
}

# assessments: auto-submit attempts past their deadline; the annual exam cycle and reminders
CELERY_BEAT_SCHEDULE |= {
    "assessments-submit-expired-attempts": {
        "task": "assessments.tasks.submit_expired_attempts",
        "schedule": 30.0,
    },
    "assessments-open-annual-exams": {
        "task": "assessments.tasks.open_annual_exams",
        "schedule": crontab(hour=1, minute=10),
    },
    "assessments-exam-reminders": {
        "task": "assessments.tasks.send_exam_reminders",
        "schedule": crontab(hour=9, minute=0),
    },
}

# certificates: expiry marked after midnight; reminders 30 days before expiry, each sent once
CELERY_BEAT_SCHEDULE |= {
    "certificates-mark-expired": {
        "task": "certificates.mark_expired",
        "schedule": crontab(hour=0, minute=20),
    },
    "certificates-expiry-reminders": {
        "task": "certificates.send_expiry_reminders",
        "schedule": crontab(hour=9, minute=30),
    },
}

# spotchecks: flag rectifications past their deadline (each flagged once)
CELERY_BEAT_SCHEDULE |= {
    "spotchecks-flag-overdue-rectifications": {
        "task": "assessments.spotchecks.tasks.rectifications_flag_overdue",
        "schedule": crontab(hour=0, minute=40),
    },
}

# learning: nightly assignment (new hires, yearly cycles, roster drift), hourly notices of
# newly assigned courses, daily reminders
CELERY_BEAT_SCHEDULE |= {
    "learning-assignment-nightly": {
        "task": "lms.learning.tasks.assignment_run_nightly",
        "schedule": crontab(hour=1, minute=30),
    },
    "learning-reminders-daily": {
        "task": "lms.learning.tasks.reminders_send_daily",
        "schedule": crontab(hour=8, minute=30),
    },
    "learning-assignment-notices-hourly": {
        "task": "lms.learning.tasks.assignment_notices_send_hourly",
        "schedule": crontab(minute=10),
    },
}

# records: on 1 January, last year's overdue mandatory courses and exams not sat enter the ledger
CELERY_BEAT_SCHEDULE |= {
    "records-year-end-entries": {
        "task": "lms.records.tasks.year_end_entries_all",
        "schedule": crontab(month_of_year=1, day_of_month=1, hour=2, minute=0),
    },
    # the kept live scores of every enterprise's open years (department moves, platform policy)
    "records-scores-refresh-open-years": {
        "task": "records.scores_refresh_open_years",
        "schedule": crontab(hour=3, minute=30),
    },
}

# dispatch: a quarter just ended with no dispatch meeting is flagged to the principal and the
# head (each once)
CELERY_BEAT_SCHEDULE |= {
    "dispatch-flag-missing-quarters": {
        "task": "lms.dispatch.tasks.missing_quarters_flag",
        "schedule": crontab(hour=9, minute=15),
    },
}

# consultations: unanswered compliance questions reminded, then escalated (each step once)
CELERY_BEAT_SCHEDULE |= {
    "consultations-remind-unanswered": {
        "task": "consultations.remind_unanswered",
        "schedule": crontab(hour=9, minute=15),
    },
}

__all__ = ["CELERY_BEAT_SCHEDULE", "crontab"]

# oversight: the regulators' yearly figures refreshed hourly (computed in SQL, GROUP BY
# enterprise); late self-inspection reports told to the enterprise once (each notice keyed)
CELERY_BEAT_SCHEDULE |= {
    "oversight-figures-refresh": {
        "task": "oversight.figures_refresh",
        "schedule": crontab(minute=5),
    },
    "oversight-self-inspections-flag-late": {
        "task": "oversight.self_inspections_flag_late",
        "schedule": crontab(hour=9, minute=15),
    },
}

# integrations: webhook deliveries whose retry was lost with its worker are queued again
CELERY_BEAT_SCHEDULE |= {
    "integrations-requeue-stuck-webhook-deliveries": {
        "task": "integrations.webhook_deliveries_requeue_stuck",
        "schedule": 300.0,
    },
}
