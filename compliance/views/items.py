"""The item page (办理, 其他单位进展, 佐证材料, 历史) and every action taken on it.

Every read goes through a selector scoped to the user (another department's item is a 404),
every write through a service (which checks the rule again and refuses a stale version with a
ConflictError). On an error the page is rendered again with the user's input kept; on success
we redirect (post/redirect/get).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import downloads, permissions, rules, selectors
from ..forms import (
    ApproveForm,
    CommentForm,
    EvidenceForm,
    ExtensionForm,
    ProgressForm,
    ReassignForm,
    ReturnForm,
    StartForm,
    SubmitForm,
)
from ..models import Assignment
from ..services import ConflictError, PermissionDeniedError, ServiceError
from ..services import assignments as assignment_services
from ..services.evidence import ALLOWED_TYPES, evidence_upload_many, read_upload
from .common import admin_required, item_url, next_url, scoped_assignment

TABS = ("work", "others", "evidence", "history")


def _forms(a: Assignment) -> dict[str, Form]:
    """The item page's empty forms, carrying the version the user sees."""
    return {
        "progress_form": ProgressForm(initial={"percent": a.progress, "version": a.version}),
        "start_form": StartForm(initial={"version": a.version}),
        "submit_form": SubmitForm(initial={"version": a.version}),
        "evidence_form": EvidenceForm(),
        "comment_form": CommentForm(),
        "extension_form": ExtensionForm(),
        "approve_form": ApproveForm(initial={"version": a.version}),
        "return_form": ReturnForm(initial={"version": a.version}),
    }


def _item_context(request: HttpRequest, a: Assignment, tab: str, overrides: dict[str, Any]) -> dict[str, Any]:
    user = request.user
    editable = permissions.can_edit_assignment(user, a)
    is_admin = permissions.is_administrator(user)
    siblings = list(selectors.assignment_siblings(user=user, assignment=a))
    is_lead_of_requirement = a.role == Assignment.Role.LEAD and permissions.can_submit_assignment(user, a)
    ctx: dict[str, Any] = {
        "a": a,
        "req": a.requirement,
        "doc": a.requirement.document,
        "tab": tab,
        "tabs": TABS,
        "level": rules.warning_level(a, on=selectors.today()),
        "can_edit": editable and a.is_open,
        "can_upload": editable and a.is_open,
        "can_submit": permissions.can_submit_assignment(user, a) and a.is_open,
        "can_comment": editable or is_admin,
        "can_extend": editable and a.is_open,
        "can_review": is_admin and a.status == Assignment.Status.SUBMITTED,
        "is_admin": is_admin,
        "read_only": not (editable or is_admin),
        "siblings": siblings,
        "co_parts_to_review": [
            s for s in siblings if s.role == Assignment.Role.COOPERATING and s.status == Assignment.Status.SUBMITTED
        ]
        if is_lead_of_requirement
        else [],
        "evidence": list(selectors.evidence_list(user=user, assignment=a)),
        "updates": list(selectors.progress_update_list(user=user, assignment=a).order_by("-created_at", "-id")),
        "extensions": list(selectors.extension_request_list(user=user, assignment=a)),
        "allowed_types": "、".join(sorted(ALLOWED_TYPES)),
        "max_mb": settings.DUBAN_MAX_UPLOAD_BYTES // (1024 * 1024),
        **_forms(a),
    }
    if tab == "history":
        ctx["history"] = selectors.assignment_history(user=user, assignment=a)
    ctx.update(overrides)
    return ctx


def _render_item(
    request: HttpRequest,
    a: Assignment,
    *,
    tab: str = "work",
    status: int = 200,
    error: str = "",
    conflict: bool = False,
    **forms: Any,
) -> HttpResponse:
    if error:
        # Shown inline at the top of the page; the bound form below keeps what the user typed.
        forms["error"] = error
        forms["conflict"] = conflict
    return render(request, "tracking/assignment_detail.html", _item_context(request, a, tab, forms), status=status)


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    a = scoped_assignment(request, pk)
    tab = request.GET.get("tab", "work")
    return _render_item(request, a, tab=tab if tab in TABS else "work")


