import importlib
import time

from django.core.management.base import BaseCommand
from django.db import transaction

# Each app seeds its own demo data in lms/…/demo.py or <app>/demo.py, in dependency order.
DEMO_MODULES = [
    "lms.organisations.demo",
    "content.demo",
    "lms.learning.demo",
    "assessments.demo",
    "assessments.spotchecks.demo",
    "certificates.demo",
    "lms.commitments.demo",
    "lms.duties.demo",
    "lms.dutylists.demo",
    "lms.oversight.demo",
    "lms.records.demo",
    "lms.dispatch.demo",
    "lms.archive.demo",
    "lms.consultations.demo",
    "lms.integrations.demo",
    "lms.sso.demo",
]


class Command(BaseCommand):
    help = "Create the demo organisations, people, courses and exams (safe to run again)."

    def handle(self, *args, **options):
        started = time.monotonic()
        for name in DEMO_MODULES:
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name == name:
                    continue
                raise
            self.stdout.write(f"· {name} …")
            with transaction.atomic():
                module.seed(stdout=self.stdout)
        from lms.organisations.demo import print_logins

        print_logins(self.stdout)
        self.stdout.write(
            self.style.SUCCESS(f"Demo data ready in {time.monotonic() - started:.1f}s.")
        )
