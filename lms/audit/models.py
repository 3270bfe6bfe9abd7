from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from . import vocabulary


class AuditEntryQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditLogIsAppendOnly

    def delete(self):
        raise AuditLogIsAppendOnly


class AuditLogIsAppendOnly(Exception):
    """Audit entries are never changed or removed."""


class AuditEntry(models.Model):
    """Who did what to which object, when and from where. Append-only."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(_("actor name"), max_length=200, blank=True)
    action = models.CharField(_("action"), max_length=100, db_index=True)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    object_type = models.CharField(_("object type"), max_length=100, blank=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=300, blank=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]
        default_permissions = ("view",)

    def __str__(self):
        return (
            f"{self.at:%Y-%m-%d %H:%M} {self.get_actor_label_display()} "
            f"{self.get_action_display()} {self.object_repr}"
        )

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AuditLogIsAppendOnly
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly

    # --- in words, for the admin's list and inspect view (Wagtail calls get_<field>_display)
    def get_action_display(self) -> str:
        return vocabulary.action_label(self.action)

    def get_actor_label_display(self) -> str:
        return vocabulary.actor_label(self.actor_label)

    def get_object_type_display(self) -> str:
        model = self.object_model()
        return str(model._meta.verbose_name) if model is not None else self.object_type

    def object_model(self):
        try:
            return apps.get_model(self.object_type) if self.object_type else None
        except (LookupError, ValueError):
            return None
