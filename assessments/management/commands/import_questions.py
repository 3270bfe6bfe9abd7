from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.formats import FORMATS, guess_format
from assessments.models import QuestionBank
from assessments.services.imports import questions_import


class Command(BaseCommand):
    help = "Import questions into a bank from xlsx, csv, Moodle XML or GIFT (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--bank", type=int, required=True, help="the question bank's id")
        parser.add_argument("--format", choices=FORMATS, help="default: from the file's ending")
        parser.add_argument("--dry-run", action="store_true", help="check and count, store nothing")

    def handle(self, *args, file, bank, format=None, dry_run=False, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {file}")
        fmt = format or guess_format(path.name)
        if fmt is None:
            raise CommandError("Cannot tell the format from the file name: pass --format.")
        try:
            target = QuestionBank.objects.get(pk=bank)
        except QuestionBank.DoesNotExist as exc:
            raise CommandError(f"No question bank with id {bank}.") from exc
        report = questions_import(bank=target, data=path.read_bytes(), fmt=fmt, dry_run=dry_run)
        for problem in report.skipped:
            self.stdout.write(f"skipped {problem}")
        for problem in report.errors:
            self.stderr.write(f"error {problem}")
        prefix = "dry run: " if dry_run else ""
        self.stdout.write(
            f"{prefix}created {report.created}, updated {report.updated}, "
            f"unchanged {report.unchanged}, skipped {len(report.skipped)}"
        )
        if not report.ok:
            raise CommandError(f"{len(report.errors)} malformed question(s): nothing was imported.")
