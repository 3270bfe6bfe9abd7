from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from assessments.formats import FORMATS, guess_format
from assessments.models import QuestionBank
from assessments.services.imports import questions_import


def _short(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1] + "…"


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
            raise CommandError(_("No such file: %(file)s") % {"file": file})
        fmt = format or guess_format(path.name)
        if fmt is None:
            raise CommandError(_("Cannot tell the format from the file name: pass --format."))
        try:
            target = QuestionBank.objects.get(pk=bank)
        except QuestionBank.DoesNotExist as exc:
            raise CommandError(_("No question bank with id %(id)s.") % {"id": bank}) from exc
        report = questions_import(bank=target, data=path.read_bytes(), fmt=fmt, dry_run=dry_run)
        for change in report.updates:
            line = (
                _("would update #%(position)d: question %(id)d「%(old)s」→「%(new)s」(%(fields)s)")
                if dry_run
                else _("updated #%(position)d: question %(id)d「%(old)s」→「%(new)s」(%(fields)s)")
            )
            self.stdout.write(
                line
                % {
                    "position": change.position,
                    "id": change.question_id,
                    "old": _short(change.old_stem),
                    "new": _short(change.stem),
                    "fields": "、".join(change.fields),
                }
            )
        for problem in report.skipped:
            self.stdout.write(_("skipped: %(problem)s") % {"problem": problem})
        for problem in report.warnings:
            self.stdout.write(_("warning: %(problem)s") % {"problem": problem})
        for problem in report.errors:
            self.stderr.write(_("error: %(problem)s") % {"problem": problem})
        counts = {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "skipped": len(report.skipped),
        }
        summary = _(
            "created %(created)d, updated %(updated)d, unchanged %(unchanged)d, skipped %(skipped)d"
        )
        if dry_run:
            summary = _("dry run (nothing stored): %(summary)s") % {"summary": summary}
        self.stdout.write(summary % counts)
        if not report.ok:
            raise CommandError(
                _("%(count)d malformed question(s): nothing was imported.")
                % {"count": len(report.errors)}
            )
