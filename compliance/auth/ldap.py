"""LDAP sign-in (django-auth-ldap) and the LDAP side of the directory sync.

Configured by ``DUBAN_LDAP_*`` settings (off while ``DUBAN_LDAP_SERVER_URI`` is empty). A person
signs in with their LDAP user name and password: the backend searches the user under
``DUBAN_LDAP_USER_BASE``, binds as them, maps them to a Duban user by 工号 (the attribute named
``employee_id`` in ``DUBAN_LDAP_ATTRIBUTES``), copies name, e-mail, phone and title, and sets the
role from group membership (``DUBAN_LDAP_ROLE_GROUPS``: role → group DN; the first match of
admin, auditor, leader wins, no match is department staff).
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.backends import BaseBackend
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext as _

from ..models import User
from ..parsing.roster import RosterRow

logger = logging.getLogger(__name__)

ROLE_ORDER = (User.Role.ADMINISTRATOR, User.Role.AUDITOR, User.Role.SCHOOL_LEADER)
LDAP_EXTRA = "pip install -r requirements-ldap.txt (needs the Debian packages libldap2-dev libsasl2-dev)"
DEFAULT_ATTRIBUTES = {
    "employee_id": "employeeNumber",
    "name": "cn",
    "email": "mail",
    "phone": "mobile",
    "title": "title",
    "department": "ou",
}


def ldap_enabled() -> bool:
    return bool(settings.DUBAN_LDAP_SERVER_URI)


def attribute_names() -> dict[str, str]:
    return {**DEFAULT_ATTRIBUTES, **settings.DUBAN_LDAP_ATTRIBUTES}


def _first(attrs: Any, name: str) -> str:
    if not name or attrs is None:
        return ""
    values = attrs.get(name) or []
    return str(values[0]).strip() if values else ""


def role_for_groups(group_dns: set[str]) -> str:
    """The Duban role for a set of (lower-cased) group DNs, by ``DUBAN_LDAP_ROLE_GROUPS``."""
    mapping = {role: dn.lower() for role, dn in settings.DUBAN_LDAP_ROLE_GROUPS.items() if dn}
    for role in ROLE_ORDER:
        if mapping.get(role) and mapping[role] in group_dns:
            return role
    return User.Role.STAFF


class DubanLDAPBackend(BaseBackend):
    """Sign-in against LDAP, answering only when ``DUBAN_LDAP_SERVER_URI`` is set.

    The work is done by django-auth-ldap (``ldap_backend.DirectoryLDAPBackend``), an optional extra
    imported only when LDAP is configured, so a machine without the LDAP libraries runs everything
    else.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not ldap_enabled() or username is None or password is None:
            return None
        return directory_backend().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        user = User.objects.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None


def directory_backend():
    """The django-auth-ldap backend; a clear error when the LDAP extra is not installed."""
    try:
        from .ldap_backend import DirectoryLDAPBackend
    except ImportError as exc:
        raise ImproperlyConfigured(_("已配置 LDAP，但未安装 LDAP 组件：%(cmd)s") % {"cmd": LDAP_EXTRA}) from exc
    return DirectoryLDAPBackend()


def ldap_roster() -> list[RosterRow]:
    """Everyone under ``DUBAN_LDAP_USER_BASE`` matching ``DUBAN_LDAP_SYNC_FILTER``, as roster rows."""
    try:
        import ldap
        from ldap.cidict import cidict
    except ImportError as exc:
        raise ImproperlyConfigured(_("已配置 LDAP，但未安装 LDAP 组件：%(cmd)s") % {"cmd": LDAP_EXTRA}) from exc

    names = attribute_names()
    conn = ldap.initialize(settings.DUBAN_LDAP_SERVER_URI)
    conn.set_option(ldap.OPT_NETWORK_TIMEOUT, settings.DUBAN_LDAP_TIMEOUT_SECONDS)
    conn.set_option(ldap.OPT_REFERRALS, 0)
    try:
        if settings.DUBAN_LDAP_START_TLS:
            conn.start_tls_s()
        conn.simple_bind_s(settings.DUBAN_LDAP_BIND_DN, settings.DUBAN_LDAP_BIND_PASSWORD)
        wanted = [a for a in dict.fromkeys(names.values()) if a]
        found = conn.search_s(
            settings.DUBAN_LDAP_USER_BASE, ldap.SCOPE_SUBTREE, settings.DUBAN_LDAP_SYNC_FILTER, wanted
        )
    finally:
        conn.unbind_s()
    rows = []
    for line, (dn, raw) in enumerate(found, start=1):
        if dn is None:
            continue  # a referral
        attrs = cidict({k: [v.decode("utf-8", errors="replace") for v in vals] for k, vals in raw.items()})
        employee_id = _first(attrs, names["employee_id"])
        name = _first(attrs, names["name"])
        if not employee_id or not name:
            continue
        department = _first(attrs, names["department"])
        rows.append(
            RosterRow(
                line=line,
                employee_id=employee_id,
                name=name,
                departments=[department] if department else [],
                title=_first(attrs, names["title"]),
                email=_first(attrs, names["email"]),
                phone=_first(attrs, names["phone"]),
            )
        )
    return rows