def _run(
    request: HttpRequest,
    a: Assignment,
    form_name: str,
    form: Form,
    action: Callable[[dict[str, Any]], object],
    success: str,
    tab: str = "work",
) -> HttpResponse:
    """Call a service for a valid form; on refusal render the item page again with the input kept."""
    if not form.is_valid():
        return _render_item(request, a, tab=tab, status=400, error=_("请检查填写的内容。"), **{form_name: form})
    try:
        action(form.cleaned_data)
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ConflictError as exc:
        # Show what is there now (the other person's change), with this user's input kept below.
        try:
            fresh = selectors.assignment_get(user=request.user, pk=a.pk)
        except Assignment.DoesNotExist:
            raise Http404 from exc
        return _render_item(request, fresh, tab=tab, status=409, error=str(exc), conflict=True, **{form_name: form})
    except ServiceError as exc:
        return _render_item(request, a, tab=tab, status=400, error=str(exc), **{form_name: form})
    messages.success(request, success)
    return redirect(next_url(request, item_url(a, tab)))


@login_required
@require_POST
def assignment_progress(request: HttpRequest, pk: int) -> HttpResponse:
    a = scoped_assignment(request, pk)
    return _run(
        request,
        a,
        "progress_form",
        ProgressForm(request.POST),
        lambda d: assignment_services.assignment_update_progress(
            assignment=a, by=request.user, percent=d["percent"], note=d["note"], expected_version=d["version"]
        ),
        _("进展已保存。"),
    )


@login_required
@require_POST
def assignment_start(request: HttpRequest, pk: int) -> HttpResponse:
    a = scoped_assignment(request, pk)
    return _run(
        request,
        a,
        "start_form",
        StartForm(request.POST),
        lambda d: assignment_services.assignment_start(assignment=a, by=request.user, expected_version=d["version"]),
        _("已开始办理。"),
    )


@login_required
@require_POST
def assignment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    a = scoped_assignment(request, pk)
    done = _("已提交牵头单位。") if a.role == Assignment.Role.COOPERATING else _("已提交督查办审核。")
    return _run(
        request,
        a,
        "submit_form",
        SubmitForm(request.POST),
        lambda d: assignment_services.assignment_submit(
            assignment=a, by=request.user, note=d["note"], expected_version=d["version"]
        ),
        done,
    )


@login_required
@require_POST
def assignment_comment(request: HttpRequest, pk: int) -> HttpResponse:
    a = scoped_assignment(request, pk)
    return _run(
        request,
        a,
        "comment_form",
        CommentForm(request.POST),
        lambda d: assignment_services.comment_add(assignment=a, by=request.user, text=d["text"]),
        _("评论已发表。"),
    )


@login_required
@require_POST
def assignment_extension(request: HttpRequest, pk: int) -> HttpResponse:
    a = scoped_assignment(request, pk)
    return _run(
        request,
        a,
        "extension_form",
        ExtensionForm(request.POST),
        lambda d: assignment_services.extension_request_create(
            assignment=a, by=request.user, reason=d["reason"], proposed_date=d["proposed_date"]
        ),
        _("延期申请已提交，等待督查办审批。"),
    )


@login_required
@require_POST
def assignment_evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload one or more files; one bad file stores none (the service checks them all first)."""
    a = scoped_assignment(request, pk)
    count = len(request.FILES.getlist("files"))
    return _run(
        request,
        a,
        "evidence_form",
        EvidenceForm(request.POST, request.FILES),
        lambda d: evidence_upload_many(
            assignment=a, by=request.user, files=[(f.name, read_upload(f)) for f in d["files"]], note=d["note"]
        ),
        _("已上传 %(n)s 份材料。") % {"n": count},
    )


def _returnable(request: HttpRequest, pk: int) -> Assignment:
    """The office returns any item it reads; a lead unit returns its cooperating units' parts."""
    user = request.user
    if permissions.is_administrator(user):
        return scoped_assignment(request, pk)
    try:
        return selectors.assignment_co_part_for_lead(user=user, pk=pk)
    except Assignment.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_POST
