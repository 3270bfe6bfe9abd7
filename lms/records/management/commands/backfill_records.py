from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from lms.records.backfill import backfill


class Command(BaseCommand):
    help = "Create the ledger entries for results that happened before (safe to run again)."

    def handle(self, *args, **options):
        added = backfill()
        for source, count in added.items():
            self.stdout.write(
                _("%(source)s: %(count)d entries added") % {"source": source, "count": count}
            )
