"""Tracking pages: 我的任务, item page, evidence download, review, reassign, import, documents,
assignment screen and keyword rules.

Views are thin: every read goes through a selector scoped to the user (another department's
item is a 404), every write through a service (which checks the rule again and refuses a
stale version with a ConflictError). On an error the page is rendered again with the user's
input kept; on success we redirect (post/redirect/get).
"""

from __future__ import annotations

from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import permissions, rules, selectors
from ..forms import (
    AliasMapForm,
    ApproveForm,
    BulkAssignForm,
    CommentForm,
    EvidenceForm,
    ExtensionDecideForm,
    ExtensionForm,
    ImportUploadForm,
    ProgressForm,
    ReassignForm,
    ReturnForm,
    StartForm,
    SubmitForm,
    TaskFilterForm,
)
from ..models import (
    Assignment,
    Department,
    ExtensionRequest,
    ImportJob,
    JobStatus,
    Requirement,
)
from ..services import ConflictError, PermissionDeniedError, ServiceError, routing
from ..services import assignments as assignment_services
from ..services import imports as import_services
from ..services.evidence import (
    ALLOWED_TYPES,
    evidence_upload,
    read_upload,
    sanitize_filename,
    validate_upload,
)

TABS = ("work", "others", "evidence", "history")
SORT_ORDER = {
    "due": [F("due_date").asc(nulls_last=True), "id"],
    "-due": [F("due_date").desc(nulls_last=True), "id"],
    "-updated": ["-updated_at", "-id"],
    "status": ["status", F("due_date").asc(nulls_last=True), "id"],
}


