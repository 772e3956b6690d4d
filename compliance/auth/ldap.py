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
from django_auth_ldap.backend import LDAPBackend
from django_auth_ldap.config import (
    GroupOfNamesType,
    GroupOfUniqueNamesType,
    LDAPSearch,
    LDAPSettings,
    PosixGroupType,
)

from ..models import User
from ..parsing.roster import RosterRow
from ..services.accounts import SsoAttributes, sso_user_apply

logger = logging.getLogger(__name__)

ROLE_ORDER = (User.Role.ADMINISTRATOR, User.Role.AUDITOR, User.Role.SCHOOL_LEADER)
GROUP_TYPES = {
    "groupOfNames": GroupOfNamesType,
    "groupOfUniqueNames": GroupOfUniqueNamesType,
    "posixGroup": PosixGroupType,
}
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


def ldap_settings() -> LDAPSettings:
    """django-auth-ldap's settings object, built from the DUBAN_LDAP_* settings."""
    import ldap

    config: dict[str, Any] = {
        "SERVER_URI": settings.DUBAN_LDAP_SERVER_URI,
        "BIND_DN": settings.DUBAN_LDAP_BIND_DN,
        "BIND_PASSWORD": settings.DUBAN_LDAP_BIND_PASSWORD,
        "START_TLS": settings.DUBAN_LDAP_START_TLS,
        "USER_SEARCH": LDAPSearch(settings.DUBAN_LDAP_USER_BASE, ldap.SCOPE_SUBTREE, settings.DUBAN_LDAP_USER_FILTER),
        "CONNECTION_OPTIONS": {
            ldap.OPT_NETWORK_TIMEOUT: settings.DUBAN_LDAP_TIMEOUT_SECONDS,
            ldap.OPT_TIMEOUT: settings.DUBAN_LDAP_TIMEOUT_SECONDS,
            ldap.OPT_REFERRALS: 0,
        },
        "ALWAYS_UPDATE_USER": True,
        "NO_NEW_USERS": not settings.DUBAN_LDAP_CREATE_USERS,
        "USER_ATTR_MAP": {},  # attributes are applied by sso_user_apply, with the CAS rules
    }
    if settings.DUBAN_LDAP_GROUP_BASE:
        group_type = GROUP_TYPES.get(settings.DUBAN_LDAP_GROUP_TYPE, GroupOfNamesType)
        config["GROUP_SEARCH"] = LDAPSearch(
            settings.DUBAN_LDAP_GROUP_BASE,
            ldap.SCOPE_SUBTREE,
            f"(objectClass={settings.DUBAN_LDAP_GROUP_TYPE})",
        )
        config["GROUP_TYPE"] = group_type()
    # The prefix matches no setting: every value comes from the defaults given here.
    return LDAPSettings(prefix="DUBAN_LDAP_BUILT_", defaults=config)


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


class DubanLDAPBackend(LDAPBackend):
    """django-auth-ldap, matched by 工号, with Duban's role and attribute rules."""

    @property
    def settings(self) -> LDAPSettings:
        if self._settings is None:
            self._settings = ldap_settings()
        return self._settings

    @settings.setter
    def settings(self, value: LDAPSettings) -> None:
        self._settings = value

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not ldap_enabled() or username is None or password is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_or_build_user(self, username: str, ldap_user) -> tuple[User, bool]:
        employee_id = _first(ldap_user.attrs, attribute_names()["employee_id"])
        user = None
        if employee_id:
            user = User.objects.filter(employee_id=employee_id).first()
        if user is None:
            user = User.objects.filter(username__iexact=username, source=User.Source.LDAP).first()
        if user is not None:
            return user, False
        return User(username=username, employee_id=employee_id, source=User.Source.LDAP), True

    def authenticate_ldap_user(self, ldap_user, password: str):
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is None:
            return None
        if not user.is_active:
            logger.info("LDAP login of deactivated user %s refused.", user.username)
            return None
        names = attribute_names()
        sso_user_apply(
            user=user,
            attributes=SsoAttributes(
                name=_first(ldap_user.attrs, names["name"]),
                department=_first(ldap_user.attrs, names["department"]),
                email=_first(ldap_user.attrs, names["email"]),
                phone=_first(ldap_user.attrs, names["phone"]),
                title=_first(ldap_user.attrs, names["title"]),
            ),
        )
        if settings.DUBAN_LDAP_ROLE_GROUPS:
            role = role_for_groups(set(ldap_user.group_dns))
            if role != user.role:
                logger.info("LDAP groups set the role of %s: %s -> %s.", user.username, user.role, role)
                user.role = role
                user.save(update_fields=["role"])
        return user


def ldap_roster() -> list[RosterRow]:
    """Everyone under ``DUBAN_LDAP_USER_BASE`` matching ``DUBAN_LDAP_SYNC_FILTER``, as roster rows."""
    import ldap
    from ldap.cidict import cidict

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
