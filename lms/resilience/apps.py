from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ResilienceConfig(AppConfig):
    name = "lms.resilience"
    label = "resilience"
    verbose_name = _("Resilience")

    def ready(self):
        from django.core.signals import got_request_exception, request_started

        from . import outages

        got_request_exception.connect(outages.on_request_exception, dispatch_uid="outage_seen")
        request_started.connect(outages.on_request_started, dispatch_uid="outage_flush")
