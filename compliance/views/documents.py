"""Policy documents: the list, and one document's requirement tree with the items the user may read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path

from .. import permissions, selectors


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "tracking/document_list.html",
        {
            "documents": selectors.document_list(user=request.user),
            "is_admin": permissions.is_administrator(request.user),
        },
    )


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    doc = get_object_or_404(selectors.document_list(user=user), pk=pk)
    return render(
        request,
        "tracking/document_detail.html",
        {
            "doc": doc,
            "requirements": selectors.document_requirements(user=user, document=doc),
            "is_admin": permissions.is_administrator(user),
        },
    )


urlpatterns = [
    path("documents/", document_list, name="document_list"),
    path("documents/<int:pk>/", document_detail, name="document_detail"),
]
