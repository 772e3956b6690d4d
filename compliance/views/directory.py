"""The administrator's directory sync page: upload a roster (or read LDAP), check the dry run, run it."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from .. import permissions, selectors_accounts
from ..auth.ldap import ldap_enabled, ldap_roster
from ..models import DirectorySync
from ..parsing.roster import read_roster
from ..parsing.types import ParseError
from ..services import ServiceError
from ..services.directory import (
    FIELD_LABELS,
    directory_sync_discard,
    directory_sync_prepare,
    directory_sync_run,
)

logger = logging.getLogger(__name__)


def _require_admin(request: HttpRequest) -> None:
    if not permissions.is_administrator(request.user):
        raise PermissionDenied(_("只有管理员可以同步人事目录。"))


@login_required
@require_http_methods(["GET", "POST"])
def directory_page(request: HttpRequest) -> HttpResponse:
    """Upload an HR/OA roster; the dry run follows on the sync's own page."""
    _require_admin(request)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is None:
            messages.error(request, _("请选择要导入的花名册文件（.xlsx 或 CSV）。"))
        elif upload.size > settings.DUBAN_MAX_IMPORT_BYTES:
            limit = settings.DUBAN_MAX_IMPORT_BYTES // (1024 * 1024)
            messages.error(request, _("文件超过 %(n)s MB，请拆分后再导入。") % {"n": limit})
        else:
            try:
                roster = read_roster(upload.read(), upload.name)
            except ParseError as exc:
                messages.error(request, _("无法读取花名册：%(e)s") % {"e": exc})
            else:
                sync = directory_sync_prepare(
                    rows=roster.rows,
                    columns=roster.columns,
                    problems=[{"line": line, "message": msg} for line, msg in roster.problems],
                    source=DirectorySync.Source.FILE,
                    file_name=upload.name,
                    by=request.user,
                )
                return redirect("directory_sync", pk=sync.pk)
    return render(
        request,
        "directory/index.html",
        {"syncs": selectors_accounts.directory_sync_list(user=request.user)[:30], "ldap_enabled": ldap_enabled()},
    )


@login_required
@require_POST
def directory_from_ldap(request: HttpRequest) -> HttpResponse:
    """Read everyone from the LDAP directory into a dry run."""
    _require_admin(request)
    if not ldap_enabled():
        messages.error(request, _("尚未配置 LDAP 目录（DUBAN_LDAP_SERVER_URI）。"))
        return redirect("directory")
    try:
        rows = ldap_roster()
    except Exception as exc:  # python-ldap raises its own hierarchy; show what the server said
        logger.warning("Reading the LDAP directory failed.", exc_info=True)
        messages.error(request, _("读取 LDAP 目录失败：%(e)s") % {"e": exc})
        return redirect("directory")
    sync = directory_sync_prepare(
        rows=rows,
        columns=["department", "title", "email", "phone"],
        problems=[],
        source=DirectorySync.Source.LDAP,
        file_name=settings.DUBAN_LDAP_USER_BASE,
        by=request.user,
    )
    return redirect("directory_sync", pk=sync.pk)


@login_required
def directory_sync_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    sync = get_object_or_404(selectors_accounts.directory_sync_list(user=request.user), pk=pk)
    labels = {k: str(v) for k, v in FIELD_LABELS.items()}
    for person in sync.report.get("changed", []):
        for change in person["changes"]:
            change["label"] = labels.get(change["field"], change["field"])
    return render(request, "directory/sync.html", {"sync": sync, "report": sync.report})


@login_required
@require_POST
def directory_sync_apply(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    sync = get_object_or_404(selectors_accounts.directory_sync_list(user=request.user), pk=pk)
    try:
        directory_sync_run(sync=sync, by=request.user, allow_mass_leave=request.POST.get("confirm_mass_leave") == "1")
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("人事目录已同步。离职人员已停用，其部门的未办结事项列在下方，请安排交接。"))
    return redirect("directory_sync", pk=sync.pk)


@login_required
@require_POST
def directory_sync_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    sync = get_object_or_404(selectors_accounts.directory_sync_list(user=request.user), pk=pk)
    directory_sync_discard(sync=sync, by=request.user)
    return redirect("directory")


urlpatterns = [
    path("directory/", directory_page, name="directory"),
    path("directory/ldap/", directory_from_ldap, name="directory_ldap"),
    path("directory/<int:pk>/", directory_sync_detail, name="directory_sync"),
    path("directory/<int:pk>/apply/", directory_sync_apply, name="directory_sync_apply"),
    path("directory/<int:pk>/discard/", directory_sync_cancel, name="directory_sync_discard"),
]
