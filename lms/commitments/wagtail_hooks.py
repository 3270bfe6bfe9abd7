from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.viewsets.base import ViewSetGroup

from lms.admin_scoping import ScopedForm, ScopedIndexView, ScopedModelViewSet
from lms.organisations.selectors import organisations_visible_to

from . import selectors, services
from .models import CommitmentCampaign, CommitmentTemplate

TEMPLATE_FIELDS = ["organisation", "title", "body"]
CAMPAIGN_FIELDS = [
    "template",
    "title",
    "audience",
    "new_hire_days",
    "include_subsidiaries",
    "due_on",
]


def _head_organisations(user):
    from lms.organisations.access import access_for

    access = access_for(user)
    qs = organisations_visible_to(user)
    return qs if access.is_platform_admin else qs.filter(pk__in=access.head_org_ids)


class CommitmentTemplateForm(ScopedForm):
    scoped_fields = {"organisation": _head_organisations}

    class Meta:
        model = CommitmentTemplate
        fields = TEMPLATE_FIELDS


class CommitmentTemplateViewSet(ScopedModelViewSet):
    model = CommitmentTemplate
    icon = "doc-full"
    menu_label = _("Commitment letter templates")
    list_display = ["title", "organisation", "updated_at"]
    search_fields = ["title"]
    form_fields = TEMPLATE_FIELDS

    def get_edit_handler(self):
        return ObjectList(
            [FieldPanel(f) for f in self.form_fields], base_form_class=CommitmentTemplateForm
        ).bind_to_model(self.model)

    def scope(self, user):
        return selectors.templates_visible_to(user)

    def manage_scope(self, user):
        return selectors.templates_manageable_by(user)

    def save(self, request, instance, is_new):
        return services.commitment_template_save(template=instance, actor=request.user)


class CommitmentCampaignForm(ScopedForm):
    scoped_fields = {"template": selectors.templates_manageable_by}

    class Meta:
        model = CommitmentCampaign
        fields = CAMPAIGN_FIELDS

    def clean(self):
        cleaned = super().clean()
        template = cleaned.get("template")
        if template is not None and self.for_user is not None:
            probe = CommitmentCampaign(
                template=template, include_subsidiaries=cleaned.get("include_subsidiaries", False)
            )
            refusal = services.group_campaign_refusal(campaign=probe, actor=self.for_user)
            if refusal:
                self.add_error("include_subsidiaries", refusal)
        return cleaned


class CampaignIndexView(ScopedIndexView):
    def get_base_queryset(self):
        return selectors.campaigns_with_counts(
            super().get_base_queryset(), org_ids=selectors.signature_org_ids(self.request.user)
        )


class CommitmentCampaignViewSet(ScopedModelViewSet):
    model = CommitmentCampaign
    icon = "tick-inverse"
    menu_label = _("Signing campaigns")
    index_view_class = CampaignIndexView
    list_display = [
        "title",
        "template",
        "audience",
        "due_on",
        Column("n_signed", label=pgettext_lazy("commitment", "Signed")),
        Column("n_pending", label=pgettext_lazy("commitment", "To sign")),
        Column("n_overdue", label=pgettext_lazy("commitment", "Overdue")),
        TitleColumn(
            "progress",
            label=_("Progress by organisation"),
            accessor=lambda campaign: _("By organisation"),
            get_url=lambda campaign: reverse("commitments:progress", args=[campaign.pk]),
        ),
    ]
    list_filter = ["audience", "include_subsidiaries"]
    search_fields = ["title"]
    form_fields = CAMPAIGN_FIELDS

    def get_edit_handler(self):
        return ObjectList(
            [FieldPanel(f) for f in self.form_fields], base_form_class=CommitmentCampaignForm
        ).bind_to_model(self.model)

    def scope(self, user):
        return selectors.campaigns_visible_to(user)

    def manage_scope(self, user):
        return selectors.campaigns_manageable_by(user)

    def save(self, request, instance, is_new):
        return services.commitment_campaign_save(campaign=instance, actor=request.user)


class CommitmentsGroup(ViewSetGroup):
    menu_label = _("Commitment letters")
    menu_icon = "doc-full"
    menu_order = 410
    items = (
        CommitmentTemplateViewSet("commitment_templates"),
        CommitmentCampaignViewSet("commitment_campaigns"),
    )


@hooks.register("register_admin_viewset")
def register_commitments():
    return CommitmentsGroup()
