"""CAS single sign-on (统一身份认证): ticket validation, user mapping, the login view.

django-cas-ng sends the browser to the CAS server and back; the ticket that comes back is
validated here (``/p3/serviceValidate`` for CAS 3.0, ``/serviceValidate`` for 2.0) with a timeout
and with the server's failure code kept, so the user is told why a login failed. The CAS user
is mapped to a Duban user by 工号: the CAS user name itself, or the attribute named in
``DUBAN_CAS_EMPLOYEE_ID_ATTRIBUTE``. Name, department and e-mail are taken from the attributes
named in ``DUBAN_CAS_ATTRIBUTES`` when the server releases them.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from urllib.parse import urljoin
from xml.etree import ElementTree

import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_cas_ng import views as cas_views

from ..models import User
from ..services.accounts import SsoAttributes, SsoRefused, sso_user_resolve

logger = logging.getLogger(__name__)

CAS_NS = "{http://www.yale.edu/tp/cas}"


def cas_enabled() -> bool:
    return bool(settings.CAS_SERVER_URL)


class CasValidationError(Exception):
    """The CAS server refused the ticket, or could not be asked; ``code`` is the CAS error code."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}".strip(": "))
        self.code = code
        self.detail = detail

    @property
    def message(self) -> str:
        messages = {
            "INVALID_TICKET": _("登录票据无效、已过期或已被使用，请重新登录。"),
            "INVALID_SERVICE": _("登录票据不是为本系统签发的，请重新登录。"),
            "INVALID_REQUEST": _("统一身份认证拒绝了校验请求（缺少票据或服务地址）。"),
            "INTERNAL_ERROR": _("统一身份认证服务器内部错误，请稍后再试。"),
            "UNREACHABLE": _("无法连接统一身份认证服务器，请稍后再试或使用本地账号登录。"),
            "BAD_RESPONSE": _("统一身份认证服务器的回应无法识别，请联系信息化办公室。"),
        }
        return messages.get(self.code, _("统一身份认证拒绝了此次登录（%(code)s）。") % {"code": self.code})


@dataclass
class CasPrincipal:
    """A validated CAS login: the user name and the released attributes (values as lists)."""

    user: str
    attributes: dict[str, list[str]] = field(default_factory=dict)

    def first(self, name: str) -> str:
        values = self.attributes.get(name) or []
        return (values[0] or "").strip() if values else ""


def parse_service_response(body: bytes) -> CasPrincipal:
    """Parse a CAS 2.0/3.0 ``serviceResponse``; raise CasValidationError for a failure."""
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError as exc:
        raise CasValidationError("BAD_RESPONSE", str(exc)) from None
    failure = root.find(f"{CAS_NS}authenticationFailure")
    if failure is not None:
        raise CasValidationError(failure.get("code", "UNKNOWN").strip(), (failure.text or "").strip())
    success = root.find(f"{CAS_NS}authenticationSuccess")
    user = success.find(f"{CAS_NS}user") if success is not None else None
    if user is None or not (user.text or "").strip():
        raise CasValidationError("BAD_RESPONSE", "no cas:user")
    attributes: dict[str, list[str]] = {}
    block = success.find(f"{CAS_NS}attributes")
    for element in block if block is not None else ():
        name = element.tag.removeprefix(CAS_NS)
        attributes.setdefault(name, []).append((element.text or "").strip())
    return CasPrincipal(user=user.text.strip(), attributes=attributes)


def validate_ticket(*, ticket: str, service: str) -> CasPrincipal:
    """Ask the CAS server whether ``ticket`` was issued for ``service``."""
    path = "p3/serviceValidate" if str(settings.CAS_VERSION) == "3" else "serviceValidate"
    url = urljoin(settings.CAS_SERVER_URL.rstrip("/") + "/", path)
    try:
        response = requests.get(
            url,
            params={"ticket": ticket, "service": service},
            timeout=settings.DUBAN_CAS_TIMEOUT_SECONDS,
            verify=settings.CAS_VERIFY_SSL_CERTIFICATE,
        )
    except requests.RequestException as exc:
        raise CasValidationError("UNREACHABLE", str(exc)) from None
    if response.status_code >= 500:
        raise CasValidationError("INTERNAL_ERROR", f"HTTP {response.status_code}")
    return parse_service_response(response.content)


def principal_attributes(principal: CasPrincipal) -> SsoAttributes:
    """The Duban fields carried by a CAS login, by the names in ``DUBAN_CAS_ATTRIBUTES``."""
    names = settings.DUBAN_CAS_ATTRIBUTES
    return SsoAttributes(
        name=principal.first(names.get("name", "")),
        department=principal.first(names.get("department", "")),
        email=principal.first(names.get("email", "")),
        phone=principal.first(names.get("phone", "")),
        title=principal.first(names.get("title", "")),
    )


def principal_employee_id(principal: CasPrincipal) -> str:
    attribute = settings.DUBAN_CAS_EMPLOYEE_ID_ATTRIBUTE
    return principal.first(attribute) if attribute else principal.user


class CasBackend(ModelBackend):
    """Authenticate a CAS ticket (``authenticate(request, ticket=..., service=...)``)."""

    def authenticate(self, request: HttpRequest | None, ticket: str | None = None, service: str | None = None, **kw):
        if not ticket or not service or not cas_enabled():
            return None
        principal = validate_ticket(ticket=ticket, service=service)
        employee_id = principal_employee_id(principal)
        if not employee_id:
            raise SsoRefused(_("统一身份认证没有提供工号，无法确定您在督办中的账号。"))
        user = sso_user_resolve(
            employee_id=employee_id,
            attributes=principal_attributes(principal),
            source=User.Source.CAS,
            create=settings.DUBAN_CAS_CREATE_USERS,
        )
        logger.info("CAS login of %s (工号 %s).", user.username, employee_id)
        return user


def _failure_page(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    return render(request, "registration/sso_failed.html", {"message": message}, status=status)


class CasLoginView(cas_views.LoginView):
    """django-cas-ng's login view; a refused ticket or an unknown 工号 gets a page that says why."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not cas_enabled():
            raise Http404()
        try:
            return super().get(request)
        except CasValidationError as exc:
            logger.warning("CAS ticket validation failed: %s", exc)
            status = 502 if exc.code in ("UNREACHABLE", "INTERNAL_ERROR", "BAD_RESPONSE") else 403
            return _failure_page(request, exc.message, status=status)
        except SsoRefused as exc:
            return _failure_page(request, str(exc), status=403)

    def post(self, request: HttpRequest) -> HttpResponse:
        if not cas_enabled():
            raise Http404()
        return super().post(request)


class CasLogoutView(cas_views.LogoutView):
    """Sign out of Duban and of the CAS server."""

    def get(self, request: HttpRequest) -> HttpResponse:
        if not cas_enabled():
            raise Http404()
        return super().get(request)
