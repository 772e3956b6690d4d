"""Reporting rounds (定期报送): the office opens rounds and follows who has reported; departments
fill their reports (drafts), submit them (then locked); the round exports as a 进展汇总表."""

from __future__ import annotations

import datetime as dt
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import permissions, rules, selectors, selectors_reports, selectors_scores
from ..exports.progress import build_progress_workbook, progress_filename
from ..models import ProgressReport, ReportRound, ReportSchedule
from ..services import PermissionDeniedError, ServiceError
from ..services import reports as report_services
from .common import admin_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _documents(request: HttpRequest) -> list:
    ids = [int(x) for x in request.POST.getlist("documents") if x.isdigit()]
    return list(selectors.document_list(user=request.user).filter(pk__in=ids)) if ids else []


@login_required
def round_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    today = selectors.today()
    return render(
        request,
        "reports/round_list.html",
        {
            "rounds": selectors_reports.round_list(user=user),
            "schedules": selectors_reports.schedule_list(user=user),
            "my_reports": selectors_reports.report_list(user=user)
            .filter(status=ProgressReport.Status.DRAFT, round__status=ReportRound.Status.OPEN)
            .filter(department_id__in=permissions.editable_department_ids(user)),
            "is_admin": permissions.is_administrator(user),
            "documents": selectors.document_list(user=user).select_related(None).only("id", "title").order_by("-id"),
            "recurrences": ReportSchedule.Recurrence.choices,
            "default_start": today.replace(day=1).isoformat(),
            "default_period": f"{today.year}-{today.month:02d}",
        },
    )


@require_POST
@admin_required
def round_open(request: HttpRequest) -> HttpResponse:
    p = request.POST
    start, end, due = _date(p.get("period_start")), _date(p.get("period_end")), _date(p.get("due_date"))
    if not (start and end and due):
        messages.error(request, _("请填写期间开始、结束和报送截止日期（YYYY-MM-DD）。"))
        return redirect("report_rounds")
    try:
        rnd = report_services.round_open(
            by=request.user,
            title=p.get("title", ""),
            period=p.get("period", ""),
            period_start=start,
            period_end=end,
            due_date=due,
            documents=_documents(request),
        )
    except ServiceError as exc:
        messages.error(request, str(exc))
        return redirect("report_rounds")
    messages.success(request, _("已发起报送“%(t)s”。") % {"t": rnd.title})
    return redirect("report_round", pk=rnd.pk)


@require_POST
@admin_required
def schedule_create(request: HttpRequest) -> HttpResponse:
    p = request.POST
    try:
        report_services.schedule_create(
            by=request.user,
            name=p.get("name", ""),
            recurrence=p.get("recurrence", ""),
            due_day=int(p.get("due_day") or 0),
            documents=_documents(request),
        )
    except (ServiceError, ValueError) as exc:
        messages.error(request, str(exc) if isinstance(exc, ServiceError) else _("报送截止日应在 1 到 31 之间。"))
    else:
        messages.success(request, _("已设置定期报送，每期开始时自动发起。"))
    return redirect("report_rounds")


@require_POST
@admin_required
def schedule_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    schedule = get_object_or_404(selectors_reports.schedule_list(user=request.user), pk=pk)
    report_services.schedule_set_active(schedule=schedule, by=request.user, active=not schedule.is_active)
    return redirect("report_rounds")


def _round_context(request: HttpRequest, rnd: ReportRound) -> dict:
    return {
        "round": rnd,
        "progress": selectors_reports.round_progress(user=request.user, rnd=rnd),
        "is_admin": permissions.is_administrator(request.user),
    }


@login_required
def round_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_object_or_404(selectors_reports.round_list(user=request.user), pk=pk)
    today = selectors.today()
    reports = list(selectors_reports.report_list(user=request.user, rnd=rnd).prefetch_related("evidence"))
    for r in reports:
        r.late = rules.report_is_late(r, today)
    editable = permissions.editable_department_ids(request.user)
    context = {**_round_context(request, rnd), "reports": reports, "editable": editable}
    return render(request, "reports/round_detail.html", context)


