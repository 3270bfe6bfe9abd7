"""Wagtail's site-wide reports, kept to the pages the reader may see.

Most of Wagtail's reports already ask the page permission policy (page_permissions.py): locked
pages, aging pages. Three do not: the site history offers every page log's author in its user
filter and shows every other log (snippets, models) to anyone with some permission on their
type; the page-types report counts and names the latest page of each type across the whole
site; the workflow report offers everyone who ever asked for a review in its "requested by"
filter, and both workflow reports show snippets' workflows to anyone who may edit the snippet
type. These read through the same policy here; lms/urls.py puts them in front of Wagtail's.
"""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from wagtail.admin.views.reports.audit_logging import LogEntriesView, SiteHistoryReportFilterSet
from wagtail.admin.views.reports.page_types_usage import PageTypesUsageReportView
from wagtail.admin.views.reports.workflows import (
    WorkflowReportFilterSet,
    WorkflowTasksView,
    WorkflowView,
    get_editable_content_type_ids,
    get_editable_page_ids_query,
)
from wagtail.log_actions import registry as log_action_registry
from wagtail.models import Page, PageLogEntry, WorkflowState, get_default_page_content_type
from wagtail.permissions import policy_registry

from .page_permissions import has_every_page_right


def log_models_for(user) -> list:
    """Page logs for everyone (each entry's page goes through the page policy); other logs only
    for platform administrators: an organisation's own changes are in its audit log."""
    if has_every_page_right(user):
        return list(log_action_registry.get_log_entry_models())
    return [PageLogEntry]


def _visible_log_users(user):
    from django.contrib.auth import get_user_model

    ids = set()
    for log_model in log_models_for(user):
        ids.update(log_model.objects.viewable_by_user(user).get_user_ids())
    User = get_user_model()
    return User.objects.filter(pk__in=ids).order_by(User.USERNAME_FIELD)


class ScopedSiteHistoryFilterSet(SiteHistoryReportFilterSet):
    def get_users_queryset(self):
        return _visible_log_users(self.request.user)

    def get_user_choices(self):
        return _visible_log_users(self.request.user)


class ScopedLogEntriesView(LogEntriesView):
    filterset_class = ScopedSiteHistoryFilterSet

    def get_filtered_queryset(self):
        queryset = None
        self.log_models = log_models_for(self.request.user)
        for index, log_model in enumerate(self.log_models):
            sub_queryset = (
                log_model.objects.viewable_by_user(self.request.user)
                .values("pk", "timestamp")
                .annotate(log_model_index=Value(index, output_field=IntegerField()))
            )
            sub_queryset = self.filter_queryset(sub_queryset).order_by()
            queryset = sub_queryset if queryset is None else queryset.union(sub_queryset, all=True)
        return queryset.order_by("-timestamp")


class ScopedPageTypesUsageReportView(PageTypesUsageReportView):
    def get_queryset(self):
        if has_every_page_right(self.request.user):
            return super().get_queryset()
        # Count and name only the pages the reader may see (Wagtail's counts every page).
        visible_ids = (
            policy_registry.get_by_type(Page).explorable_instances(self.request.user).values("pk")
        )
        self.queryset = ContentType.objects.filter(model__in=self.page_models).exclude(
            app_label="wagtailcore"
        )
        queryset = self.filter_queryset(self.queryset)
        language_code = self.filters.form.cleaned_data.get("page_locale", None)
        site_root_path = self.filters.form.cleaned_data.get("site", None)
        page_filter = Q(pages__pk__in=visible_ids)
        latest_filter = {}
        if language_code:
            page_filter &= Q(pages__locale__language_code=language_code)
            latest_filter["locale__language_code"] = language_code
        if site_root_path:
            page_filter &= Q(pages__path__startswith=site_root_path)
            latest_filter["path__startswith"] = site_root_path
        latest = (
            Page.objects.filter(content_type=OuterRef("pk"), pk__in=visible_ids, **latest_filter)
            .order_by(F("latest_revision_created_at").desc(nulls_last=True), "title", "-pk")
            .values("pk")[:1]
        )
        return queryset.annotate(
            count=Count("pages", filter=page_filter),
            last_edited_page_id=Subquery(latest),
        ).order_by("-count", "app_label", "model")


# --- the workflow reports ----------------------------------------------------------------------
def workflow_states_visible_to(request):
    """Workflows of the pages the reader may change (the page policy, as Wagtail's report asks
    it); workflows of other objects (snippets) for platform administrators only."""
    visible = Q(
        base_content_type_id=get_default_page_content_type().id,
        object_id__in=get_editable_page_ids_query(request),
    )
    if has_every_page_right(request.user):
        visible |= Q(content_type_id__in=get_editable_content_type_ids(request))
    return WorkflowState.objects.filter(visible)


def _requesters_visible_to(request):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    requesters = workflow_states_visible_to(request).values("requested_by")
    return User.objects.filter(pk__in=requesters).order_by(User.USERNAME_FIELD)


class ScopedWorkflowReportFilterSet(WorkflowReportFilterSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.request is not None:
            self.filters["requested_by"].queryset = _requesters_visible_to(self.request)


class ScopedWorkflowView(WorkflowView):
    filterset_class = ScopedWorkflowReportFilterSet

    def get_queryset(self):
        visible = workflow_states_visible_to(self.request).values("pk")
        return super().get_queryset().filter(pk__in=visible)


class ScopedWorkflowTasksView(WorkflowTasksView):
    def get_queryset(self):
        visible = workflow_states_visible_to(self.request).values("pk")
        return super().get_queryset().filter(workflow_state__in=visible)
