"""What each audit action is called, for people (the log stores the code, `certificate.revoke`;
the admin shows 撤销证书). Pure data: every app's actions are named here, in the lowest app, so
the log can name them without importing any app. tests/test_pages_say_it_in_words.py fails on an
action code written in the code base that has no name here."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

ACTIONS = {
    "annual_exam_template.create": _("Annual exam template created"),
    "annual_exam_template.update": _("Annual exam template changed"),
    "appointment.approval_refused": _("Appointment approval refused"),
    "appointment.approve": _("Appointment approved"),
    "appointment.refuse": _("Appointment refused"),
    "appointment.request": _("Appointment requested"),
    "attempt.auto_submit": _("Exam attempt submitted when time ran out"),
    "attempt.grade_item": _("Answer graded"),
    "attempt.regrade": _("Exam attempt regraded"),
    "attempt.submit": _("Exam attempt submitted"),
    "auth.locked_out": _("Locked out after failed sign-ins"),
    "auth.sign_in": _("Signed in"),
    "auth.sign_in_failed": _("Sign-in failed"),
    "auth.sign_out": _("Signed out"),
    "blueprint.create": _("Exam blueprint created"),
    "blueprint.update": _("Exam blueprint changed"),
    "certificate.expire": _("Certificate expired"),
    "certificate.expiry_reminder": _("Certificate expiry reminder sent"),
    "certificate.issue": _("Certificate issued"),
    "certificate.rerender": _("Certificate re-rendered"),
    "certificate.revoke": _("Certificate revoked"),
    "certificate.supersede": _("Certificate superseded"),
    "certificate_rule.create": _("Certificate rule created"),
    "certificate_rule.update": _("Certificate rule changed"),
    "certificate_template.create": _("Certificate template created"),
    "certificate_template.update": _("Certificate template changed"),
    "curriculum.assign": _("Curriculum assigned"),
    "department.create": _("Department created"),
    "department.update": _("Department changed"),
    "enrolment.assign_remedial": _("Remedial training assigned"),
    "enrolment.assign": _("Course assigned"),
    "enrolment.complete": _("Course completed"),
    "enrolment.waive": _("Course waived"),
    "exam.assign": _("Exam assigned"),
    "exam.create": _("Exam created"),
    "exam.no_pre_appointment_exam": _("No pre-appointment exam to assign"),
    "exam.override": _("Exam allowance granted"),
    "exam.update": _("Exam changed"),
    "jurisdiction.create": _("Jurisdiction created"),
    "jurisdiction.update": _("Jurisdiction changed"),
    "organisation.create": _("Organisation created"),
    "organisation.update": _("Organisation changed"),
    "position.create": _("Position created"),
    "position.update": _("Position changed"),
    "question.correct_key": _("Question's answer key corrected"),
    "question.create": _("Question created"),
    "question.new_version": _("New version of a question"),
    "question.retire": _("Question retired"),
    "question.update": _("Question changed"),
    "question_bank.create": _("Question bank created"),
    "question_bank.import": _("Questions imported"),
    "question_bank.update": _("Question bank changed"),
    "records.appraisal_amend": _("Closed appraisal amended"),
    "records.commendation": _("Commendation recorded"),
    "records.entry_reverse": _("Record entry reversed"),
    "records.penalty": _("Penalty recorded"),
    "records.policy_save": _("Scoring policy saved"),
    "records.violation_confirm": _("Violation confirmed"),
    "records.violation_consequences": _("Consequences of a violation applied"),
    "records.violation_dismiss": _("Violation dismissed"),
    "records.violation_report": _("Violation reported"),
    "records.violation_statement": _("Statement on a violation"),
    "records.year_close": _("Appraisal year closed"),
    "roster.import": _("Roster imported"),
    "spotcheck.campaign_create": _("Spot-check campaign created"),
    "spotcheck.campaign_update": _("Spot-check campaign changed"),
    "spotcheck.change_refused": _("Change to a spot-check campaign refused"),
    "spotcheck.close": _("Spot-check campaign closed"),
    "spotcheck.commit": _("Spot-check seed committed"),
    "spotcheck.commit_refused": _("Committing a spot-check seed refused"),
    "spotcheck.draw": _("Spot-check draw made"),
    "spotcheck.draw_refused": _("Spot-check draw refused"),
    "spotcheck.rectification_accept": _("Rectification report accepted"),
    "spotcheck.rectification_issue": _("Rectification demanded"),
    "spotcheck.rectification_overdue": _("Rectification overdue"),
    "spotcheck.rectification_return": _("Rectification report returned"),
    "spotcheck.rectification_submit": _("Rectification report submitted"),
    "spotcheck.recusal_add": _("Inspector recused"),
    "spotcheck.risk_grade": _("Risk grade changed after a spot check"),
    "spotcheck.start": _("Spot-check exams started"),
    "staff.create": _("Staff member added"),
    "staff.update": _("Staff member changed"),
    "training_plan.create": _("Training plan created"),
    "training_plan.update": _("Training plan changed"),
}

# The keys of an entry's details (`data`), where the object's model has no field of that name.
DETAILS = {
    "after": pgettext_lazy("audit detail", "after"),
    "attachments": pgettext_lazy("audit detail", "attachments"),
    "before": pgettext_lazy("audit detail", "before"),
    "by": pgettext_lazy("audit detail", "by"),
    "campaign": pgettext_lazy("audit detail", "campaign"),
    "changes": pgettext_lazy("audit detail", "changes"),
    "comment": pgettext_lazy("audit detail", "comment"),
    "count": pgettext_lazy("audit detail", "count"),
    "course": pgettext_lazy("audit detail", "course"),
    "cycle": pgettext_lazy("audit detail", "cycle"),
    "deadline": pgettext_lazy("audit detail", "deadline"),
    "due_on": pgettext_lazy("audit detail", "due on"),
    "enrolments": pgettext_lazy("audit detail", "enrolments"),
    "enterprise": pgettext_lazy("audit detail", "enterprise"),
    "enterprises": pgettext_lazy("audit detail", "enterprises"),
    "entry": pgettext_lazy("audit detail", "entry"),
    "item": pgettext_lazy("audit detail", "item"),
    "kind": pgettext_lazy("audit detail", "kind"),
    "new_key": pgettext_lazy("audit detail", "new answer key"),
    "old_key": pgettext_lazy("audit detail", "old answer key"),
    "people": pgettext_lazy("audit detail", "people"),
    "points": pgettext_lazy("audit detail", "points"),
    "previous_version": pgettext_lazy("audit detail", "previous version"),
    "reason": pgettext_lazy("audit detail", "reason"),
    "reasons": pgettext_lazy("audit detail", "reasons"),
    "report": pgettext_lazy("audit detail", "report"),
    "reversal": pgettext_lazy("audit detail", "reversal"),
    "score": pgettext_lazy("audit detail", "score"),
    "seed": pgettext_lazy("audit detail", "seed"),
    "serial": pgettext_lazy("audit detail", "serial number"),
    "source": pgettext_lazy("audit detail", "source"),
    "status": pgettext_lazy("audit detail", "status"),
    "user": pgettext_lazy("audit detail", "user"),
    "user_ids": pgettext_lazy("audit detail", "people"),
    "version": pgettext_lazy("audit detail", "version"),
    "year": pgettext_lazy("audit detail", "year"),
}

# Who acted, when no person did (audit_record's actor_label defaults).
ACTORS = {
    "system": pgettext_lazy("audit actor", "System"),
    "anonymous": pgettext_lazy("audit actor", "Anonymous"),
}


def action_label(code: str) -> str:
    """The action's name; an unknown code (an old entry of a renamed action) as it is."""
    return str(ACTIONS.get(code, code))


def detail_label(key: str) -> str:
    return str(DETAILS.get(key, key.replace("_", " ")))


def actor_label(label: str) -> str:
    return str(ACTORS.get(label, label))
