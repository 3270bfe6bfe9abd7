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
        from lms.commitments.signals import commitment_signed
        from lms.duties.signals import duty_logged
        from lms.learning.signals import enrolment_completed
        from lms.navigation import GroupPanel, NavItem, register_group_panel, register_nav_item
        from lms.organisations.access import access_for, is_enterprise_member
        from lms.organisations.gates import register_appointment_gate

        from . import notices, receivers, services, views

        notices.register()
        for signal, receiver, uid in (
            (enrolment_completed, receivers.on_enrolment_completed, "enrolment_completed"),
            (attempt_finalised, receivers.on_attempt_finalised, "attempt_finalised"),
            (certificate_issued, receivers.on_certificate_issued, "certificate_issued"),
            (certificate_revoked, receivers.on_certificate_revoked, "certificate_revoked"),
            (drawn_person_outcome, receivers.on_drawn_person_outcome, "drawn_person_outcome"),
            (commitment_signed, receivers.on_commitment_signed, "commitment_signed"),
            (duty_logged, receivers.on_duty_logged, "duty_logged"),
        ):
            signal.connect(receiver, dispatch_uid=f"records_{uid}")

        from django.db.models.signals import post_save

        from . import scores
        from .models import LedgerEntry, ScoringPolicy

        post_save.connect(scores.entry_saved, sender=LedgerEntry, dispatch_uid="records_scores")
        post_save.connect(scores.policy_saved, sender=ScoringPolicy, dispatch_uid="records_policy")
        from lms.organisations.signals import roster_changed

        roster_changed.connect(scores.roster_changed, dispatch_uid="records_scores_roster")

        register_appointment_gate(services.appointment_gate)

        register_nav_item(
            NavItem(
                key="my_compliance_record",
                label=_("My compliance record"),
                url_name="records:my_record",
                order=15,
                visible=is_enterprise_member,
            )
        )
        register_nav_item(
            NavItem(
                key="compliance_appraisal",
                label=_("Compliance appraisal"),
                url_name="records:appraisal",
                order=92,
                visible=lambda user: access_for(user).is_admin,
            )
        )
        register_group_panel(
            GroupPanel(
                key="appraisal",
                title=_("Compliance appraisal"),
                template="records/includes/group_panel.html",
                context=views.group_panel_context,
                order=20,
            )
        )
