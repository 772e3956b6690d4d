"""What the page views share: the office-only decorator, the user's item or a 404, safe redirects."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .. import permissions, selectors
from ..models import Assignment


def admin_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Administrators only; everyone else (auditors included) gets 403."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.is_administrator(request.user):
            raise PermissionDenied(_("只有管理员可以访问此页面。"))
        return view(request, *args, **kwargs)

    return wrapper


def scoped_assignment(request: HttpRequest, pk: int) -> Assignment:
    """An item the user may read, or 404 (another department's item looks like no item at all)."""
    return get_object_or_404(selectors.assignment_list(user=request.user), pk=pk)


def next_url(request: HttpRequest, default: str) -> str:
    """The ``next`` parameter when it points into this site; ``default`` otherwise."""
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return default


def item_url(a: Assignment, tab: str = "work") -> str:
    """The item page, on one of its tabs."""
    url = reverse("assignment_detail", args=[a.pk])
    return url if tab == "work" else f"{url}?tab={tab}"
