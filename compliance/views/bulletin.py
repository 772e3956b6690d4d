"""The 督办通报 page (the office): choose the period (or a round) and the closing words, download Word."""

from __future__ import annotations

import datetime as dt
import io

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import selectors, selectors_reports
from ..exports.bulletin import bulletin_bytes, bulletin_filename, collect_bulletin, default_closing
from ..models import PolicyDocument, ReportRound
from .common import admin_required

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _pick(qs, value: str | None):
    if not value or not str(value).isdigit():
        return None
    return qs.filter(pk=int(value)).first()


@admin_required
@require_http_methods(["GET", "POST"])
def bulletin(request: HttpRequest) -> HttpResponse:
    user = request.user
    src = request.POST if request.method == "POST" else request.GET
    today = selectors.today()
    rounds = selectors_reports.round_list(user=user)
    documents = selectors.document_list(user=user).select_related(None).only("id", "title").order_by("-id")
    rnd: ReportRound | None = _pick(rounds, src.get("round"))
    document: PolicyDocument | None = _pick(documents, src.get("document"))
    start = rnd.period_start if rnd else _date(src.get("from")) or today.replace(month=1, day=1)
    end = rnd.period_end if rnd else _date(src.get("to")) or today
    form = {
        "from": start.isoformat(),
        "to": end.isoformat(),
        "round": rnd.pk if rnd else "",
        "document": document.pk if document else "",
        "number": src.get("number", ""),
        "closing": src.get("closing") or default_closing(),
    }
    if request.method == "POST":
        if not rnd and (_date(src.get("from")) is None or _date(src.get("to")) is None):
            messages.error(request, _("请填写通报期间（YYYY-MM-DD）或选择报送轮次。"))
        elif start > end:
            messages.error(request, _("期间开始不能晚于结束。"))
        else:
            data = collect_bulletin(
                user=user,
                start=start,
                end=end,
                document=document,
                rnd=rnd,
                closing=form["closing"][:4000],
                number=form["number"][:100],
            )
            return FileResponse(
                io.BytesIO(bulletin_bytes(data)),
                as_attachment=True,
                filename=bulletin_filename(data),
                content_type=DOCX,
            )
    return render(request, "reports/bulletin.html", {"form": form, "rounds": rounds[:50], "documents": documents})


urlpatterns = [path("bulletin/", bulletin, name="bulletin")]
