"""The office's review queue (审核) and its decisions on extension requests (延期申请)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, selectors
from ..forms import ExtensionDecideForm
from ..models import ExtensionRequest
from ..services import PermissionDeniedError, ServiceError
from ..services import assignments as assignment_services
from .common import admin_required, next_url


@login_required
def review(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.sees_everything(user):
        raise PermissionDenied(_("只有管理员和审计人员可以查看审核队列。"))
    extensions = (
        selectors.extension_request_list(user=user)
        .filter(status=ExtensionRequest.Status.PENDING)
        .order_by("created_at")
    )
    return render(
        request,
        "tracking/review.html",
        {
            "queue": selectors.review_queue(user=user),
            "extensions": extensions,
            "is_admin": permissions.is_administrator(user),
            "decide_form": ExtensionDecideForm(),
        },
    )


@require_POST
@admin_required
def extension_decide(request: HttpRequest, pk: int) -> HttpResponse:
    req = get_object_or_404(selectors.extension_request_list(user=request.user), pk=pk)
    form = ExtensionDecideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择同意或不同意。"))
        return redirect("review")
    try:
        assignment_services.extension_decide(
            request=req,
            by=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            note=form.cleaned_data["note"],
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("延期申请已处理。"))
    return redirect(next_url(request, reverse("review")))


urlpatterns = [
    path("review/", review, name="review"),
    path("review/extensions/<int:pk>/decide/", extension_decide, name="extension_decide"),
]
