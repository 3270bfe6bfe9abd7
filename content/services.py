"""Content services: who may write courses in the Wagtail admin."""

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
