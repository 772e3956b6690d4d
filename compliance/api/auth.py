"""API tokens: create (or rotate) and revoke the caller's own token."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, status
from rest_framework.authentication import (
    BasicAuthentication,
    SessionAuthentication,
    TokenAuthentication,
)
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..auth.lockout import current_lock
from ..services.tokens import token_revoke, token_rotate
from . import serializers as s
from . import serializers_workflow as w
from .errors import LockedOut


class TokenApi(APIView):
    """Create (or rotate) and revoke the caller's own API token."""

    # Basic first: an anonymous caller is told (401, WWW-Authenticate) how to authenticate.
    authentication_classes = (BasicAuthentication, SessionAuthentication, TokenAuthentication)
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        # Username and password in the body need no other credentials ({} = anonymous allowed).
        auth=[{"basicAuth": []}, {"cookieAuth": []}, {"tokenAuth": []}, {}],
        request=s.TokenCreateApiSerializer,
        responses={
            200: s.TokenApiSerializer,
            429: OpenApiResponse(s.ErrorApiSerializer, description="Too many failed logins: wait Retry-After seconds"),
        },
        parameters=[
            OpenApiParameter(
                "Retry-After",
                int,
                OpenApiParameter.HEADER,
                response=[429],
                description="Seconds until the login lock ends",
            )
        ],
        summary="Create or rotate your API token",
        description=(
            "Authenticate with a session, HTTP Basic, an existing token, or username and password in the "
            "body. Any previous token of the user stops working."
        ),
    )
    def post(self, request: Request) -> Response:
        user = request.user if request.user.is_authenticated else None
        if user is None:
            given = request.data if isinstance(request.data, dict) else {}
            if not given.get("username") or not given.get("password"):
                raise exceptions.NotAuthenticated()  # no credentials at all: 401, as for any endpoint
            data = s.TokenCreateApiSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            username, password = data.validated_data["username"], data.validated_data["password"]
            # The Django request, so the login lockout (django-axes) counts API attempts too.
            user = authenticate(request._request, username=username, password=password)
            if getattr(request._request, "axes_locked_out", False):
                # Answered here in the API's format rather than as the HTML lockout page.
                request._request.axes_locked_out = False
                lock = current_lock(request._request)
                raise LockedOut(lock.message if lock else None, wait=lock.retry_after if lock else None)
            if user is None or not user.is_active:
                raise exceptions.AuthenticationFailed(_("用户名或密码错误。"))
        token = token_rotate(user=user)
        return Response({"token": token.key, "created": token.created})

    @extend_schema(
        operation_id="auth_token_destroy",
        tags=["auth"],
        request=None,
        responses={204: None},
        summary="Revoke your API token",
    )
    def delete(self, request: Request) -> Response:
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated()
        token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeApi(APIView):
    """Who the caller is: role, departments (with the role in each), departments overseen."""

    @extend_schema(tags=["auth"], responses={200: w.MeApiSerializer}, summary="Who am I")
    def get(self, request: Request) -> Response:
        user = request.user
        me = {
            "id": user.pk,
            "username": user.username,
            "name": str(user),
            "role": user.role,
            "departments": list(selectors.membership_list(user=user).order_by("department__order", "department_id")),
            "overseen_departments": list(selectors.overseen_department_list(user=user)),
        }
        return Response(w.MeApiSerializer(me).data)
