"""Images and documents per organisation: Wagtail's collection permissions, narrowed.

Each organisation has its own collection (`services.organisation_collection`), where its
compliance administrators and heads hold Wagtail's add/change/choose permissions by role. Roles
are shared by every organisation, so the policy below narrows them: nobody but a platform
administrator reaches into another organisation's collection (listings, choosers, edit and
usage views, the admin's image and document API). Platform administrators hold every right in
every collection. Everything Wagtail asks of the policy goes through `_check_perm` (one
collection) or `_collections_with_perm` (all of them).
"""

from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from wagtail.models import Collection

from lms.organisations.access import access_for

_FOREIGN_CACHE = "_hegui_foreign_collection_paths"


def foreign_collection_paths(user) -> list[str]:
    """Paths of the collections of organisations the user is not a member of."""
    cached = getattr(user, _FOREIGN_CACHE, None)
    if cached is None:
        from .models import OrganisationCollection

        member = access_for(user).member_org_ids
        cached = list(
            OrganisationCollection.objects.exclude(organisation_id__in=member).values_list(
                "collection__path", flat=True
            )
        )
        setattr(user, _FOREIGN_CACHE, cached)
    return cached


@dataclass(frozen=True)
class PlatformGrant:
    """A platform administrator's permission on a collection (and all below it), held by role
    rather than through a GroupCollectionPermission row."""

    collection: Collection
    permission: Permission

    @property
    def collection_id(self):
        return self.collection.pk


def _has_every_media_right(user) -> bool:
    return bool(user.is_active and (user.is_superuser or access_for(user).is_platform_admin))


class OrganisationCollectionsMixin:
    def get_all_permissions_for_user(self, user):
        if user.is_active and not user.is_superuser and access_for(user).is_platform_admin:
            root = Collection.get_first_root_node()
            content_type = ContentType.objects.get_for_model(self.auth_model)
            return [
                PlatformGrant(collection=root, permission=permission)
                for permission in Permission.objects.filter(content_type=content_type)
            ]
        return super().get_all_permissions_for_user(user)

    def _check_perm(self, user, actions, collection=None):
        if (
            collection is not None
            and not _has_every_media_right(user)
            and any(collection.path.startswith(p) for p in foreign_collection_paths(user))
        ):
            return False
        return super()._check_perm(user, actions, collection=collection)

    def _collections_with_perm(self, user, actions):
        collections = super()._collections_with_perm(user, actions)
        if _has_every_media_right(user):
            return collections
        foreign = Q(pk__in=[])
        for path in foreign_collection_paths(user):
            foreign |= Q(path__startswith=path)
        return collections.exclude(foreign)


def organisation_policy_for(policy):
    """Wagtail's collection policy for images or documents, per organisation."""
    scoped_class = type(
        f"Organisation{type(policy).__name__}", (OrganisationCollectionsMixin, type(policy)), {}
    )
    return scoped_class(
        policy.model, auth_model=policy.auth_model, owner_field_name=policy.owner_field_name
    )


def may_download_document(user, document) -> bool:
    """A document in the root collection is public; one in an organisation's collection is served
    to that organisation's members; any other only to those with a right on its collection
    (platform administrators hold them all)."""
    if _has_every_media_right(user):
        return True
    collection = document.collection
    if collection.is_root():
        return True
    if any(collection.path.startswith(p) for p in foreign_collection_paths(user)):
        return False
    from .models import OrganisationCollection

    member = access_for(user).member_org_ids
    if OrganisationCollection.objects.filter(
        organisation_id__in=member,
        collection__path__in=[
            collection.path[:n]
            for n in range(Collection.steplen, len(collection.path) + 1, Collection.steplen)
        ],
    ).exists():
        return True
    from wagtail.documents.permissions import permission_policy

    return permission_policy.user_has_any_permission_for_instance(
        user, ["add", "change", "choose"], document
    )
