"""Department scores (年度督办考核): every score with the rule and how it was reached."""

from __future__ import annotations

import datetime as dt
import tempfile
from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import permissions, selectors, selectors_scores
from ..exports.progress import build_scores_workbook
from ..services import ServiceError
from ..services.scores import scoring_rule_update
from .common import admin_required


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    today = selectors.today()

    def parse(name: str, default: dt.date) -> dt.date:
        try:
            return dt.date.fromisoformat(request.GET.get(name) or "") or default
        except ValueError:
            return default

    start, end = parse("from", today.replace(month=1, day=1)), parse("to", today)
    return (start, end) if start <= end else (end, start)


@login_required
def scores_page(request: HttpRequest) -> HttpResponse:
    start, end = _period(request)
    rule = selectors_scores.scoring_rule_current()
    return render(
        request,
        "scores/index.html",
        {
            "rows": selectors_scores.department_scores(user=request.user, start=start, end=end, rule=rule),
            "rule": rule,
            "rule_text": selectors_scores.scoring_rule_text(rule),
            "start": start,
            "end": end,
            "sees_all": selectors_scores.sees_all_scores(request.user),
            "is_admin": permissions.is_administrator(request.user),
            "weights": selectors_scores.WEIGHTS,
        },
    )


@require_POST
@admin_required
def scoring_rule_edit(request: HttpRequest) -> HttpResponse:
    try:
        weights = {k: Decimal(request.POST.get(k, "")) for k in selectors_scores.WEIGHTS}
    except InvalidOperation:
        messages.error(request, _("权重应为数字。"))
        return redirect("scores")
    try:
        scoring_rule_update(by=request.user, **weights)
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("评分规则已更新。"))
    return redirect("scores")


@login_required
def scores_export(request: HttpRequest) -> FileResponse:
    start, end = _period(request)
    rule = selectors_scores.scoring_rule_current()
    wb = build_scores_workbook(
        scores=selectors_scores.department_scores(user=request.user, start=start, end=end, rule=rule),
        rule=rule,
        start=start,
        end=end,
    )
    tmp = tempfile.TemporaryFile()
    wb.save(tmp)
    tmp.seek(0)
    name = _("部门督办考核得分") + f"-{start.isoformat()}-{end.isoformat()}.xlsx"
    return FileResponse(
        tmp,
        as_attachment=True,
        filename=name,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


urlpatterns = [
    path("scores/", scores_page, name="scores"),
    path("scores/rule/", scoring_rule_edit, name="scoring_rule_edit"),
    path("scores/export/", scores_export, name="scores_export"),
]
