from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from certificates.services import certificates_revoke_issued_in_error


class Command(BaseCommand):
    help = (
        "Revoke course-completion certificates an organisation issued to people who completed "
        "the course for another organisation (before rules were matched by the holder's "
        "organisation). Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="list them, revoke nothing")

    def handle(self, *args, dry_run=False, **options):
        certificates = certificates_revoke_issued_in_error(dry_run=dry_run)
        for certificate in certificates:
            self.stdout.write(
                _("%(serial)s %(holder)s: issued by %(issuer)s, completed for %(organisation)s")
                % {
                    "serial": certificate.serial,
                    "holder": certificate.holder_name,
                    "issuer": certificate.organisation.name,
                    "organisation": certificate.holder_organisation_name,
                }
            )
        summary = (
            _("%(count)d certificate(s) issued in error; nothing revoked (dry run).")
            if dry_run
            else _("%(count)d certificate(s) issued in error revoked.")
        )
        self.stdout.write(summary % {"count": len(certificates)})
