"""Wagtail's page permissions, per organisation: the one rule behind every page view and action.

Wagtail grants page permissions to groups (roles) at a page, and they hold for the whole subtree
below it. Our roles are shared by every organisation, so a grant on the course index alone would
let any organisation's head act on every course under it. The rule here narrows it:

- Platform administrators hold every page permission from the root (no per-page grants needed).
- Anyone else acts, with the permissions their groups hold there, only on pages of a course their
  organisation owns (the course and its lessons). Under a course index they may add (and
  publish) new courses, which the course form makes their organisation's. The course index,
  platform-wide courses, the home page and the regulation library: no action at all.
- Pages they may see in the admin (explorer, search, the admin's page API, the site history)
  are the ones `selectors.admin_pages_visible_to` lets through: never another organisation's
  private course or its lessons.

- Wagtail's workflow tasks grant rights of their own (a group approval task's groups may open
  the editor, lock, approve and preview a page in review). Those groups are roles too, so they
  count only where the page rule lets the person act (`may_act_on`): a compliance head reviews
  their own organisation's pages, never another's that happens to be in review.

`OrganisationPagePermissionPolicy` (registered for every page model in wagtail_hooks.py) serves
the listings, the API and the reports; `OrganisationPagePermissionTester` (every page's
`permissions_for_user`) serves each view and action; the workflow views, the dashboard's review
panels, the workflow reports and the page bulk actions (admin_views.py, bulk_actions.py,
admin_reports.py) ask `may_act_on` and the policy. All of them ask `page_rights`.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db.models import Q
from wagtail.models import GroupPagePermission, Page, PagePermissionTester
from wagtail.permission_policies.pages import PagePermissionPolicy

from lms.organisations import roles
from lms.organisations.access import access_for

STEPLEN = Page.steplen
ALL_PAGE_ACTIONS = ("add", "change", "publish", "bulk_delete", "lock", "unlock")


# --- the rule, as a pure function ------------------------------------------------------------
@dataclass(frozen=True)
class PageRights:
    on_page: bool  # may use their permissions on the page itself
    on_children: bool  # may use them to add (and publish) pages below it


def page_rights(
    *,
    page_path: str,
    is_course_index: bool,
    course_owners: dict[str, int | None],
    admin_org_ids: frozenset[int],
) -> PageRights:
    """Where a person who is not a platform administrator may use their page permissions.

    `course_owners` maps each course page's path to its owner organisation (None: platform-wide).
    """
    for depth in range(1, len(page_path) // STEPLEN + 1):
        prefix = page_path[: depth * STEPLEN]
        if prefix in course_owners:
            owner = course_owners[prefix]
            theirs = owner is not None and owner in admin_org_ids
            return PageRights(on_page=theirs, on_children=theirs)
    # Not in a course: only new courses (their own, by the course form) under a course index.
    return PageRights(on_page=False, on_children=is_course_index)


# --- the rule, for a user ----------------------------------------------------------------------
_COURSES_CACHE = "_hegui_course_owners"


def _course_owners(user) -> dict[str, int | None]:
    cached = getattr(user, _COURSES_CACHE, None)
    if cached is None:
        from .models import CoursePage

        cached = dict(CoursePage.objects.values_list("path", "owner_organisation_id"))
        setattr(user, _COURSES_CACHE, cached)
    return cached


def has_every_page_right(user) -> bool:
    access = access_for(user)
    return bool(user.is_active and (user.is_superuser or access.is_platform_admin))


def rights_of(user, page) -> PageRights:
    if has_every_page_right(user):
        return PageRights(on_page=True, on_children=True)
    from .models import CourseIndexPage

    return page_rights(
        page_path=page.path,
        is_course_index=page.specific_class is CourseIndexPage,
        course_owners=_course_owners(user),
        admin_org_ids=access_for(user).admin_org_ids,
    )


def may_act_on(user, page) -> bool:
    """Whether the user may use any right at all on the page: their groups' page permissions or
    a workflow task's reviewer rights (the task decides which; this decides where)."""
    return bool(user.is_active) and rights_of(user, page).on_page


def pages_theirs_q(user) -> Q:
    """A Q over pages on which the user may use their page permissions (see `page_rights`)."""
    if has_every_page_right(user):
        return Q()
    admin_org_ids = access_for(user).admin_org_ids
    q = Q(pk__in=[])
    for path, owner in _course_owners(user).items():
        if owner is not None and owner in admin_org_ids:
            q |= Q(path__startswith=path)
    return q


