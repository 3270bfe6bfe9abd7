"""Admin wiring for content: the curriculum snippet, and page permissions per organisation."""

from django.http import Http404, HttpResponseNotFound
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Page
from wagtail.permissions import policy_registry
from wagtail.snippets.bulk_actions.delete import DeleteBulkAction
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views import snippets as snippet_views

from lms.admin_scoping import ReadableColumnsMixin, ReadableInspectMixin
from lms.params import whole_number

from . import admin_views, selectors
from .bulk_actions import SCOPED_BULK_ACTIONS
from .media_permissions import may_download_document
from .models import Curriculum


class VisibleCurriculumMixin:
    """Another organisation's curriculum does not exist for you (404), in every view that names
    one by its id: usage, history, inspect, copy, edit, delete."""

    def get_object(self, *args, **kwargs):
        obj = super().get_object(*args, **kwargs)
        visible = selectors.curricula_visible_to(user=self.request.user)
        if not visible.filter(pk=obj.pk).exists():
            raise Http404
        return obj


class CurriculumIndexView(ReadableColumnsMixin, snippet_views.IndexView):
    pass


class CurriculumEditView(VisibleCurriculumMixin, snippet_views.EditView):
    pass


class CurriculumDeleteView(VisibleCurriculumMixin, snippet_views.DeleteView):
    pass


class CurriculumCopyView(VisibleCurriculumMixin, snippet_views.CopyView):
    pass


class CurriculumUsageView(VisibleCurriculumMixin, snippet_views.UsageView):
    pass


class CurriculumHistoryView(VisibleCurriculumMixin, snippet_views.HistoryView):
    pass


class CurriculumInspectView(
    ReadableInspectMixin, VisibleCurriculumMixin, snippet_views.InspectView
):
    pass


class VisibleCurriculaChooseMixin:
    def get_object_list(self):
        return selectors.curricula_visible_to(user=self.request.user)


class CurriculumChooseView(VisibleCurriculaChooseMixin, snippet_chooser.ChooseView):
    pass


class CurriculumChooseResultsView(VisibleCurriculaChooseMixin, snippet_chooser.ChooseResultsView):
    pass


class CurriculumChosenView(snippet_chooser.SnippetChosenView):
    def get_object(self, pk):
        return selectors.curricula_visible_to(user=self.request.user).get(pk=pk)


class CurriculumChosenMultipleView(snippet_chooser.SnippetChosenMultipleView):
    def get_objects(self, pks):
        return selectors.curricula_visible_to(user=self.request.user).filter(pk__in=pks)


class NoCurriculumCreationInChooser(snippet_chooser.SnippetCreateView):
    """A curriculum is made on its own form (audience, courses); the chooser has none."""

    def dispatch(self, request, *args, **kwargs):
        raise Http404


class CurriculumChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = CurriculumChooseView
    choose_results_view_class = CurriculumChooseResultsView
    chosen_view_class = CurriculumChosenView
    chosen_multiple_view_class = CurriculumChosenMultipleView
    create_view_class = NoCurriculumCreationInChooser


