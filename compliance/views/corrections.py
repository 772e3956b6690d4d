"""Correcting a draft document's items by hand (the office): edit, add, delete, split, merge, change the parent.

The changes go through ``services/corrections.py``, which records each one in the history.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors
from ..forms import RequirementCorrectForm
from ..models import PolicyDocument, Requirement
from ..services import PermissionDeniedError, ServiceError, corrections
from .common import admin_required


def _document(request: HttpRequest, pk: int) -> tuple[PolicyDocument, list[Requirement]]:
    doc = get_object_or_404(selectors.document_list(user=request.user, archived=None), pk=pk)
    rows = list(selectors.requirement_list(user=request.user, document=doc).order_by("order", "pk"))
    return doc, rows


def _item(request: HttpRequest, pk: int, req_pk: int) -> tuple[PolicyDocument, Requirement]:
    """The document and one of its items, or 404."""
    doc = get_object_or_404(selectors.document_list(user=request.user, archived=None), pk=pk)
    return doc, get_object_or_404(selectors.requirement_list(user=request.user, document=doc), pk=req_pk)


def _parents(rows: list[Requirement], exclude: Requirement | None = None) -> list[tuple[int, str]]:
    return [(r.pk, f"{r.path_display} {r.heading or r.text[:20]}") for r in rows if r != exclude]


def _back(doc: PolicyDocument, edit: int | None = None) -> HttpResponse:
    url = reverse("document_structure", args=[doc.pk])
    return redirect(f"{url}?edit={edit}#edit" if edit else url)


@admin_required
def document_structure(request: HttpRequest, pk: int) -> HttpResponse:
    """The item list with a 修改 link and a delete button per item, the edit form of one, and an add form."""
    doc, rows = _document(request, pk)
    edit = next((r for r in rows if str(r.pk) == request.GET.get("edit", "")), None)
    edit_form = None
    if edit is not None:
        initial = {f: getattr(edit, f) for f in ("label", "heading", "text", "is_requirement")}
        edit_form = RequirementCorrectForm(initial={**initial, "parent": edit.parent_id}, parents=_parents(rows, edit))
    add_form = RequirementCorrectForm(initial={"is_requirement": True}, parents=_parents(rows))
    return render(
        request,
        "tracking/document_structure.html",
        {
            "doc": doc,
            "rows": rows,
            "editable": doc.status == PolicyDocument.Status.DRAFT and not doc.is_archived,
            "edit": edit,
            "edit_form": edit_form,
            "add_form": add_form,
        },
    )


def _run(request: HttpRequest, action, success: str) -> bool:
    """Call a correction service; report its refusal as a message. True when it went through."""
    try:
        action()
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ServiceError as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, success)
    return True


def _valid_form(request: HttpRequest, rows: list[Requirement]) -> RequirementCorrectForm | None:
    form = RequirementCorrectForm(request.POST, parents=_parents(rows))
    if form.is_valid():
        return form
    messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return None


@require_POST
@admin_required
def requirement_correct(request: HttpRequest, pk: int, req_pk: int) -> HttpResponse:
    doc, rows = _document(request, pk)
    req = get_object_or_404(selectors.requirement_list(user=request.user, document=doc), pk=req_pk)
    form = _valid_form(request, rows)
    if form is None:
        return _back(doc, edit=req.pk)
    d = form.cleaned_data
    parent = next((r for r in rows if r.pk == d["parent"]), None)

    def change() -> None:
        corrections.requirement_correct(
            requirement=req,
            by=request.user,
            label=d["label"],
            heading=d["heading"],
            text=d["text"],
            is_requirement=d["is_requirement"],
            parent=parent,
        )

    if not _run(request, change, _("已保存修改。")):
        return _back(doc, edit=req.pk)
    return _back(doc)


@require_POST
@admin_required
def requirement_add(request: HttpRequest, pk: int) -> HttpResponse:
    doc, rows = _document(request, pk)
    form = _valid_form(request, rows)
    if form is not None:
        d = form.cleaned_data
        parent = next((r for r in rows if r.pk == d["parent"]), None)
        _run(
            request,
            lambda: corrections.requirement_add(
                document=doc,
                by=request.user,
                label=d["label"],
                heading=d["heading"],
                text=d["text"],
                is_requirement=d["is_requirement"],
                parent=parent,
            ),
            _("已添加条款。"),
        )
    return _back(doc)


@require_POST
@admin_required
def requirement_remove(request: HttpRequest, pk: int, req_pk: int) -> HttpResponse:
    doc, req = _item(request, pk, req_pk)
    _run(request, lambda: corrections.requirement_remove(requirement=req, by=request.user), _("已删除条款。"))
    return _back(doc)


@require_POST
@admin_required
def requirement_split(request: HttpRequest, pk: int, req_pk: int) -> HttpResponse:
    doc, req = _item(request, pk, req_pk)
    at = request.POST.get("at", "")[:4000]
    if not _run(
        request, lambda: corrections.requirement_split(requirement=req, by=request.user, at=at), _("已拆分为两个条款。")
    ):
        return _back(doc, edit=req.pk)
    return _back(doc)


@require_POST
@admin_required
def requirement_merge(request: HttpRequest, pk: int, req_pk: int) -> HttpResponse:
    doc, req = _item(request, pk, req_pk)
    _run(request, lambda: corrections.requirement_merge_next(requirement=req, by=request.user), _("已与下一条合并。"))
    return _back(doc)


urlpatterns = [
    path("documents/<int:pk>/structure/", document_structure, name="document_structure"),
    path("documents/<int:pk>/structure/add/", requirement_add, name="requirement_add"),
    path("documents/<int:pk>/structure/<int:req_pk>/", requirement_correct, name="requirement_correct"),
    path("documents/<int:pk>/structure/<int:req_pk>/delete/", requirement_remove, name="requirement_remove"),
    path("documents/<int:pk>/structure/<int:req_pk>/split/", requirement_split, name="requirement_split"),
    path("documents/<int:pk>/structure/<int:req_pk>/merge/", requirement_merge, name="requirement_merge"),
]
