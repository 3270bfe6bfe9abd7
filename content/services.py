"""Content services: who may write courses in the Wagtail admin; organisations' media collections."""

from django.contrib.auth.models import Group, Permission
from wagtail.models import GroupPagePermission

from lms.organisations import roles

# Compliance administrators and heads write their organisation's courses under a course index
# (the before_* hooks in wagtail_hooks.py keep each to their own organisation's private courses).
COURSE_AUTHOR_GROUPS = (roles.COMPLIANCE_ADMIN, roles.COMPLIANCE_HEAD)
COURSE_AUTHOR_PERMISSIONS = ("add_page", "change_page", "publish_page")


def course_index_grant_authoring(*, course_index) -> int:
    """Let compliance administrators and heads write courses under this index (idempotent).

    Returns how many permissions were newly granted.
    """
    permissions = {
        p.codename: p
        for p in Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=COURSE_AUTHOR_PERMISSIONS
        )
    }
    granted = 0
    for group in Group.objects.filter(name__in=COURSE_AUTHOR_GROUPS):
        for codename in COURSE_AUTHOR_PERMISSIONS:
            _entry, created = GroupPagePermission.objects.get_or_create(
                group=group, page=course_index, permission=permissions[codename]
            )
            granted += created
    return granted


def organisation_collection(*, organisation):
    """The organisation's own collection of images and documents (made on first use)."""
    from django.db import transaction
    from wagtail.models import Collection

    from .models import OrganisationCollection

    link = OrganisationCollection.objects.select_related("collection").filter(
        organisation=organisation
    )
    found = link.first()
    if found is not None:
        return found.collection
    with transaction.atomic():
        root = Collection.get_first_root_node() or Collection.add_root(name="Root")
        collection = root.add_child(name=organisation.name)
        OrganisationCollection.objects.create(organisation=organisation, collection=collection)
        _grant_media_authoring(collection)
    return collection


MEDIA_PERMISSIONS = {
    "wagtailimages": ("add_image", "change_image", "choose_image"),
    "wagtaildocs": ("add_document", "change_document", "choose_document"),
}


def _grant_media_authoring(collection) -> None:
    """Compliance administrators and heads keep images and documents in the collection: the
    media policy (media_permissions.py) keeps each to their own organisation's."""
    from django.db.models import Q
    from wagtail.models import GroupCollectionPermission

    wanted = Q(pk__in=[])
    for app_label, codenames in MEDIA_PERMISSIONS.items():
        wanted |= Q(content_type__app_label=app_label, codename__in=codenames)
    permissions = list(Permission.objects.filter(wanted))
    for group in Group.objects.filter(name__in=COURSE_AUTHOR_GROUPS):
        for permission in permissions:
            GroupCollectionPermission.objects.get_or_create(
                group=group, collection=collection, permission=permission
            )