class CurriculumViewSet(snippet_views.SnippetViewSet):
    model = Curriculum
    index_view_class = CurriculumIndexView
    edit_view_class = CurriculumEditView
    delete_view_class = CurriculumDeleteView
    copy_view_class = CurriculumCopyView
    usage_view_class = CurriculumUsageView
    history_view_class = CurriculumHistoryView
    inspect_view_class = CurriculumInspectView
    chooser_viewset_class = CurriculumChooserViewSet
    icon = "list-ol"
    menu_label = _("Curricula")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "owner_organisation", "due_days", "refresh", "is_active"]
    list_filter = ["refresh", "is_active"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return selectors.curricula_visible_to(user=request.user)


register_snippet(CurriculumViewSet)


class CurriculumDeleteBulkAction(DeleteBulkAction):
    """Bulk delete offers only the curricula you may see: another organisation's is not named
    among those you may not delete, it does not exist (404 when nothing else is asked for)."""

    models = [Curriculum]

    def get_actionable_objects(self):
        user = self.request.user
        visible = selectors.curricula_visible_to(user=user)
        ids = self.request.GET.getlist("id")
        if "all" not in ids:
            visible = visible.filter(pk__in=[n for n in map(whole_number, ids) if n is not None])
        objects = list(visible)
        if not objects:
            raise Http404
        editable = set(
            selectors.curricula_editable_by(user=user)
            .filter(pk__in=[o.pk for o in objects])
            .values_list("pk", flat=True)
        )
        allowed = [o for o in objects if o.pk in editable and self.check_perm(o)]
        refused = [o for o in objects if o not in allowed]
        return allowed, {"items_with_no_access": refused}


# After Wagtail's own snippet bulk delete, so that this one is the curricula's.
hooks.register("register_bulk_action", CurriculumDeleteBulkAction, order=100)


@hooks.register("before_edit_snippet")
@hooks.register("before_delete_snippet")
def keep_curricula_to_their_owners(request, instances):
    objects = instances if isinstance(instances, list) else [instances]
    curricula = [o for o in objects if isinstance(o, Curriculum)]
    if not curricula:
        return None
    editable = selectors.curricula_editable_by(user=request.user)
    if editable.filter(pk__in=[c.pk for c in curricula]).count() != len(curricula):
        raise Http404
    return None


@hooks.register("before_serve_document")
def serve_documents_only_within_their_organisation(document, request):
    # A bare 404: the site's 404 page would repeat the URL, and with it the file's name.
    if not may_download_document(request.user, document):
        return HttpResponseNotFound()


@hooks.register("construct_page_chooser_queryset")
def hide_other_organisations_courses_in_choosers(pages, request):
    return selectors.admin_pages_visible_to(user=request.user, pages=pages)


class VisibleOnlyExplorerView(ExplorableIndexView):
    """The explorer of a page one may not see (another organisation's private course) is 404,
    not its title over an empty listing."""

    def get(self, request, parent_page_id=None):
        if parent_page_id:
            pages = Page.objects.filter(pk=parent_page_id)
            if (
                pages.exists()
                and not selectors.admin_pages_visible_to(user=request.user, pages=pages).exists()
            ):
                raise Http404
        return super().get(request, parent_page_id)


class ScopedBasePageViewSet(PageViewSet):
    # The viewset of every page type (none has its own): the page views that do not ask the page
    # permission tester alone also ask the page rule (admin_views.py).
    index_view_class = VisibleOnlyExplorerView
    move_confirm_view_class = admin_views.ScopedMoveConfirmView
    workflow_action_view_class = admin_views.ScopedWorkflowActionView
    collect_workflow_action_data_view_class = admin_views.ScopedCollectWorkflowActionDataView
    confirm_workflow_cancellation_view_class = admin_views.ScopedConfirmWorkflowCancellationView
    workflow_preview_view_class = admin_views.ScopedPreviewRevisionForTaskView


@hooks.register("register_admin_viewset")
def register_scoped_page_explorer():
    return ScopedBasePageViewSet("content_scoped_pages")


# After Wagtail's own (order 0): for each model and action, the last registered is the one used.
for _bulk_action in SCOPED_BULK_ACTIONS:
    hooks.register("register_bulk_action", _bulk_action, order=100)


@hooks.register("construct_homepage_panels")
def keep_review_panels_to_your_pages(request, panels):
    admin_views.scope_homepage_panels(panels)


class MediaVisibleToYouMixin:
    """The admin's image and document API lists what the user may choose, as the choosers do
    (Wagtail's lists every image and document)."""

    def get_queryset(self):
        policy = policy_registry.get_by_type(self.model)
        visible = policy.instances_user_has_any_permission_for(self.request.user, ["choose"])
        return super().get_queryset().filter(pk__in=visible.values("pk"))


class ScopedImagesAdminAPIViewSet(MediaVisibleToYouMixin, ImagesAdminAPIViewSet):
    pass


class ScopedDocumentsAdminAPIViewSet(MediaVisibleToYouMixin, DocumentsAdminAPIViewSet):
    pass


@hooks.register("construct_admin_api", order=100)  # after wagtail.images' and documents'
def scope_the_admin_media_api(router):
    router.register_endpoint("images", ScopedImagesAdminAPIViewSet)
    router.register_endpoint("documents", ScopedDocumentsAdminAPIViewSet)
