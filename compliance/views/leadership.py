"""批示 and 催办: a school leader's instructions on items and documents, urges by him or the office.

Each action goes through ``services.leadership`` (which checks the role again); the page the user
came from is shown again with a message.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors
from ..forms import InstructionForm, UrgeForm
from ..services import PermissionDeniedError, ServiceError, leadership
from .common import item_url, next_url, scoped_assignment


def _act(request: HttpRequest, form: Form, action: Callable[[dict], object], done: str, back: str) -> HttpResponse:
    """Run a service for a valid form; its refusal is shown as a message on the page the user came from."""
    if not form.is_valid():
        errors = "；".join(str(e) for field in form.errors.values() for e in field)
        messages.error(request, errors or _("请检查填写的内容。"))
        return redirect(next_url(request, back))
    try:
        action(form.cleaned_data)
    except PermissionDeniedError as exc:
        raise PermissionDenied(str(exc)) from exc
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, done)
    return redirect(next_url(request, back))


@login_required
@require_POST
def assignment_instruction(request: HttpRequest, pk: int) -> HttpResponse:
    a = scoped_assignment(request, pk)
    return _act(
        request,
        InstructionForm(request.POST),
        lambda d: leadership.instruction_add(by=request.user, assignment=a, text=d["text"]),
        _("批示已发出，承办部门和督查办会收到通知。"),
        item_url(a),
    )


@login_required
@require_POST
def assignment_urge(request: HttpRequest, pk: int) -> HttpResponse:
    a = scoped_assignment(request, pk)
    return _act(
        request,
        UrgeForm(request.POST),
        lambda d: leadership.urge_create(by=request.user, department=a.department, assignment=a, note=d["note"]),
        _("已催办 %(d)s。") % {"d": a.department.name},
        item_url(a),
    )


@login_required
@require_POST
def document_instruction(request: HttpRequest, pk: int) -> HttpResponse:
    doc = get_object_or_404(selectors.document_list(user=request.user, archived=None), pk=pk)
    return _act(
        request,
        InstructionForm(request.POST),
        lambda d: leadership.instruction_add(by=request.user, document=doc, text=d["text"]),
        _("批示已发出，督查办和相关部门会收到通知。"),
        reverse("document_detail", args=[doc.pk]),
    )


@login_required
@require_POST
def department_urge(request: HttpRequest, pk: int) -> HttpResponse:
    department = get_object_or_404(selectors.department_list(user=request.user), pk=pk)
    return _act(
        request,
        UrgeForm(request.POST),
        lambda d: leadership.urge_create(by=request.user, department=department, note=d["note"]),
        _("已催办 %(d)s。") % {"d": department.name},
        reverse("home"),
    )


urlpatterns = [
    path("assignments/<int:pk>/instruction/", assignment_instruction, name="assignment_instruction"),
    path("assignments/<int:pk>/urge/", assignment_urge, name="assignment_urge"),
    path("documents/<int:pk>/instruction/", document_instruction, name="document_instruction"),
    path("departments/<int:pk>/urge/", department_urge, name="department_urge"),
]
