from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LmsConfig(AppConfig):
    """The project package itself: shared templates, static files, translations, commands."""

    name = "lms"
    verbose_name = _("Hegui Academy")

    def ready(self):
        from . import wagtail_columns

        wagtail_columns.label_site_columns()
