"""通知: the person's notices, written in the language they read the site in."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from . import selectors, services

HOME_PANEL_SIZE = 3


@login_required
def notification_list(request):
    return render(
        request,
        "notifications/list.html",
        {"notifications": selectors.notices_shown_to(user=request.user)},
    )


@login_required
@require_POST
def notifications_mark_read(request):
    services.notification_mark_read(user=request.user)
    return redirect("notifications:list")


def notices_panel(request) -> dict | None:
    """The newest unread notices at the top of the home page (hidden when all are read)."""
    if not request.user.is_authenticated:
        return None
    unread = selectors.notices_shown_to(user=request.user, unread_only=True, limit=HOME_PANEL_SIZE)
    return {"notices": unread} if unread else None
