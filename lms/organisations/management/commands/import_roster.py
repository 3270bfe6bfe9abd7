"""python manage.py import_roster FILE --org CREDIT_CODE [--dry-run]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.organisations import credit_code
from lms.organisations.models import Organisation
from lms.organisations.roster.importing import roster_import


class Command(BaseCommand):
    help = (
        "Import an organisation's roster from an xlsx or CSV file (UTF-8 or GBK) with the columns "
        "姓名, 工号, 部门, 岗位, 入职日期, 邮箱, 手机. A file with any problem changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--org", required=True, help="the organisation's credit code")
        parser.add_argument(
            "--dry-run", action="store_true", help="check the file and report; change nothing"
        )

    def handle(self, *args, file: Path, org: str, dry_run: bool, **options):
        organisation = Organisation.objects.filter(credit_code=credit_code.normalise(org)).first()
        if organisation is None:
            raise CommandError(_("No organisation has the credit code %(code)s.") % {"code": org})
        try:
            data = file.read_bytes()
        except OSError as exc:
            raise CommandError(
                _("The file %(file)s cannot be read: %(error)s.")
                % {"file": file, "error": exc.strerror}
            ) from exc
        result = roster_import(
            organisation=organisation, data=data, file_name=file.name, dry_run=dry_run
        )
        self.stdout.write(
            _("%(file)s → %(organisation)s: %(rows)d rows.")
            % {"file": file.name, "organisation": organisation, "rows": result.rows}
        )
        if result.ignored_headers:
            self.stdout.write(
                _("Columns ignored: %(columns)s") % {"columns": ", ".join(result.ignored_headers)}
            )
        for problem in result.problems:
            if problem.row:
                line = _("Row %(row)d: %(message)s") % {
                    "row": problem.row,
                    "message": problem.message,
                }
            else:
                line = problem.message
            self.stderr.write(line)
        if not result.ok:
            raise CommandError(
                _("Nothing was imported: %(count)d problem(s) found. Fix the file and try again.")
                % {"count": len(result.problems)}
            )
        counts = {
            "created": result.created,
            "updated": result.updated,
            "unchanged": result.unchanged,
        }
        if dry_run:
            summary = _(
                "Dry run, nothing changed. Would create %(created)d, update %(updated)d, "
                "leave %(unchanged)d unchanged."
            )
        else:
            summary = _(
                "Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged."
            )
        self.stdout.write(self.style.SUCCESS(summary % counts))
        for label, names in (
            (_("New departments: %(names)s"), result.departments_created),
            (_("New positions: %(names)s"), result.positions_created),
        ):
            if names:
                self.stdout.write(label % {"names": "、".join(names)})