@login_required
def round_progress(request: HttpRequest, pk: int) -> HttpResponse:
    """The live who-has-reported table (the round page reloads it every 30 seconds)."""
    rnd = get_object_or_404(selectors_reports.round_list(user=request.user), pk=pk)
    return render(request, "reports/_progress.html", _round_context(request, rnd))


@require_POST
@admin_required
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    rnd = get_object_or_404(selectors_reports.round_list(user=request.user), pk=pk)
    report_services.round_close(rnd=rnd, by=request.user)
    messages.success(request, _("本轮报送已结束。"))
    return redirect("report_round", pk=pk)


def progress_workbook_response(request: HttpRequest, rnd: ReportRound) -> FileResponse:
    today = selectors.today()
    rule = selectors_scores.scoring_rule_current()
    wb = build_progress_workbook(
        rnd=rnd,
        reports=list(selectors_reports.report_list(user=request.user, rnd=rnd).prefetch_related("evidence")),
        progress=selectors_reports.round_progress(user=request.user, rnd=rnd),
        scores=selectors_scores.department_scores(
            user=request.user, start=rnd.period_start, end=rnd.period_end, rule=rule
        ),
        rule=rule,
        today=today,
    )
    tmp = tempfile.TemporaryFile()
    wb.save(tmp)
    tmp.seek(0)
    return FileResponse(tmp, as_attachment=True, filename=progress_filename(rnd), content_type=XLSX)


@login_required
def round_export(request: HttpRequest, pk: int) -> FileResponse:
    """The 进展汇总表: the office and auditors (every department), a department (its own rows)."""
    rnd = get_object_or_404(selectors_reports.round_list(user=request.user), pk=pk)
    return progress_workbook_response(request, rnd)


@login_required
@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(selectors_reports.report_list(user=request.user), pk=pk)
    if request.method == "POST":
        p = request.POST
        files = [(f.name, f.read()) for f in request.FILES.getlist("files")]
        try:
            report = report_services.report_save(
                report=report,
                by=request.user,
                progress_text=p.get("progress_text", ""),
                percent=p.get("percent") or 0,
                problems=p.get("problems", ""),
                next_steps=p.get("next_steps", ""),
                files=files,
                submit=p.get("action") == "submit",
            )
        except PermissionDeniedError as exc:
            raise PermissionDenied(str(exc)) from exc
        except ServiceError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(
                request, _("已提交，报送内容已锁定。") if report.status == "submitted" else _("草稿已保存。")
            )
            return redirect("report_edit", pk=report.pk)
    can_edit = (
        report.department_id in permissions.editable_department_ids(request.user)
        and report.status == ProgressReport.Status.DRAFT
        and report.round.status == ReportRound.Status.OPEN
    )
    return render(
        request,
        "reports/report_edit.html",
        {
            "report": report,
            "can_edit": can_edit,
            "late": rules.report_is_late(report, selectors.today()),
            "form": request.POST if request.method == "POST" else None,
        },
    )


urlpatterns = [
    path("reports/", round_list, name="report_rounds"),
    path("reports/open/", round_open, name="report_round_open"),
    path("reports/schedules/", schedule_create, name="report_schedule_create"),
    path("reports/schedules/<int:pk>/toggle/", schedule_toggle, name="report_schedule_toggle"),
    path("reports/<int:pk>/", round_detail, name="report_round"),
    path("reports/<int:pk>/progress/", round_progress, name="report_round_progress"),
    path("reports/<int:pk>/close/", round_close, name="report_round_close"),
    path("reports/<int:pk>/export/", round_export, name="report_round_export"),
    path("reports/items/<int:pk>/", report_edit, name="report_edit"),
]
