import django_filters
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup

from lms.admin_scoping import ReadOnlyScopedModelViewSet, ScopedForm, ScopedModelViewSet

from . import admin_views, selectors, services
from .models import Certificate, CertificateRule, CertificateTemplate

TEMPLATE_FIELDS = [
    "issuing_organisation",
    "title",
    "wording",
    "validity_months",
    "signer_name",
    "signer_title",
    "seal",
]
RULE_FIELDS = ["template", "course", "exam_kind"]


class CertificateTemplateForm(ScopedForm):
    scoped_fields = {
        "issuing_organisation": selectors.issuing_organisations_for,
        "seal": selectors.seal_choices_for,
    }

    class Meta:
        model = CertificateTemplate
        fields = TEMPLATE_FIELDS


class CertificateTemplateViewSet(ScopedModelViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    list_display = ["title", "issuing_organisation", "validity_months", "signer_name"]
    search_fields = ["title"]
    form_fields = TEMPLATE_FIELDS

    def get_edit_handler(self):
        return ObjectList(
            [FieldPanel(f) for f in self.form_fields], base_form_class=CertificateTemplateForm
        ).bind_to_model(self.model)

    def scope(self, user):
        return selectors.templates_manageable_by(user)

    def save(self, request, instance, is_new):
        return services.certificate_template_save(template=instance, actor=request.user)


class CertificateRuleForm(ScopedForm):
    scoped_fields = {
        "template": selectors.templates_manageable_by,
        "course": selectors.rule_course_choices,
    }

    class Meta:
        model = CertificateRule
        fields = RULE_FIELDS


class CertificateRuleViewSet(ScopedModelViewSet):
    model = CertificateRule
    icon = "tick-inverse"
    menu_label = _("Certificate rules")
    list_display = ["__str__", "template", "course", "exam_kind"]
    form_fields = RULE_FIELDS

    def get_edit_handler(self):
        return ObjectList(
            [FieldPanel(f) for f in self.form_fields], base_form_class=CertificateRuleForm
        ).bind_to_model(self.model)

    def scope(self, user):
        return selectors.rules_manageable_by(user)

    def save(self, request, instance, is_new):
        return services.certificate_rule_save(rule=instance, actor=request.user)


class RevokeColumn(Column):
    def get_value(self, instance):
        if instance.status == Certificate.Status.REVOKED:
            return ""
        return format_html(
            '<a class="button button-small button-secondary" href="{}">{}</a>',
            reverse("certificates_admin:revoke", args=[instance.pk]),
            _("Revoke"),
        )


def _templates_in_the_list(request):
    if request is None:
        return CertificateTemplate.objects.none()
    return selectors.templates_of_certificates_manageable_by(request.user)


class CertificateFilterSet(WagtailFilterSet):
    # Offer only the templates of the certificates the reader may list.
    template = django_filters.ModelChoiceFilter(
        label=_("template"), queryset=_templates_in_the_list
    )

    class Meta:
        model = Certificate
        fields = ["status", "kind", "template"]


class CertificateViewSet(ReadOnlyScopedModelViewSet):
    model = Certificate
    icon = "doc-full-inverse"
    menu_label = _("Issued certificates")
    list_display = [
        "serial",
        "holder_name",
        "title",
        "kind",
        "organisation",
        "issued_on",
        "expires_on",
        "status",
        RevokeColumn("revoke", label=_("Revoke")),
    ]
    filterset_class = CertificateFilterSet
    search_fields = ["serial", "holder_name", "title"]

    def scope(self, user):
        return selectors.certificates_manageable_by(user)

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("revoke/<int:pk>/", admin_views.revoke, name="revoke"),
        ]


class RerenderViewSet(ViewSet):
    icon = "repeat"
    menu_label = _("Re-render PDFs")

    def get_urlpatterns(self):
        return [
            path("", admin_views.rerender, name="index"),
            path("<int:job_id>/progress/", admin_views.rerender_progress, name="progress"),
        ]


class CertificatesGroup(ViewSetGroup):
    menu_label = _("Certificates")
    menu_icon = "doc-full-inverse"
    menu_order = 400
    items = (
        CertificateViewSet("certificates_admin"),
        CertificateTemplateViewSet("certificate_templates"),
        CertificateRuleViewSet("certificate_rules"),
        RerenderViewSet("certificates_rerender"),
    )


@hooks.register("register_admin_viewset")
def register_certificates():
    return CertificatesGroup()
