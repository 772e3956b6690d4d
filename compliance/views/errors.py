"""The 400 handler: a request body over the limit is a 413 with a message, on pages and in the API."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults


def too_large_message() -> str:
    """What the sender reads when the body is over DATA_UPLOAD_MAX_MEMORY_SIZE (one wording, page and API)."""
    mb = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)
    return _("提交的内容超过 %(mb)s MB 上限，未保存。请缩短内容后重试；文件请用“上传材料”提交。") % {"mb": mb}


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """handler400: Django calls it for SuspiciousOperation, which includes RequestDataTooBig."""
    if isinstance(exception, RequestDataTooBig):
        if request.path.startswith("/api/"):
            body = {"error": {"code": "too_large", "message": too_large_message(), "details": {}}}
            return JsonResponse(body, status=413, json_dumps_params={"ensure_ascii": False})
        return render(request, "413.html", {"detail": too_large_message()}, status=413)
    return defaults.bad_request(request, exception)
