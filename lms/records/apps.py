from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "lms.records"
    label = "records"
    verbose_name = _("Records")

    def ready(self):
        from assessments.signals import attempt_finalised
        from assessments.spotchecks.signals import drawn_person_outcome
        from certificates.signals import certificate_issued, certificate_revoked
        from lms.learning.signals import enrolment_completed

        from . import receivers

        for signal, receiver, uid in (
            (enrolment_completed, receivers.on_enrolment_completed, "enrolment_completed"),
            (attempt_finalised, receivers.on_attempt_finalised, "attempt_finalised"),
            (certificate_issued, receivers.on_certificate_issued, "certificate_issued"),
            (certificate_revoked, receivers.on_certificate_revoked, "certificate_revoked"),
            (drawn_person_outcome, receivers.on_drawn_person_outcome, "drawn_person_outcome"),
        ):
            signal.connect(receiver, dispatch_uid=f"records_{uid}")
