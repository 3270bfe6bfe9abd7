"""Page forms: an enterprise administrator writes courses for their own organisation only."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class CoursePageForm(WagtailAdminPageForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is None or "owner_organisation" not in self.fields:
            return
        from lms.organisations.access import access_for

        from .selectors import curriculum_owner_choices

        self.fields["owner_organisation"].queryset = curriculum_owner_choices(user=for_user)
        if not access_for(for_user).is_platform_admin:
            self.fields["owner_organisation"].required = True
            self.fields["owner_organisation"].help_text = _(
                "Your courses are private to your organisation."
            )
