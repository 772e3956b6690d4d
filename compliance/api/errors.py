"""One error format for the whole API: ``{"error": {"code", "message", "details"}}``.

Status codes (the same rule everywhere):

* 400 ``validation_error`` – the request body or query string is invalid (details: per field);
  400 ``rule_violation`` – a business rule refused the change (``ServiceError``).
* 401 ``not_authenticated`` / ``authentication_failed`` – no or bad credentials.
* 403 ``permission_denied`` – the user may see the object (or the endpoint exists for nobody of
  their role) but may not do this.
* 404 ``not_found`` – no such object *or not visible to this user*: a lead never learns whether
  another department's assignment exists (no 403 for objects out of scope).
* 413 ``too_large`` – the request body is over DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB; files are
  uploaded as multipart parts, whose limit is DUBAN_MAX_UPLOAD_BYTES).
* 409 ``conflict`` – the version sent is stale (details: ``current_version``);
  409 ``not_ready`` – a job's file is not built yet.
* 429 ``locked_out`` – too many failed logins (the same lockout as the login page).
* 500 ``server_error`` – unexpected; logged, no internals in the body.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from ..permissions import PermissionDeniedError
from ..services import ConflictError, ServiceError

logger = logging.getLogger(__name__)


class ApiError(exceptions.APIException):
    """An API error with a stable code and optional structured details."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "error"
    default_detail = _("请求无法处理。")

    def __init__(self, message: Any = None, *, code: str | None = None, details: dict | None = None) -> None:
        super().__init__(detail=message if message is not None else self.default_detail, code=code)
        self.error_code = code or self.default_code
        self.details = details or {}


class RuleViolation(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "rule_violation"


class Conflict(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = _("该记录已被他人修改，请刷新后重试。")


class NotReady(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_code = "not_ready"
    default_detail = _("文件尚未生成，请稍后再试。")


class PayloadTooLarge(ApiError):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"


class LockedOut(ApiError):
    """429 with ``Retry-After`` (DRF's handler sends ``wait`` as that header)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_code = "locked_out"
    default_detail = _("登录失败次数过多，账号已暂时锁定，请稍后再试。")

    def __init__(self, message: Any = None, *, wait: int | None = None, details: dict | None = None) -> None:
        super().__init__(message, details=details)
        self.wait = wait


_MESSAGES = {
    "validation_error": _("提交的数据有误，请检查后重试。"),
    "not_found": _("未找到该对象。"),
}


def _translate(exc: Exception) -> Exception:
    """Turn domain and Django exceptions into DRF ones (order matters: ConflictError is a ServiceError)."""
    if isinstance(exc, ConflictError):
        return Conflict(str(exc))
    if isinstance(exc, PermissionDeniedError):
        return exceptions.PermissionDenied(str(exc))
    if isinstance(exc, ServiceError):
        return RuleViolation(str(exc))
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied()
    if isinstance(exc, RequestDataTooBig):
        from ..views.errors import too_large_message

        return PayloadTooLarge(too_large_message())
    if isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        return RuleViolation(_("请求包含的字段或文件过多。"))
    return exc


def error_body(code: str, message: str, details: dict | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": str(message), "details": details or {}}}


def api_exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """REST_FRAMEWORK['EXCEPTION_HANDLER']: every error in the one format."""
    exc = _translate(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        # Not an API exception: a bug. Log it and answer in the same format, without internals.
        view = context.get("view")
        logger.exception("Unhandled error in %s", view.__class__.__name__ if view else "API", exc_info=exc)
        return Response(
            error_body("server_error", _("服务器内部错误，请稍后重试或联系管理员。")),
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    if isinstance(exc, ApiError):
        code, message, details = exc.error_code, str(exc.detail), exc.details
    elif isinstance(exc, exceptions.ValidationError):
        code, message = "validation_error", _MESSAGES["validation_error"]
        detail = exc.detail
        details = detail if isinstance(detail, dict) else {"non_field_errors": detail}
    elif isinstance(exc, exceptions.APIException):
        code = exc.default_code if isinstance(exc.default_code, str) else "error"
        message = _MESSAGES.get(code, str(exc.detail))
        details = {}
    else:  # pragma: no cover - DRF only handles APIException, Http404 and PermissionDenied
        code, message, details = "error", str(exc), {}
    response.data = error_body(code, message, details)
    return response
