"""The home page: what each role needs first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import permissions, selectors
from ..models import Assignment


@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    assignments = selectors.assignment_list(user=user)
    today = selectors.today()
    open_q = Q(status__in=Assignment.OPEN_STATUSES)
    counts = assignments.aggregate(
        total=Count("id"),
        open=Count("id", filter=open_q),
        overdue=Count("id", filter=open_q & Q(due_date__lt=today)),
        submitted=Count("id", filter=Q(status=Assignment.Status.SUBMITTED)),
        completed=Count("id", filter=Q(status=Assignment.Status.COMPLETED)),
    )
    context = {
        "counts": counts,
        "departments": selectors.department_list(user=user)[:20] if not permissions.sees_everything(user) else [],
        "is_admin": permissions.is_administrator(user),
        "is_auditor": user.is_auditor,
        "is_leader": user.is_school_leader,
        "unread": selectors.notification_list(user=user).filter(read_at__isnull=True).count(),
    }
    return render(request, "compliance/home.html", context)
