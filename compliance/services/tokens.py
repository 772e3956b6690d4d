"""API tokens: each user has at most one; creating a new one revokes the old one."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token

from .. import permissions
from ..models import User


def token_rotate(*, user: User) -> Token:
    """Give the user a new API token; any previous token of theirs stops working at once."""
    permissions.require(bool(user.is_authenticated and user.is_active), _("停用的账号不能获取令牌。"))
    with transaction.atomic():
        Token.objects.filter(user=user).delete()
        return Token.objects.create(user=user)


def token_revoke(*, user: User) -> bool:
    """Delete the user's API token; return whether there was one."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    return bool(deleted)
