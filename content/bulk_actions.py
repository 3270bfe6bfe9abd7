"""Wagtail's bulk actions on pages, images and documents, kept to what the person may see.

Wagtail's bulk actions already ask each object's permission before acting (`check_perm`: the
page permission tester, the collection policy), but they name every object they were given,
the ones the person may not act on included ("you do not have permission to … 云集内部课程").
These replace them (registered after Wagtail's through the `register_bulk_action` hook, so each
is the one the bulk-action view finds) and take only the objects the same policy lets the person
see: pages in the explorer (`explorable_instances` of the page permission policy), images and
documents in their listings and choosers (the collection policy). Another organisation's are
left out as if they were not asked for; when nothing is left, 404.
"""

from django.db.models import QuerySet
from django.http import Http404
from wagtail.admin.views.pages import bulk_actions as page_actions
from wagtail.documents.views import bulk_actions as document_actions
from wagtail.images.views import bulk_actions as image_actions
from wagtail.models import Page
from wagtail.permissions import policy_registry

from lms.params import whole_number

MEDIA_SEEN_WITH = ["change", "delete", "choose"]  # the listings' and the choosers' actions


def _ids(object_ids):
    """The ids asked for: the request's strings read as whole numbers (others ignored), or
    Wagtail's own listing of "all" as it is."""
    if isinstance(object_ids, QuerySet):
        return object_ids
    ids = []
    for value in object_ids:
        if isinstance(value, str):
            value = whole_number(value)
        elif isinstance(value, Page):
            value = value.pk
        if value is not None:
            ids.append(value)
    return ids


class VisibleObjectsOnly:
    """Only the objects the person may see are taken, named or acted on."""

    def visible_objects(self) -> QuerySet:
        raise NotImplementedError

    # Wagtail's is a class method with no request; this one needs the person.
    def get_queryset(self, model, object_ids):
        objects = list(self.visible_objects().filter(pk__in=_ids(object_ids)))
        if not objects:
            raise Http404
        return objects


class VisiblePagesOnly(VisibleObjectsOnly):
    def visible_objects(self):
        policy = policy_registry.get_by_type(Page)
        explorable = policy.explorable_instances(self.request.user)
        return self.model._default_manager.filter(pk__in=explorable.values("pk"))


class VisibleMediaOnly(VisibleObjectsOnly):
    def visible_objects(self):
        return self.permission_policy.instances_user_has_any_permission_for(
            self.request.user, MEDIA_SEEN_WITH
        )


class PageDeleteBulkAction(VisiblePagesOnly, page_actions.DeleteBulkAction):
    pass


class PageMoveBulkAction(VisiblePagesOnly, page_actions.MoveBulkAction):
    """A destination one may not see is no choice at all: Wagtail's refusal ("cannot be moved to
    …") and its chooser, shown again with the posted id, would name it."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        data = kwargs.get("data")
        if data is not None:
            chosen = whole_number(data.get("chooser"))
            if chosen is None or not self.visible_objects().filter(pk=chosen).exists():
                kwargs["data"] = data.copy()
                kwargs["data"]["chooser"] = ""
        return kwargs

    def get_form(self, form_class=None):
        form = super().get_form(form_class)
        form.fields["chooser"].queryset = self.visible_objects()
        return form


class PagePublishBulkAction(VisiblePagesOnly, page_actions.PublishBulkAction):
    pass


class PageUnpublishBulkAction(VisiblePagesOnly, page_actions.UnpublishBulkAction):
    pass


class ImageAddTagsBulkAction(VisibleMediaOnly, image_actions.AddTagsBulkAction):
    pass


class ImageAddToCollectionBulkAction(VisibleMediaOnly, image_actions.AddToCollectionBulkAction):
    pass


class ImageDeleteBulkAction(VisibleMediaOnly, image_actions.DeleteBulkAction):
    pass


class DocumentAddTagsBulkAction(VisibleMediaOnly, document_actions.AddTagsBulkAction):
    pass


class DocumentAddToCollectionBulkAction(
    VisibleMediaOnly, document_actions.AddToCollectionBulkAction
):
    pass


class DocumentDeleteBulkAction(VisibleMediaOnly, document_actions.DeleteBulkAction):
    pass


SCOPED_BULK_ACTIONS = [
    PageDeleteBulkAction,
    PageMoveBulkAction,
    PagePublishBulkAction,
    PageUnpublishBulkAction,
    ImageAddTagsBulkAction,
    ImageAddToCollectionBulkAction,
    ImageDeleteBulkAction,
    DocumentAddTagsBulkAction,
    DocumentAddToCollectionBulkAction,
    DocumentDeleteBulkAction,
]
