"""Wagtail's workflow views, the move confirmation, the page chooser and the dashboard's review
panels, kept to the page rule (page_permissions.py).

Wagtail lets a workflow task's reviewers (a group approval task's groups) approve, preview and
open a page in review whatever their page permissions. Our groups are roles shared by every
organisation, so each of these asks `may_act_on` first: a compliance head reviews their own
organisation's pages, never another's. The page viewset (wagtail_hooks.py) and lms/urls.py put
these views in front of Wagtail's; the dashboard's panels are swapped by the
`construct_homepage_panels` hook.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from wagtail.admin.views.chooser import BrowseView
from wagtail.admin.views.home import (
    UserObjectsInWorkflowModerationPanel,
    WorkflowObjectsToModeratePanel,
)
from wagtail.admin.views.pages.move import MoveConfirmView
from wagtail.admin.views.pages.workflow import (
    CollectWorkflowActionDataView,
    ConfirmWorkflowCancellationView,
    PreviewRevisionForTaskView,
    WorkflowActionView,
)
from wagtail.models import Page

from . import selectors
from .page_permissions import has_every_page_right, may_act_on


def may_review(user, obj) -> bool:
    """Whether a workflow's object may be reviewed (or shown as in review) to the user: a page
    where the page rule lets them act; anything else (snippets) only for platform
    administrators, as other logs are (admin_reports.py)."""
    if isinstance(obj, Page):
        return may_act_on(user, obj)
    return has_every_page_right(user)


# --- workflow actions on a page ----------------------------------------------------------------
class PageRuleFirstMixin:
    """Refuse before Wagtail looks at the workflow (its messages name the page)."""

    def dispatch(self, request, *args, **kwargs):
        if not may_act_on(request.user, self.object):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedWorkflowActionView(PageRuleFirstMixin, WorkflowActionView):
    pass


class ScopedCollectWorkflowActionDataView(PageRuleFirstMixin, CollectWorkflowActionDataView):
    pass


class ScopedConfirmWorkflowCancellationView(PageRuleFirstMixin, ConfirmWorkflowCancellationView):
    pass


class ScopedPreviewRevisionForTaskView(PageRuleFirstMixin, PreviewRevisionForTaskView):
    pass


class ScopedMoveConfirmView(MoveConfirmView):
    """Wagtail's confirmation shows the page and its destination to anyone, and checks only when
    the move is made: here, only a move the person may make is confirmed."""

    def dispatch(self, request, page_to_move_id, destination_id, *args, **kwargs):
        page = get_object_or_404(Page, id=page_to_move_id)
        destination = get_object_or_404(Page, id=destination_id)
        if not page.permissions_for_user(request.user).can_move_to(destination):
            raise PermissionDenied
        return super().dispatch(request, page_to_move_id, destination_id, *args, **kwargs)


# --- the page chooser --------------------------------------------------------------------------
class ScopedPageChooserBrowseView(BrowseView):
    """The chooser does not open inside a page one may not see (another organisation's private
    course): its children are already filtered (construct_page_chooser_queryset), this is the
    page itself."""

    def get(self, request, parent_page_id=None):
        if parent_page_id is not None:
            pages = Page.objects.filter(pk=parent_page_id)
            if not selectors.admin_pages_visible_to(user=request.user, pages=pages).exists():
                raise Http404
        return super().get(request, parent_page_id)


# --- the dashboard -----------------------------------------------------------------------------
class ScopedWorkflowObjectsToModeratePanel(WorkflowObjectsToModeratePanel):
    """待审核: the pages awaiting the person's review that the page rule lets them review."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        context["states"] = [s for s in context["states"] if may_review(user, s["obj"])]
        return context


class ScopedUserObjectsInWorkflowModerationPanel(UserObjectsInWorkflowModerationPanel):
    """The person's own pages in review, where they still may act on them."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        context["workflow_states"] = [
            state for state in context["workflow_states"] if may_review(user, state.content_object)
        ]
        return context


SCOPED_PANELS = {
    WorkflowObjectsToModeratePanel: ScopedWorkflowObjectsToModeratePanel,
    UserObjectsInWorkflowModerationPanel: ScopedUserObjectsInWorkflowModerationPanel,
}


def scope_homepage_panels(panels) -> None:
    """Swap Wagtail's review panels for the scoped ones, in place (construct_homepage_panels)."""
    for index, panel in enumerate(panels):
        scoped = SCOPED_PANELS.get(type(panel))
        if scoped is not None:
            panels[index] = scoped()