def admin_required(view):
    """Administrators only; everyone else (auditors included) gets 403."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not permissions.is_administrator(request.user):
            raise PermissionDenied(_("只有管理员可以访问此页面。"))
        return view(request, *args, **kwargs)

    return wrapper


def _scoped_assignment(request: HttpRequest, pk: int) -> Assignment:
    return get_object_or_404(selectors.assignment_list(user=request.user), pk=pk)


def _next_url(request: HttpRequest, default: str) -> str:
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if nxt and url_has_allowed_host_and_scheme(
        nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return nxt
    return default


def _item_url(a: Assignment, tab: str = "work") -> str:
    url = reverse("assignment_detail", args=[a.pk])
    return url if tab == "work" else f"{url}?tab={tab}"


# --- 我的任务 -------------------------------------------------------------------------------


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    departments = selectors.department_list(user=user)
    form = TaskFilterForm(request.GET or None, documents=selectors.document_list(user=user), departments=departments)
    filters = form.selector_filters() if request.GET else {}
    qs = selectors.assignment_list(user=user, filters=filters)
    sort = form.cleaned_data.get("sort") if form.is_bound and form.is_valid() else ""
    qs = qs.order_by(*SORT_ORDER.get(sort or "due", SORT_ORDER["due"]))
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    today = selectors.today()
    rows = [(a, rules.warning_level(a, on=today)) for a in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "tracking/task_list.html",
        {
            "form": form,
            "rows": rows,
            "page": page,
            "query": query.urlencode(),
            "show_department": permissions.sees_everything(user) or departments.count() > 1,
        },
    )


# --- Item page ----------------------------------------------------------------------------


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
        "updates": list(a.updates.select_related("author").order_by("-created_at", "-id")),
        "extensions": list(selectors.extension_request_list(user=user).filter(assignment=a)),
        "allowed_types": "、".join(sorted(ALLOWED_TYPES)),
        "max_mb": _max_upload_mb(),
        "progress_form": ProgressForm(initial={"percent": a.progress, "version": a.version}),
        "start_form": StartForm(initial={"version": a.version}),
        "submit_form": SubmitForm(initial={"version": a.version}),
        "evidence_form": EvidenceForm(),
        "comment_form": CommentForm(),
        "extension_form": ExtensionForm(),
        "approve_form": ApproveForm(initial={"version": a.version}),
        "return_form": ReturnForm(initial={"version": a.version}),
    }
    if tab == "history":
        ctx["history"] = selectors.assignment_history(user=user, assignment=a)
    ctx.update(overrides)
    return ctx


def _max_upload_mb() -> int:
    from django.conf import settings

    return settings.DUBAN_MAX_UPLOAD_BYTES // (1024 * 1024)


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
    a = _scoped_assignment(request, pk)
    tab = request.GET.get("tab", "work")
    return _render_item(request, a, tab=tab if tab in TABS else "work")


def _run(
    request: HttpRequest, a: Assignment, form_name: str, form: Any, action, success: str, tab: str = "work"
) -> HttpResponse:
    """Call a service for a valid form; on refusal render the item page again with the input kept."""
    if not form.is_valid():
        return _render_item(request, a, tab=tab, status=400, error=_("请检查填写的内容。"), **{form_name: form})
    try:
        action(form.cleaned_data)
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ConflictError as exc:
        fresh = Assignment.objects.get(pk=a.pk)
        return _render_item(request, fresh, tab=tab, status=409, error=str(exc), conflict=True, **{form_name: form})
    except ServiceError as exc:
        return _render_item(request, a, tab=tab, status=400, error=str(exc), **{form_name: form})
    messages.success(request, success)
    return redirect(_next_url(request, _item_url(a, tab)))


@login_required
@require_POST
def assignment_progress(request: HttpRequest, pk: int) -> HttpResponse:
    a = _scoped_assignment(request, pk)
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
    a = _scoped_assignment(request, pk)
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
    a = _scoped_assignment(request, pk)
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
    a = _scoped_assignment(request, pk)
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
    a = _scoped_assignment(request, pk)
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
    a = _scoped_assignment(request, pk)
    form = EvidenceForm(request.POST, request.FILES)

    def upload(d: dict[str, Any]) -> None:
        if not permissions.can_edit_assignment(request.user, a):
            raise PermissionDeniedError(_("您无权为其他部门的事项上传材料。"))
        # Check every file first: one bad file stores none, so the user can fix and resend all.
        files = [(f.name, read_upload(f)) for f in d["files"]]
        errors = []
        for name, data in files:
            try:
                validate_upload(name=name, data=data)
            except ServiceError as exc:
                errors.append(str(exc))
        if errors:
            raise ServiceError(" ".join(errors))
        for name, data in files:
            evidence_upload(assignment=a, by=request.user, name=name, data=data, note=d["note"])

    count = len(request.FILES.getlist("files"))
    return _run(request, a, "evidence_form", form, upload, _("已上传 %(n)s 份材料。") % {"n": count})


def _returnable(request: HttpRequest, pk: int) -> Assignment:
    """The office returns any item it reads; a lead unit returns its cooperating units' parts."""
    user = request.user
    if permissions.is_administrator(user):
        return _scoped_assignment(request, pk)
    try:
        return selectors.assignment_co_part_for_lead(user=user, pk=pk)
    except Assignment.DoesNotExist as exc:
        raise Http404 from exc


@login_required
@require_POST
def assignment_approve(request: HttpRequest, pk: int) -> HttpResponse:
    a = _scoped_assignment(request, pk)
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


@login_required
@require_POST
def assignment_return(request: HttpRequest, pk: int) -> HttpResponse:
    a = _returnable(request, pk)
    form = ReturnForm(request.POST)
    if not permissions.can_view_assignment(request.user, a):
        # A lead unit returning a cooperating part: there is no item page of it to show.
        lead = a.requirement.assignments.filter(role=Assignment.Role.LEAD, period=a.period).first()
        back = _item_url(lead, "others") if lead else reverse("task_list")
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
    a = _scoped_assignment(request, pk)
    form = ReassignForm(request.POST or None, initial={"version": a.version, "department": a.department_id})
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
            return redirect(_item_url(a, "history"))
    elif request.method == "POST":
        status = 400
    return render(request, "tracking/reassign.html", {"a": a, "form": form, "error": error}, status=status)


