"""Admin wiring for content: the curriculum snippet, and page permissions per organisation."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.documents.api.admin.views import DocumentsAdminAPIViewSet
from wagtail.images.api.admin.views import ImagesAdminAPIViewSet
from wagtail.models import Page
from wagtail.permissions import policy_registry
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from . import selectors
from .models import Curriculum


class CurriculumViewSet(SnippetViewSet):
    model = Curriculum
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
    # Wagtail routes /admin/pages/<id>/ of every page type to the base Page viewset's view.
    index_view_class = VisibleOnlyExplorerView


@hooks.register("register_admin_viewset")
def register_scoped_page_explorer():
    return ScopedBasePageViewSet("content_scoped_pages")


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
