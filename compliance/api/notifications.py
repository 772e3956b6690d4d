"""The caller's own in-app notifications."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..models import Notification
from ..services.notifications import notification_mark_read
from . import serializers as s
from . import serializers_workflow as w
from .common import get_visible
from .filters import NotificationFilter


@extend_schema(tags=["notifications"])
class NotificationListApi(generics.ListAPIView):
    serializer_class = s.NotificationApiSerializer
    filterset_class = NotificationFilter

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return Notification.objects.none()
        return selectors.notification_list(user=self.request.user)


class NotificationReadApi(APIView):
    @extend_schema(
        tags=["notifications"],
        request=None,
        responses={200: s.NotificationApiSerializer},
        summary="Mark one of your notifications as read",
    )
    def post(self, request: Request, pk: int) -> Response:
        notification = get_visible(selectors.notification_list(user=request.user), pk)
        return Response(
            s.NotificationApiSerializer(notification_mark_read(notification=notification, by=request.user)).data
        )


# Marking all as read goes through the per-notification service; cap one request's work (as the page).
READ_ALL_LIMIT = 1000


class NotificationReadAllApi(APIView):
    @extend_schema(
        tags=["notifications"],
        request=None,
        responses={200: w.ReadAllApiSerializer},
        summary="Mark all your notifications as read",
        description=f"At most {READ_ALL_LIMIT} a call; call again while `marked` equals that number.",
    )
    def post(self, request: Request) -> Response:
        unread = list(selectors.notification_list(user=request.user).filter(read_at__isnull=True)[:READ_ALL_LIMIT])
        for note in unread:
            notification_mark_read(notification=note, by=request.user)
        return Response(w.ReadAllApiSerializer({"marked": len(unread)}).data)
