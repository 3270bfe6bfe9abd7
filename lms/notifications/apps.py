from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "lms.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from lms.navigation import HomePanel, NavItem, register_home_panel, register_nav_item

        from . import selectors, views

        register_nav_item(
            NavItem(
                key="notifications",
                label=_("Notifications"),
                url_name="notifications:list",
                order=80,
                badge=selectors.unread_notification_count,
            )
        )
        register_home_panel(
            HomePanel(
                key="unread_notices",
                template="notifications/panels/notices.html",
                context=views.notices_panel,
                order=5,
            )
        )
