"""The platform's roles: Django groups made by a migration, their permissions kept in sync here.

A role says what kind of thing a person may do; *where* they may do it always comes from their
staff memberships (see access.py). Group membership is derived from positions by
`services.staff_sync_roles`, except the platform administrator, which is granted by hand.
"""

from django.utils.translation import gettext_lazy as _

LEARNER = "学员"
COMPLIANCE_ADMIN = "合规管理员"
COMPLIANCE_HEAD = "合规负责人"
REGULATOR_OFFICER = "监管人员"
REGULATOR_INSPECTOR = "监管检查员"
PLATFORM_ADMIN = "平台管理员"

ALL_GROUPS = (
    LEARNER,
    COMPLIANCE_ADMIN,
    COMPLIANCE_HEAD,
    REGULATOR_OFFICER,
    REGULATOR_INSPECTOR,
    PLATFORM_ADMIN,
)
DERIVED_GROUPS = ALL_GROUPS[:-1]

ROLE_LABELS = {
    LEARNER: _("Learner"),
    COMPLIANCE_ADMIN: _("Compliance administrator"),
    COMPLIANCE_HEAD: _("Compliance head"),
    REGULATOR_OFFICER: _("Regulator officer"),
    REGULATOR_INSPECTOR: _("Regulator inspector"),
    PLATFORM_ADMIN: _("Platform administrator"),
}

_ROSTER = [
    "organisations.view_organisation",
    "organisations.view_staff",
    "organisations.add_staff",
    "organisations.change_staff",
    "organisations.view_department",
    "organisations.add_department",
    "organisations.change_department",
    "organisations.delete_department",
    "organisations.view_position",
    "organisations.add_position",
    "organisations.change_position",
    "organisations.delete_position",
    "organisations.view_appointment",
    "organisations.add_appointment",
    "organisations.change_appointment",
]

# Permissions per role, as "app_label.codename". Apps add their own entries here.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    LEARNER: [],
    COMPLIANCE_ADMIN: ["wagtailadmin.access_admin", *_ROSTER],
    COMPLIANCE_HEAD: ["wagtailadmin.access_admin", *_ROSTER, "audit.view_auditentry"],
    REGULATOR_OFFICER: [
        "wagtailadmin.access_admin",
        "organisations.view_organisation",
        "organisations.view_staff",
    ],
    REGULATOR_INSPECTOR: [],
    PLATFORM_ADMIN: ["*"],
}

# learning and content: administrators build curricula and training plans for their organisation
_LEARNING_ADMIN = [
    "content.view_curriculum",
    "content.add_curriculum",
    "content.change_curriculum",
    "content.delete_curriculum",
    "learning.view_enrolment",
    "learning.view_trainingplan",
    "learning.add_trainingplan",
    "learning.change_trainingplan",
    "learning.delete_trainingplan",
]
ROLE_PERMISSIONS[COMPLIANCE_ADMIN] += _LEARNING_ADMIN
ROLE_PERMISSIONS[COMPLIANCE_HEAD] += _LEARNING_ADMIN

# certificates: administrators manage templates and rules and see certificates they issued or
# their staff hold; revoking is checked in the service (the issuing organisation's head only)
_CERTIFICATES_ADMIN = [
    "certificates.view_certificate",
    "certificates.view_certificatetemplate",
    "certificates.add_certificatetemplate",
    "certificates.change_certificatetemplate",
    "certificates.view_certificaterule",
    "certificates.add_certificaterule",
    "certificates.change_certificaterule",
    "certificates.delete_certificaterule",
]
ROLE_PERMISSIONS[COMPLIANCE_ADMIN] += _CERTIFICATES_ADMIN
ROLE_PERMISSIONS[COMPLIANCE_HEAD] += _CERTIFICATES_ADMIN
ROLE_PERMISSIONS[REGULATOR_OFFICER] += _CERTIFICATES_ADMIN

# commitments: administrators follow the signing campaigns; compliance heads write the letters
# and launch the campaigns (the selectors limit both to their organisations)
_COMMITMENTS_VIEW = [
    "commitments.view_commitmenttemplate",
    "commitments.view_commitmentcampaign",
]
ROLE_PERMISSIONS[COMPLIANCE_ADMIN] += _COMMITMENTS_VIEW
ROLE_PERMISSIONS[COMPLIANCE_HEAD] += _COMMITMENTS_VIEW + [
    "commitments.add_commitmenttemplate",
    "commitments.change_commitmenttemplate",
    "commitments.add_commitmentcampaign",
    "commitments.change_commitmentcampaign",
]

# assessments: administrators keep their question banks, blueprints and exams; regulators their
# sealed banks for spot checks. Deleting a question retires it (never a real delete).
_ASSESSMENTS_ADMIN = [
    f"assessments.{action}_{model}"
    for model in (
        "questionbank",
        "question",
        "blueprint",
        "exam",
        "examcandidate",
        "annualexamtemplate",
    )
    for action in ("view", "add", "change", "delete")
    if not (action == "delete" and model in ("questionbank", "exam", "annualexamtemplate"))
] + ["assessments.view_attempt"]
ROLE_PERMISSIONS[COMPLIANCE_ADMIN] += _ASSESSMENTS_ADMIN
ROLE_PERMISSIONS[COMPLIANCE_HEAD] += _ASSESSMENTS_ADMIN
ROLE_PERMISSIONS[REGULATOR_OFFICER] += _ASSESSMENTS_ADMIN

# sign-in and tenancy: regulators may read their own jurisdiction
ROLE_PERMISSIONS[REGULATOR_OFFICER] += ["organisations.view_jurisdiction"]

# spotchecks: regulator staff run campaigns and decide rectifications (their portal checks the
# regulator scope); an enterprise's compliance head sees its draws and answers rectifications
ROLE_PERMISSIONS[REGULATOR_OFFICER] += [
    "spotchecks.view_campaign",
    "spotchecks.add_campaign",
    "spotchecks.change_campaign",
    "spotchecks.view_draw",
    "spotchecks.view_drawnenterprise",
    "spotchecks.view_rectification",
    "spotchecks.change_rectification",
    "spotchecks.view_inspectorrecusal",
    "spotchecks.add_inspectorrecusal",
]
ROLE_PERMISSIONS[COMPLIANCE_HEAD] += [
    "spotchecks.view_drawnenterprise",
    "spotchecks.view_rectification",
    "spotchecks.add_rectificationreport",
]
