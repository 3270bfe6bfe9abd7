"""python manage.py export_roster --org CREDIT_CODE [--format xlsx|csv] [-o FILE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from lms.organisations import credit_code
from lms.organisations.models import Organisation
from lms.organisations.roster.exporting import FORMATS, roster_export, roster_export_file_name


class Command(BaseCommand):
    help = "Export an organisation's roster with the import's Chinese headers."

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="the organisation's credit code")
        parser.add_argument("--format", choices=sorted(FORMATS), default="xlsx")
        parser.add_argument("-o", "--output", type=Path, help="file to write (default: a name)")

    def handle(self, *args, org: str, format: str, output: Path | None, **options):
        organisation = Organisation.objects.filter(credit_code=credit_code.normalise(org)).first()
        if organisation is None:
            raise CommandError(_("No organisation has the credit code %(code)s.") % {"code": org})
        output = output or Path(
            roster_export_file_name(
                organisation=organisation, file_format=format, today=timezone.localdate()
            )
        )
        output.write_bytes(roster_export(organisation=organisation, file_format=format))
        self.stdout.write(str(output))