# --- Wagtail's side ----------------------------------------------------------------------------
class OrganisationPagePermissionTester(PagePermissionTester):
    """Wagtail's tester, with the permissions narrowed to where the user may use them."""

    def __init__(self, user, page):
        super().__init__(user, page)
        if not user.is_active or user.is_superuser:
            return
        rights = rights_of(user, page)
        self.on_page = rights.on_page
        self.child_permissions = self.permissions if rights.on_children else set()
        if not rights.on_page:
            self.permissions = set()

    # A workflow task in progress lets its reviewers edit, lock and unlock the page whatever
    # their page permissions: only where the page rule lets them act.
    def _may_act(self) -> bool:
        return self.user.is_superuser or not self.user.is_active or self.on_page

    def can_edit(self):
        return self._may_act() and super().can_edit()

    def can_lock(self):
        return self._may_act() and super().can_lock()

    def can_unlock(self):
        return (self._may_act() or self.user_has_lock()) and super().can_unlock()

    def _for_children(self, check):
        if self.user.is_superuser or not self.user.is_active:
            return check()
        own, self.permissions = self.permissions, self.child_permissions
        try:
            return check()
        finally:
            self.permissions = own

    def can_add_subpage(self):
        return self._for_children(super().can_add_subpage)

    def can_publish_subpage(self):
        return self._for_children(super().can_publish_subpage)

    def can_move_to(self, destination):
        if self.user.is_superuser or not self.user.is_active:
            return super().can_move_to(destination)
        # Wagtail's, except that moving a page below the destination asks what the person may do
        # below it (the rule's child permissions: a course index takes their own courses), not
        # on it.
        if self.page == destination or destination.is_descendant_of(self.page):
            return False
        if not self.page.is_child_of(destination) and not self.page.specific.can_move_to(
            destination
        ):
            return False
        if not self.can_move():
            return False
        there = destination.permissions_for_user(self.user)
        below = getattr(there, "child_permissions", there.permissions)
        if "add" not in below:
            return False
        if self.page.live or self.page.get_descendants().filter(live=True).exists():
            return "publish" in below
        return True

    def can_view_revisions(self):
        # Wagtail shows revisions to anyone who may open the page in the admin; ours are for
        # the people who may change it.
        return super().can_view_revisions() and (self.can_edit() or self.can_publish())


class OrganisationPagePermissionPolicy(PagePermissionPolicy):
    """Wagtail's page permission policy, per organisation (see the module's docstring)."""

    def get_all_permissions_for_user(self, user):
        if not user.is_active or user.is_anonymous or user.is_superuser:
            return super().get_all_permissions_for_user(user)
        if access_for(user).is_platform_admin:
            root = Page.get_first_root_node()
            return [
                GroupPagePermission(page=root, permission=permission)
                for permission in Permission.objects.filter(
                    content_type__app_label="wagtailcore",
                    codename__in=[f"{action}_page" for action in ALL_PAGE_ACTIONS],
                )
            ]
        return super().get_all_permissions_for_user(user)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if not super().user_has_any_permission_for_instance(user, actions, instance):
            return False
        return rights_of(user, instance).on_page

    def instances_user_has_any_permission_for(self, user, actions):
        return (
            super()
            .instances_user_has_any_permission_for(user, actions)
            .filter(pages_theirs_q(user))
        )

    def explorable_instances(self, user):
        base_queryset = self._base_queryset_for_user(user)
        if base_queryset is not None:
            return base_queryset
        from .selectors import admin_pages_visible_to

        # Wagtail's explorable pages: below any page the user's groups hold a permission at,
        # and the ancestors leading there; then without what the user may not see.
        permitted = [perm.page for perm in self.get_cached_permissions_for_user(user)]
        if not permitted:
            return self.model._default_manager.none()
        q = Q()
        for page in permitted:
            q |= Q(path__startswith=page.path)
            q |= Q(path__in=[page.path[:n] for n in range(STEPLEN, len(page.path), STEPLEN)])
        top = self.model.base_page_model.objects.first_common_ancestor_of(permitted)
        pages = self.model._default_manager.filter(q).filter(path__startswith=top.path)
        return admin_pages_visible_to(user=user, pages=pages)

    def users_with_any_permission(self, actions, include_superusers=True):
        users = super().users_with_any_permission(actions, include_superusers)
        return _with_platform_admins(users.values("pk"))

    def users_with_any_permission_for_instance(self, actions, instance, include_superusers=True):
        """Who may act on the page (e.g. whom to notify): the owning organisation's people with
        the permission there, and platform administrators."""
        candidates = super().users_with_any_permission_for_instance(
            actions, instance, include_superusers
        )
        return _with_platform_admins([u.pk for u in candidates if rights_of(u, instance).on_page])


def _with_platform_admins(user_ids):
    return (
        get_user_model()
        ._default_manager.filter(is_active=True)
        .filter(Q(pk__in=user_ids) | Q(groups__name=roles.PLATFORM_ADMIN))
        .distinct()
    )