def assignment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    a = scoped_assignment(request, pk)
    return _run(
        request,
        a,
        "approve_form",
        ApproveForm(request.POST),
        lambda d: assignment_services.assignment_approve(
            assignment=a, by=request.user, note=d["note"], expected_version=d["version"]
        ),
        _("已审核办结。"),
    )


def _return_co_part(request: HttpRequest, a: Assignment, form: ReturnForm) -> HttpResponse:
    """A lead unit returns a cooperating part: there is no item page of it, so go back to the lead's."""
    lead = selectors.assignment_lead_part(user=request.user, assignment=a)
    back = item_url(lead, "others") if lead else reverse("task_list")
    if not form.is_valid():
        messages.error(request, _("退回时请填写原因。"))
        return redirect(back)
    try:
        assignment_services.assignment_return(
            assignment=a,
            by=request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["version"],
        )
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect(back)
    messages.success(request, _("已退回配合单位。"))
    return redirect(back)


@login_required
@require_POST
def assignment_return(request: HttpRequest, pk: int) -> HttpResponse:
    a = _returnable(request, pk)
    form = ReturnForm(request.POST)
    if not permissions.can_view_assignment(request.user, a):
        return _return_co_part(request, a, form)
    return _run(
        request,
        a,
        "return_form",
        form,
        lambda d: assignment_services.assignment_return(
            assignment=a, by=request.user, reason=d["reason"], expected_version=d["version"]
        ),
        _("已退回。"),
    )


@require_http_methods(["GET", "POST"])
@admin_required
def assignment_reassign(request: HttpRequest, pk: int) -> HttpResponse:
    a = scoped_assignment(request, pk)
    form = ReassignForm(
        request.POST or None,
        initial={"version": a.version, "department": a.department_id},
        departments=selectors.department_list(user=request.user),
    )
    error = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            assignment_services.assignment_reassign(
                assignment=a,
                by=request.user,
                department=form.cleaned_data["department"],
                expected_version=form.cleaned_data["version"],
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc)) from exc
        except ServiceError as exc:
            error, status = str(exc), 409 if isinstance(exc, ConflictError) else 400
        else:
            messages.success(request, _("已改派至 %(d)s。") % {"d": form.cleaned_data["department"].name})
            return redirect(item_url(a, "history"))
    elif request.method == "POST":
        status = 400
    return render(request, "tracking/reassign.html", {"a": a, "form": form, "error": error}, status=status)


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    ev = get_object_or_404(selectors.evidence_list(user=request.user), pk=pk)
    return downloads.evidence_download(ev)


urlpatterns = [
    path("assignments/<int:pk>/", assignment_detail, name="assignment_detail"),
    path("assignments/<int:pk>/start/", assignment_start, name="assignment_start"),
    path("assignments/<int:pk>/progress/", assignment_progress, name="assignment_progress"),
    path("assignments/<int:pk>/evidence/", assignment_evidence, name="assignment_evidence"),
    path("assignments/<int:pk>/submit/", assignment_submit, name="assignment_submit"),
    path("assignments/<int:pk>/comment/", assignment_comment, name="assignment_comment"),
    path("assignments/<int:pk>/extension/", assignment_extension, name="assignment_extension"),
    path("assignments/<int:pk>/approve/", assignment_approve, name="assignment_approve"),
    path("assignments/<int:pk>/return/", assignment_return, name="assignment_return"),
    path("assignments/<int:pk>/reassign/", assignment_reassign, name="assignment_reassign"),
    path("evidence/<int:pk>/download/", evidence_download, name="evidence_download"),
]
