"""Policy documents: the list (search, progress, archive), and one document's requirement tree."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, selectors, selectors_leadership
from ..forms import ArchiveForm, DocumentSearchForm, InstructionForm
from ..models import PolicyDocument
from ..services import PermissionDeniedError, ServiceError
from ..services.documents import document_archive, document_reference_set, document_unarchive
from .common import admin_required, next_url

PAGE_SIZE = 30


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    form = DocumentSearchForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    archived = bool(data.get("archived"))
    docs = selectors.document_overview(
        user=request.user, q=(data.get("q") or "").strip(), status=data.get("status") or "", archived=archived
    )
    page = Paginator(docs, PAGE_SIZE).get_page(request.GET.get("page"))
    for doc in page.object_list:
        base = doc.n_items - doc.n_not_applicable
        doc.completion = round(doc.n_completed * 100 / base) if base else 0
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tracking/document_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "archived": archived,
            "is_admin": permissions.is_administrator(request.user),
            "archive_form": ArchiveForm(),
        },
    )


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    doc = get_object_or_404(selectors.document_list(user=user, archived=None), pk=pk)
    requirements = list(selectors.document_requirements(user=user, document=doc))
    return render(
        request,
        "tracking/document_detail.html",
        {
            "doc": doc,
            "requirements": requirements,
            "tracked": any(r.is_requirement for r in requirements),
            "is_admin": permissions.is_administrator(user),
            "instructions": selectors_leadership.instruction_list(user=user, document=doc),
            "can_instruct": bool(permissions.overseen_department_ids(user)),
            "instruction_form": InstructionForm(),
            "archive_form": ArchiveForm(),
        },
    )


def _archive_action(request: HttpRequest, pk: int, archive: bool) -> HttpResponse:
    doc: PolicyDocument = get_object_or_404(selectors.document_list(user=request.user, archived=None), pk=pk)
    form = ArchiveForm(request.POST)
    back = next_url(request, reverse("document_list"))
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    try:
        if archive:
            document_archive(document=doc, by=request.user, reason=form.cleaned_data["reason"])
        else:
            document_unarchive(document=doc, by=request.user, reason=form.cleaned_data["reason"])
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    if archive:
        messages.success(request, _("已归档《%(t)s》：它不再出现在列表、仪表盘和提醒中。") % {"t": doc.title})
    else:
        messages.success(request, _("已恢复《%(t)s》。") % {"t": doc.title})
    return redirect(back)


@require_POST
@admin_required
def document_archive_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _archive_action(request, pk, archive=True)


@require_POST
@admin_required
def document_unarchive_view(request: HttpRequest, pk: int) -> HttpResponse:
    return _archive_action(request, pk, archive=False)


@require_POST
@admin_required
def document_reference(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark a draft document as a reference document (no tasks), or undo it."""
    doc: PolicyDocument = get_object_or_404(selectors.document_list(user=request.user, archived=None), pk=pk)
    is_reference = request.POST.get("is_reference") == "1"
    try:
        document_reference_set(document=doc, by=request.user, is_reference=is_reference)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        if is_reference:
            messages.success(request, _("已标为参考文件：它留在文件列表中，不分配、不发布任务。"))
        else:
            messages.success(request, _("已取消参考文件，可以分配并发布任务。"))
    return redirect("document_detail", pk=doc.pk)


urlpatterns = [
    path("documents/", document_list, name="document_list"),
    path("documents/<int:pk>/", document_detail, name="document_detail"),
    path("documents/<int:pk>/archive/", document_archive_view, name="document_archive"),
    path("documents/<int:pk>/unarchive/", document_unarchive_view, name="document_unarchive"),
    path("documents/<int:pk>/reference/", document_reference, name="document_reference"),
]
