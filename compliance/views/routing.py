"""The office's assignment screen (分解与分派) and the departments' routing keyword rules.

Proposals come from the routing service (printed units first, keyword rules otherwise); the
office changes them in bulk, maps unknown printed names to departments once, and publishes.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import selectors
from ..forms import AliasMapForm, BulkAssignForm
from ..models import PolicyDocument, User
from ..services import PermissionDeniedError, ServiceError
from ..services import routing as routing_services
from .common import admin_required


def _assign_rows(
    *, user: User, doc: PolicyDocument
) -> tuple[list[dict[str, Any]], routing_services.DepartmentDirectory]:
    """One row per requirement: the proposal, the school leader, the assignments it already has."""
    directory = routing_services.DepartmentDirectory()
    rows = []
    for req in selectors.document_routing_requirements(user=user, document=doc):
        prop = routing_services.propose(req, directory) if req.is_requirement else routing_services.Proposal()
        leader = req.school_leader or next((d.school_leader for d in prop.lead if d.school_leader), None)
        rows.append({"req": req, "proposal": prop, "leader": leader, "assigned": list(req.assignments.all())})
    return rows, directory


def _bulk_kwargs(data: dict[str, Any]) -> dict[str, Any]:
    """The one decision of a bulk action, as the routing service's keyword."""
    action = data["action"]
    if action == "lead":
        return {"lead": data["lead"]}
    if action == "co":
        return {"co": list(data["co"])}
    if action == "deadline":
        return {"deadline": data["deadline"]}
    if action == "leader":
        return {"school_leader": data["leader"]}
    return {"not_applicable": action == "na"}


def _bulk_apply(request: HttpRequest, doc: PolicyDocument, form: BulkAssignForm) -> HttpResponse | None:
    """Apply a valid bulk action; a redirect on success, None when the page must show an error."""
    d = form.cleaned_data
    try:
        outcome = routing_services.requirements_bulk_update(
            document=doc, requirement_ids=d["requirements"], by=request.user, **_bulk_kwargs(d)
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ServiceError as exc:
        messages.error(request, str(exc))
        return None
    messages.success(request, _("已更新 %(n)s 条。") % {"n": outcome.changed})
    for problem in outcome.problems:
        messages.warning(request, problem)
    return redirect("document_assign", pk=doc.pk)


@require_http_methods(["GET", "POST"])
@admin_required
def document_assign(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    doc = get_object_or_404(selectors.document_list(user=user), pk=pk)
    departments = selectors.department_list(user=user)
    tracked_ids = list(
        selectors.requirement_list(user=user, document=doc).filter(is_requirement=True).values_list("pk", flat=True)
    )
    form = BulkAssignForm(
        request.POST or None,
        requirement_ids=tracked_ids,
        departments=departments,
        leaders=selectors.school_leader_list(user=user),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid() and (done := _bulk_apply(request, doc, form)) is not None:
            return done
        status = 400
    rows, directory = _assign_rows(user=user, doc=doc)
    tracked = [r for r in rows if r["req"].is_requirement and not r["req"].not_applicable]
    return render(
        request,
        "tracking/document_assign.html",
        {
            "doc": doc,
            "rows": rows,
            "form": form,
            "unmatched": routing_services.unmatched_names(document=doc, directory=directory),
            "departments": departments,
            "without_lead": sum(1 for r in tracked if not r["proposal"].lead),
            "tracked_count": len(tracked),
        },
        status=status,
    )


@require_POST
@admin_required
def document_alias(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_object_or_404(selectors.document_list(user=request.user), pk=pk)
    form = AliasMapForm(request.POST, departments=selectors.department_list(user=request.user))
    if form.is_valid():
        routing_services.alias_remember(
            department=form.cleaned_data["department"], name=form.cleaned_data["name"], by=request.user
        )
        messages.success(
            request,
            _("已记住：“%(n)s” 即 %(d)s。")
            % {"n": form.cleaned_data["name"], "d": form.cleaned_data["department"].name},
        )
    else:
        messages.error(request, _("请选择对应的部门。"))
    return redirect("document_assign", pk=doc.pk)


@require_POST
@admin_required
def document_publish(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_object_or_404(selectors.document_list(user=request.user), pk=pk)
    try:
        created = routing_services.document_publish(document=doc, by=request.user)
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("document_assign", pk=doc.pk)
    messages.success(request, _("已发布，新建任务 %(n)s 项。") % {"n": created})
    return redirect("document_detail", pk=doc.pk)


@require_http_methods(["GET", "POST"])
@admin_required
def department_rules(request: HttpRequest) -> HttpResponse:
    departments = list(selectors.department_list(user=request.user))
    errors: dict[int, str] = {}
    if request.method == "POST":
        changed = 0
        for d in departments:
            kw = request.POST.get(f"keywords-{d.pk}")
            al = request.POST.get(f"aliases-{d.pk}")
            if kw is None and al is None:
                continue
            try:
                changed += routing_services.department_rules_update(
                    department=d, by=request.user, keywords=kw if kw is not None else d.keywords, aliases=al
                )
            except ServiceError as exc:
                errors[d.pk] = str(exc)
        if not errors:
            messages.success(request, _("已保存 %(n)s 个部门的规则。") % {"n": changed})
            return redirect("department_rules")
    rows = [
        {
            "d": d,
            "keywords": request.POST.get(f"keywords-{d.pk}", "、".join(d.keywords))
            if errors
            else "、".join(d.keywords),
            "aliases": request.POST.get(f"aliases-{d.pk}", "、".join(d.aliases)) if errors else "、".join(d.aliases),
            "error": errors.get(d.pk, ""),
        }
        for d in departments
    ]
    return render(request, "tracking/department_rules.html", {"rows": rows}, status=400 if errors else 200)


urlpatterns = [
    path("documents/<int:pk>/assign/", document_assign, name="document_assign"),
    path("documents/<int:pk>/assign/alias/", document_alias, name="document_alias"),
    path("documents/<int:pk>/publish/", document_publish, name="document_publish"),
    path("departments/rules/", department_rules, name="department_rules"),
]
