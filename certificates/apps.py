from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    label = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from assessments.signals import attempt_finalised
        from lms.learning.signals import enrolment_completed
        from lms.navigation import HomePanel, NavItem, register_home_panel, register_nav_item

        from . import notices, receivers, views

        notices.register()
        enrolment_completed.connect(
            receivers.issue_for_completed_enrolment, dispatch_uid="certificates_on_enrolment"
        )
        attempt_finalised.connect(
            receivers.issue_for_finalised_attempt, dispatch_uid="certificates_on_attempt"
        )
        register_nav_item(
            NavItem(
                key="certificates",
                label=_("My certificates"),
                url_name="certificates:mine",
                order=60,
            )
        )
        register_home_panel(
            HomePanel(
                key="certificates",
                template="certificates/includes/home_panel.html",
                context=views.home_panel_context,
                order=60,
            )
        )
