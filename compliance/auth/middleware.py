"""Turn a login that waited too long for a hashing slot into a "busy, try again" page."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .hashers import PasswordCheckBusy


class LoginBusyMiddleware:
    """503 with ``Retry-After`` instead of a server error when every hashing slot stayed busy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, PasswordCheckBusy):
            return None
        response = render(request, "registration/login_busy.html", {"message": exception.detail}, status=503)
        response["Retry-After"] = str(exception.wait)
        return response
