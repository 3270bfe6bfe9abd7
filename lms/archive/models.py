from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def private_storage() -> FileSystemStorage:
    """Outside MEDIA_ROOT: an archive is personal data, served only through a view that
    checks who asks (never by the web server's media route)."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT)


def _archive_path(instance, filename):
    return f"archives/{instance.organisation_id}/{filename}"


class InspectionArchive(models.Model):
    """An organisation's inspection archive (存档备查) for a date range: a ZIP built by a Celery
    task, kept for download. `progress` of `total` steps (one per person's file, and the
    index, the audit extract and each registered section)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", pgettext_lazy("job status", "Failed")

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="inspection_archives",
    )
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("request", "requested by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    requested_from = models.GenericIPAddressField(_("requested from"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.QUEUED
    )
    progress = models.PositiveIntegerField(_("steps done"), default=0)
    total = models.PositiveIntegerField(_("steps"), default=0)
    started_at = models.DateTimeField(pgettext_lazy("event", "started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=_archive_path, blank=True, max_length=300
    )
    size = models.PositiveBigIntegerField(_("size"), default=0)
    people = models.PositiveIntegerField(_("people's files"), default=0)
    assembling = models.BooleanField(_("being assembled"), default=False)

    class Meta:
        verbose_name = _("inspection archive")
        verbose_name_plural = _("inspection archives")
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(start__lte=models.F("end")),
                name="archive_range_in_order",
                violation_error_message=_("The range ends before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} {self.start}–{self.end}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def ready(self) -> bool:
        return self.status == self.Status.DONE and bool(self.file)

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total:
            return 0
        return min(99, round(100 * self.progress / self.total))


def _part_path(instance, filename):
    return f"archives/{instance.archive.organisation_id}/parts/{filename}"


class ArchivePart(models.Model):
    """One slice of an archive's people, their files rendered by a Celery task of its own (the
    parts run in parallel); the last part to finish queues the assembly of the ZIP. A part done
    stays done: an archive taken again after its worker died renders only what is missing."""

    archive = models.ForeignKey(
        InspectionArchive,
        verbose_name=_("inspection archive"),
        on_delete=models.CASCADE,
        related_name="parts",
    )
    number = models.PositiveIntegerField(_("number"))
    staff_ids = models.JSONField(_("people"), default=list)
    done = models.BooleanField(_("done"), default=False)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=_part_path, blank=True, max_length=300
    )
    index = models.JSONField(_("index rows"), default=list)
    entries = models.PositiveIntegerField(_("entries"), default=0)

    class Meta:
        verbose_name = _("archive part")
        verbose_name_plural = _("archive parts")
        ordering = ["archive", "number"]
        constraints = [
            models.UniqueConstraint(fields=["archive", "number"], name="archive_part_once")
        ]

    def __str__(self):
        return f"{self.archive_id} · {self.number}"
