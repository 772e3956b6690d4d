"""通知: the signed-in user's in-app notifications, with mark-as-read.

Every user sees only their own notifications (the selector filters by user); marking goes
through the notification service, which refuses anyone else's.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors
from ..services.notifications import notification_mark_read
from .common import next_url

PAGE_SIZE = 30
# Marking all as read goes through the per-notification service; cap one request's work.
READ_ALL_LIMIT = 1000


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    qs = selectors.notification_list(user=request.user).select_related(
        "assignment__requirement", "assignment__department"
    )
    unread_only = request.GET.get("unread") == "1"
    unread_count = qs.filter(read_at__isnull=True).count()
    if unread_only:
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "notifications/list.html",
        {"page": page, "unread_only": unread_only, "unread_count": unread_count},
    )


def _back(request: HttpRequest) -> str:
    return next_url(request, reverse("notification_list"))


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark one of your notifications read; another user's is a 404, as if it did not exist."""
    note = get_object_or_404(selectors.notification_list(user=request.user), pk=pk)
    notification_mark_read(notification=note, by=request.user)
    return redirect(_back(request))


@login_required
@require_POST
def notification_read_all(request: HttpRequest) -> HttpResponse:
    unread = list(selectors.notification_list(user=request.user).filter(read_at__isnull=True)[:READ_ALL_LIMIT])
    for note in unread:
        notification_mark_read(notification=note, by=request.user)
    messages.success(request, _("已将 %(n)s 条通知标为已读。") % {"n": len(unread)})
    return redirect(_back(request))


urlpatterns = [
    path("notifications/", notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", notification_read, name="notification_read"),
    path("notifications/read-all/", notification_read_all, name="notification_read_all"),
]
