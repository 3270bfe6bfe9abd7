import sys

from django.core.management.base import BaseCommand, CommandError

from assessments.spotchecks.models import Draw
from assessments.spotchecks.services import draw_verify


class Command(BaseCommand):
    help = "Re-run a campaign's draw from its published record and say MATCH or MISMATCH."

    def add_arguments(self, parser):
        parser.add_argument("campaign_id", type=int)

    def handle(self, *args, campaign_id, **options):
        record = Draw.objects.filter(campaign_id=campaign_id).first()
        if record is None:
            raise CommandError(f"Campaign {campaign_id} has no committed draw.")
        if not record.is_revealed:
            raise CommandError(f"Campaign {campaign_id} is committed but not drawn yet.")
        outcome = draw_verify(record=record)
        self.stdout.write(f"algorithm:       {record.algorithm}")
        self.stdout.write(f"seed hash:       {record.seed_hash}")
        self.stdout.write(f"population hash: {record.population_hash}")
        for label, ok in (
            ("seed matches its hash", outcome.seed_matches),
            ("population matches its hash", outcome.population_matches),
            ("re-run selection matches", outcome.result_matches),
        ):
            self.stdout.write(f"{label}: {'yes' if ok else 'NO'}")
        self.stdout.write(outcome.verdict)
        if not outcome.ok:
            sys.exit(1)
