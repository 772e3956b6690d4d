"""The home page: what each role needs first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import permissions, selectors, selectors_leadership


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    context = {
        "counts": selectors.assignment_counts(user=user),
        # 我的部门: each a link to its items; a school leader may urge (催办) one from here.
        "departments": selectors_leadership.department_chips(user=user)
        if not permissions.sees_everything(user)
        else [],
        "is_admin": permissions.is_administrator(user),
        "is_auditor": user.is_auditor,
        "is_leader": user.is_school_leader,
        "unread": selectors.notification_list(user=user).filter(read_at__isnull=True).count(),
    }
    return render(request, "compliance/home.html", context)
