"""上下贯通 pages: link proposals side by side (accept/reject), coverage of an upstream document,
and year over year (this year's 工作要点 against last year's)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, selectors, selectors_links
from ..models import Requirement, RequirementLink
from ..services import ServiceError
from ..services import links as link_services
from .common import admin_required, next_url


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _require_reader(request: HttpRequest) -> None:
    if not permissions.sees_everything(request.user):
        raise PermissionDenied(_("只有管理员和审计人员可以查看上下贯通关联。"))


@login_required
def link_list(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    user = request.user
    document, upstream = _int(request.GET.get("document")), _int(request.GET.get("upstream"))
    status = request.GET.get("status") or RequirementLink.Status.PROPOSED
    if status not in RequirementLink.Status.values:
        status = RequirementLink.Status.PROPOSED
    links = selectors_links.link_list(user=user, status=status, document=document, upstream=upstream)
    return render(
        request,
        "links/index.html",
        {
            "links": links[:300],
            "count": links.count(),
            "documents": selectors.document_list(user=user).select_related(None).only("id", "title").order_by("-id"),
            "filters": {"document": document, "upstream": upstream, "status": status},
            "statuses": RequirementLink.Status.choices,
            "is_admin": permissions.is_administrator(user),
        },
    )


@require_POST
@admin_required
def link_propose(request: HttpRequest) -> HttpResponse:
    docs = selectors.document_list(user=request.user)
    document = docs.filter(pk=_int(request.POST.get("document"))).first()
    upstream = docs.filter(pk=_int(request.POST.get("upstream"))).first()
    if document is None or upstream is None:
        messages.error(request, _("请选择本级文件和上级文件。"))
        return redirect("links")
    try:
        n = link_services.links_propose(
            by=request.user, document=document, upstream=upstream, top=_int(request.POST.get("top")) or 3
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("links")
    messages.success(request, _("新增 %(n)s 条关联建议，请逐条确认。") % {"n": n})
    return redirect(f"{reverse('links')}?document={document.pk}&upstream={upstream.pk}")


@require_POST
@admin_required
def link_decide(request: HttpRequest, pk: int) -> HttpResponse:
    link = get_object_or_404(selectors_links.link_list(user=request.user), pk=pk)
    link_services.link_decide(link=link, by=request.user, accept=request.POST.get("decision") == "accept")
    return redirect(next_url(request, reverse("links")))


@require_POST
@admin_required
def link_create(request: HttpRequest) -> HttpResponse:
    try:
        source = selectors_links.requirement_for_linking(user=request.user, pk=_int(request.POST.get("source")) or 0)
        target = selectors_links.requirement_for_linking(user=request.user, pk=_int(request.POST.get("target")) or 0)
    except Requirement.DoesNotExist:
        messages.error(request, _("条款不存在，请检查编号。"))
        return redirect("links")
    try:
        link_services.link_create(by=request.user, source=source, target=target)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已关联。"))
    return redirect(next_url(request, reverse("links")))


@login_required
def coverage(request: HttpRequest, pk: int) -> HttpResponse:
    """For each item of an upstream document: the tasks that implement it, their status; the gaps."""
    if not (permissions.sees_everything(request.user) or request.user.is_school_leader):
        raise PermissionDenied(_("只有管理员、审计人员和校领导可以查看覆盖情况。"))
    docs = selectors_links.coverage_document_list(user=request.user)
    chosen = _int(request.GET.get("doc"))
    if chosen and chosen != pk:  # the document picker (a plain GET form, no script)
        return redirect("link_coverage", chosen)
    document = get_object_or_404(selectors_links.coverage_document_list(user=request.user), pk=pk)
    rows = selectors_links.coverage(user=request.user, upstream=document)
    return render(
        request,
        "links/coverage.html",
        {"document": document, "rows": rows, "gaps": sum(1 for r in rows if not r.covered), "documents": docs},
    )


@login_required
def year_over_year(request: HttpRequest) -> HttpResponse:
    _require_reader(request)
    docs = selectors.document_list(user=request.user).select_related(None).only("id", "title").order_by("-id")
    current = docs.filter(pk=_int(request.GET.get("current"))).first()
    previous = docs.filter(pk=_int(request.GET.get("previous"))).first()
    result = None
    if current and previous:
        result = selectors_links.year_over_year(user=request.user, current=current, previous=previous)
    return render(
        request,
        "links/year_over_year.html",
        {"documents": docs, "current": current, "previous": previous, "result": result},
    )


urlpatterns = [
    path("links/", link_list, name="links"),
    path("links/propose/", link_propose, name="link_propose"),
    path("links/new/", link_create, name="link_create"),
    path("links/<int:pk>/decide/", link_decide, name="link_decide"),
    path("links/coverage/<int:pk>/", coverage, name="link_coverage"),
    path("links/year-over-year/", year_over_year, name="link_year_over_year"),
]
