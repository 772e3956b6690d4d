"""The home page: what each role needs first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import permissions, selectors


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "counts": selectors.assignment_counts(user=user),
        "departments": selectors.department_list(user=user)[:20] if not permissions.sees_everything(user) else [],
        "is_admin": permissions.is_administrator(user),
        "is_auditor": user.is_auditor,
        "is_leader": user.is_school_leader,
        "unread": selectors.notification_list(user=user).filter(read_at__isnull=True).count(),
    }
    return render(request, "compliance/home.html", context)