# --- Evidence download ------------------------------------------------------------------------


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    ev = get_object_or_404(selectors.evidence_list(user=request.user), pk=pk)
    try:
        fh = ev.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("文件不存在。")) from exc
    known = {m for types in ALLOWED_TYPES.values() for m in types}
    content_type = ev.content_type if ev.content_type in known else "application/octet-stream"
    # Always an attachment, never rendered inline; Django encodes the (sanitised) name per RFC 6266.
    response = FileResponse(
        fh, as_attachment=True, filename=sanitize_filename(ev.original_name), content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# --- Review (督查办) ---------------------------------------------------------------------------


@login_required
def review(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not permissions.sees_everything(user):
        raise PermissionDenied(_("只有管理员和审计人员可以查看审核队列。"))
    queue = selectors.assignment_list(user=user, filters={"status": Assignment.Status.SUBMITTED, "role": "lead"})
    queue = queue.order_by("submitted_at", "id")
    extensions = (
        selectors.extension_request_list(user=user)
        .filter(status=ExtensionRequest.Status.PENDING)
        .order_by("created_at")
    )
    return render(
        request,
        "tracking/review.html",
        {
            "queue": queue,
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
    return redirect(_next_url(request, reverse("review")))


# --- Import -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@admin_required
def import_upload(request: HttpRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        from django.conf import settings

        data = upload.read(settings.DUBAN_MAX_IMPORT_BYTES + 1)
        try:
            job = import_services.import_job_create(by=request.user, name=upload.name, data=data)
        except ServiceError as exc:
            form.add_error("file", str(exc))
        else:
            how = import_services.import_job_dispatch(job=job)
            if how == "queued":
                messages.info(request, _("文件较大，正在后台解析，完成后自动显示预览。"))
            return redirect("import_job", job_id=job.pk)
    jobs = ImportJob.objects.select_related("created_by")[:10]
    return render(
        request, "tracking/import_upload.html", {"form": form, "jobs": jobs}, status=400 if form.errors else 200
    )


@admin_required
def import_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=job_id)
    running = job.status in (JobStatus.PENDING, JobStatus.RUNNING)
    if request.GET.get("fragment") == "progress":
        response = render(request, "tracking/_import_progress.html", {"job": job, "running": running})
        if not running:
            # The preview needs the whole page: tell htmx to reload it.
            response["HX-Refresh"] = "true"
        return response
    docs = job.result.get("documents", []) if job.status == JobStatus.DONE else []
    return render(
        request,
        "tracking/import_job.html",
        {
            "job": job,
            "running": running,
            "documents": docs,
            "stage": job.result.get("stage"),
            "report": job.result.get("report", []),
            "warnings": job.result.get("warnings", []),
            "skipped": job.result.get("skipped", []),
            "uncertain": job.result.get("uncertain", []),
        },
    )


@require_POST
@admin_required
def import_confirm(request: HttpRequest, job_id: int) -> HttpResponse:
    job = get_object_or_404(ImportJob, pk=job_id)
    try:
        how = import_services.import_job_confirm(job=job, by=request.user)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        if how == "queued":
            messages.info(request, _("正在后台导入，请稍候。"))
        elif how == "inline":
            messages.success(request, _("导入完成。"))
    return redirect("import_job", job_id=job.pk)


# --- Documents and the assignment screen ---------------------------------------------------------


@login_required
def document_list(request: HttpRequest) -> HttpResponse:
    docs = selectors.document_list(user=request.user)
    return render(
        request,
        "tracking/document_list.html",
        {
            "documents": docs,
            "is_admin": permissions.is_administrator(request.user),
        },
    )


@login_required
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    doc = get_object_or_404(selectors.document_list(user=user), pk=pk)
    visible = selectors.assignment_list(user=user).select_related(None).select_related("department")
    reqs = (
        Requirement.objects.filter(document=doc)
        .order_by("order")
        .prefetch_related(
            Prefetch("assignments", queryset=visible.order_by("role", "id"), to_attr="visible_assignments")
        )
    )
    return render(
        request,
        "tracking/document_detail.html",
        {
            "doc": doc,
            "requirements": reqs,
            "is_admin": permissions.is_administrator(user),
        },
    )


def _assign_rows(doc) -> tuple[list[dict[str, Any]], routing.DepartmentDirectory]:
    directory = routing.DepartmentDirectory()
    reqs = (
        doc.requirements.select_related("school_leader")
        .prefetch_related(
            Prefetch("assignments", queryset=Assignment.objects.select_related("department").order_by("role", "id"))
        )
        .order_by("order")
    )
    rows = []
    for req in reqs:
        prop = routing.propose(req, directory) if req.is_requirement else routing.Proposal()
        leader = req.school_leader or next((d.school_leader for d in prop.lead if d.school_leader), None)
        rows.append({"req": req, "proposal": prop, "leader": leader, "assigned": list(req.assignments.all())})
    return rows, directory


@require_http_methods(["GET", "POST"])
@admin_required
def document_assign(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_object_or_404(selectors.document_list(user=request.user), pk=pk)
    tracked_ids = list(doc.requirements.filter(is_requirement=True).values_list("pk", flat=True))
    form = BulkAssignForm(request.POST or None, requirement_ids=tracked_ids)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            d = form.cleaned_data
            action = d["action"]
            kwargs: dict[str, Any] = {}
            if action == "lead":
                kwargs["lead"] = d["lead"]
            elif action == "co":
                kwargs["co"] = list(d["co"])
            elif action == "deadline":
                kwargs["deadline"] = d["deadline"]
            elif action == "leader":
                kwargs["school_leader"] = d["leader"]
            else:
                kwargs["not_applicable"] = action == "na"
            try:
                outcome = routing.requirements_bulk_update(
                    document=doc, requirement_ids=d["requirements"], by=request.user, **kwargs
                )
            except PermissionDeniedError as exc:
                raise PermissionDenied(str(exc)) from exc
            except ServiceError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(request, _("已更新 %(n)s 条。") % {"n": outcome.changed})
                for problem in outcome.problems:
                    messages.warning(request, problem)
                return redirect("document_assign", pk=doc.pk)
        status = 400
    rows, directory = _assign_rows(doc)
    unmatched = routing.unmatched_names(document=doc, directory=directory)
    tracked = [r for r in rows if r["req"].is_requirement and not r["req"].not_applicable]
    return render(
        request,
        "tracking/document_assign.html",
        {
            "doc": doc,
            "rows": rows,
            "form": form,
            "unmatched": unmatched,
            "departments": Department.objects.filter(is_active=True),
            "without_lead": sum(1 for r in tracked if not r["proposal"].lead),
            "tracked_count": len(tracked),
        },
        status=status,
    )


@require_POST
@admin_required
def document_alias(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_object_or_404(selectors.document_list(user=request.user), pk=pk)
    form = AliasMapForm(request.POST)
    if form.is_valid():
        routing.alias_remember(
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
        created = routing.document_publish(document=doc, by=request.user)
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("document_assign", pk=doc.pk)
    messages.success(request, _("已发布，新建任务 %(n)s 项。") % {"n": created})
    return redirect("document_detail", pk=doc.pk)


# --- Keyword rules ---------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@admin_required
def department_rules(request: HttpRequest) -> HttpResponse:
    departments = list(Department.objects.filter(is_active=True))
    errors: dict[int, str] = {}
    if request.method == "POST":
        changed = 0
        for d in departments:
            kw = request.POST.get(f"keywords-{d.pk}")
            al = request.POST.get(f"aliases-{d.pk}")
            if kw is None and al is None:
                continue
            try:
                changed += routing.department_rules_update(
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
    path("tasks/", task_list, name="task_list"),
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
    path("review/", review, name="review"),
    path("review/extensions/<int:pk>/decide/", extension_decide, name="extension_decide"),
    path("import/", import_upload, name="import_upload"),
    path("import/<int:job_id>/", import_job, name="import_job"),
    path("import/<int:job_id>/confirm/", import_confirm, name="import_confirm"),
    path("documents/", document_list, name="document_list"),
    path("documents/<int:pk>/", document_detail, name="document_detail"),
    path("documents/<int:pk>/assign/", document_assign, name="document_assign"),
    path("documents/<int:pk>/assign/alias/", document_alias, name="document_alias"),
    path("documents/<int:pk>/publish/", document_publish, name="document_publish"),
    path("departments/rules/", department_rules, name="department_rules"),
]
