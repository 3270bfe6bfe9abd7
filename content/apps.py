from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContentConfig(AppConfig):
    name = "content"
    label = "content"
    verbose_name = _("Content")

    def ready(self):
        from django.db.models.signals import post_save

        from . import receivers
        from .models import CourseIndexPage

        post_save.connect(
            receivers.on_course_index_saved,
            sender=CourseIndexPage,
            dispatch_uid="content_course_index_authoring",
        )
