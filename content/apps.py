from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    label = "content"
    verbose_name = _("Content")

    def ready(self):
        from django.db.models.signals import post_save
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy

        from . import receivers
        from .models import CourseIndexPage
        from .page_permissions import OrganisationPagePermissionPolicy

        post_save.connect(
            receivers.on_course_index_saved,
            sender=CourseIndexPage,
            dispatch_uid="content_course_index_authoring",
        )
        # Before anything asks for it: every page view, listing, the admin's page API and the
        # reports follow one rule, page permissions per organisation (page_permissions.py).
        register_permission_policy(Page, OrganisationPagePermissionPolicy(Page))
