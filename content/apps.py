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

        from lms.organisations.signals import organisation_created

        from . import receivers
        from .models import CourseIndexPage
        from .page_permissions import OrganisationPagePermissionPolicy

        post_save.connect(
            receivers.on_course_index_saved,
            sender=CourseIndexPage,
            dispatch_uid="content_course_index_authoring",
        )
        organisation_created.connect(
            receivers.on_organisation_created, dispatch_uid="content_organisation_collection"
        )
        # Before anything asks for it: every page view, listing, the admin's page API and the
        # reports follow one rule, page permissions per organisation (page_permissions.py).
        register_permission_policy(Page, OrganisationPagePermissionPolicy(Page))
        # Images and documents per organisation (media_permissions.py): for the exact models,
        # so they win over the policies wagtail.images and wagtail.documents register later.
        from wagtail import documents, images

        from .media_permissions import organisation_policy_for

        for media in (images, documents):
            policy = media.get_permission_policy()
            register_permission_policy(
                policy.model, organisation_policy_for(policy), exact_class=True
            )
