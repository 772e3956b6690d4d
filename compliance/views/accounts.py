"""Sign-in pages: login, CAS, password reset with rate limits, the office's unlock screen."""

from __future__ import annotations

from axes.helpers import get_client_ip_address
from django import forms
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordResetForm
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .. import permissions, selectors_accounts
from ..auth.cas import CasLoginView, CasLogoutView, cas_enabled
from ..models import PasswordResetRequest
from ..services import ServiceError
from ..services.accounts import login_lock_release, password_reset_admit, password_reset_users, sso_enabled


class LoginView(auth_views.LoginView):
    """Django's login page, with the single sign-on button when CAS is configured."""

    template_name = "registration/login.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cas_enabled"] = cas_enabled()
        return context


class SsoAwarePasswordResetForm(PasswordResetForm):
    """With single sign-on on, only local accounts get a reset e-mail (SSO passwords live elsewhere)."""

    def get_users(self, email):
        return iter(password_reset_users(list(super().get_users(email))))


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset page, limited per client address and per account."""

    form_class = SsoAwarePasswordResetForm
    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_done")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = sso_enabled()
        return context

    def form_valid(self, form):
        outcome = password_reset_admit(email=form.cleaned_data["email"], ip_address=get_client_ip_address(self.request))
        if outcome == PasswordResetRequest.Outcome.LIMITED_ADDRESS:
            form.add_error(None, _("找回密码的请求过于频繁，请 1 小时后再试，或联系督查办重置密码。"))
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = "3600"
            return response
        if outcome == PasswordResetRequest.Outcome.LIMITED_ACCOUNT:
            # The same page as a sent e-mail: the limit must not tell anyone whether the account exists.
            return redirect(self.success_url)
        return super().form_valid(form)


# --- the office's unlock screen ---------------------------------------------------------------


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("解锁原因"),
        max_length=500,
        error_messages={"required": gettext_lazy("请填写解锁原因，它会记入日志。")},
    )


def _require_admin(request: HttpRequest) -> None:
    if not permissions.is_administrator(request.user):
        raise PermissionDenied(_("只有管理员可以查看和解除登录锁定。"))


@login_required
def login_locks(request: HttpRequest) -> HttpResponse:
    """Who is locked out now, since when, from where; and the recent log of locks and unlocks."""
    _require_admin(request)
    return render(
        request,
        "registration/login_locks.html",
        {
            "active": selectors_accounts.login_lock_active(user=request.user),
            "recent": selectors_accounts.login_lock_history(user=request.user)[:100],
            "form": UnlockForm(),
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def login_lock_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    _require_admin(request)
    lock = get_object_or_404(selectors_accounts.login_lock_history(user=request.user), pk=pk)
    form = UnlockForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
        return redirect("login_locks")
    try:
        login_lock_release(lock=lock, by=request.user, reason=form.cleaned_data["reason"])
    except ServiceError as exc:
        messages.error(request, str(exc))
    else:
        who = lock.username or _("所有不存在的用户名")
        messages.success(request, _("已解除 %(who)s 在 %(ip)s 的登录锁定。") % {"who": who, "ip": lock.ip_address})
    return redirect("login_locks")


urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("cas/login/", CasLoginView.as_view(), name="cas_ng_login"),
    path("cas/logout/", CasLogoutView.as_view(), name="cas_ng_logout"),
    path("locks/", login_locks, name="login_locks"),
    path("locks/<int:pk>/unlock/", login_lock_unlock, name="login_lock_unlock"),
]
