"""django-auth-ldap, matched by 工号, with Duban's role and attribute rules (the optional LDAP extra).

Imported only when LDAP is configured (``compliance.auth.ldap.DubanLDAPBackend`` delegates here).
"""

from __future__ import annotations

import logging
from typing import Any

import ldap
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
from ..services.accounts import SsoAttributes, sso_user_apply
from .ldap import _first, attribute_names, ldap_enabled, role_for_groups

logger = logging.getLogger(__name__)

GROUP_TYPES = {
    "groupOfNames": GroupOfNamesType,
    "groupOfUniqueNames": GroupOfUniqueNamesType,
    "posixGroup": PosixGroupType,
}


def ldap_settings() -> LDAPSettings:
    """django-auth-ldap's settings object, built from the DUBAN_LDAP_* settings."""
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


class DirectoryLDAPBackend(LDAPBackend):
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
