"""Assignments: lists, state changes (each carrying the version the client read), extension requests."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import permissions, selectors, selectors_history
from ..models import Assignment, ExtensionRequest, User
from ..services import ConflictError
from ..services import assignments as assignment_services
from . import serializers as s
from . import serializers_workflow as w
from .common import TodayContextMixin, get_visible, visible_assignment
from .errors import Conflict
from .filters import AssignmentFilter, ExtensionRequestFilter


@extend_schema(tags=["assignments"])
class AssignmentListApi(TodayContextMixin, generics.ListAPIView):
    serializer_class = s.AssignmentApiSerializer
    filterset_class = AssignmentFilter

    def get_queryset(self) -> QuerySet:
        return selectors.assignment_list(user=self.request.user)


@extend_schema(tags=["assignments"])
class AssignmentDetailApi(TodayContextMixin, generics.RetrieveAPIView):
    serializer_class = s.AssignmentApiSerializer

    def get_object(self) -> Any:
        return visible_assignment(self.request, self.kwargs["pk"])


class AssignmentTransitionApi(APIView):
    """Base of the state changes: the body carries the version the client read."""

    api_conflict_responses = True
    input_serializer: type[s.VersionApiSerializer] = s.VersionApiSerializer

    def perform(self, assignment: Assignment, by: User, data: dict[str, Any]) -> Assignment:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        assignment = visible_assignment(request, pk)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            changed = self.perform(assignment, request.user, data.validated_data)
        except ConflictError as exc:
            current = (
                selectors.assignment_list(user=request.user)
                .filter(pk=assignment.pk)
                .values_list("version", flat=True)
                .first()
            )
            raise Conflict(str(exc), details={"current_version": current}) from None
        return Response(s.AssignmentApiSerializer(changed, context={"today": selectors.today()}).data)


def _transition_schema(summary: str, request_serializer: type) -> Any:
    return extend_schema(
        tags=["assignments"],
        request=request_serializer,
        responses={200: s.AssignmentApiSerializer},
        summary=summary,
    )


class AssignmentStartApi(AssignmentTransitionApi):
    @_transition_schema("Start work", s.VersionApiSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, assignment, by, data):
        return assignment_services.assignment_start(assignment=assignment, by=by, expected_version=data["version"])


class AssignmentProgressApi(AssignmentTransitionApi):
    input_serializer = s.ProgressInputApiSerializer

    @_transition_schema("Report progress", s.ProgressInputApiSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, assignment, by, data):
        return assignment_services.assignment_update_progress(
            assignment=assignment,
            by=by,
            percent=data["percent"],
            note=data["note"],
            expected_version=data["version"],
        )


class AssignmentSubmitApi(AssignmentTransitionApi):
    input_serializer = s.NoteInputApiSerializer

    @_transition_schema("Submit for review (department lead)", s.NoteInputApiSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, assignment, by, data):
        return assignment_services.assignment_submit(
            assignment=assignment, by=by, note=data["note"], expected_version=data["version"]
        )


class AssignmentApproveApi(AssignmentTransitionApi):
    input_serializer = s.NoteInputApiSerializer

    @_transition_schema("Approve (close) a submitted item (administrator)", s.NoteInputApiSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, assignment, by, data):
        return assignment_services.assignment_approve(
            assignment=assignment, by=by, note=data["note"], expected_version=data["version"]
        )


class AssignmentReturnApi(AssignmentTransitionApi):
    input_serializer = s.ReturnInputApiSerializer

    @_transition_schema("Return a submitted item with a reason", s.ReturnInputApiSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, assignment, by, data):
        return assignment_services.assignment_return(
            assignment=assignment, by=by, reason=data["reason"], expected_version=data["version"]
        )


class AssignmentReassignApi(AssignmentTransitionApi):
    input_serializer = s.ReassignInputApiSerializer

    @_transition_schema("Move an item to another department (administrator)", s.ReassignInputApiSerializer)
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)

    def perform(self, assignment, by, data):
        permissions.require(permissions.is_administrator(by), _("只有管理员可以改派。"))
        department = selectors.department_list(user=by).filter(pk=data["department"]).first()
        if department is None:
            raise exceptions.ValidationError({"department": [_("部门不存在。")]})
        return assignment_services.assignment_reassign(
            assignment=assignment, by=by, department=department, expected_version=data["version"]
        )


class AssignmentHistoryApi(APIView):
    @extend_schema(
        tags=["assignments"],
        responses={200: w.HistoryEntryApiSerializer(many=True)},
        summary="An item's change history (oldest first)",
        description="Who changed what, when and why: the item page's 操作记录, in the caller's language.",
    )
    def get(self, request: Request, pk: int) -> Response:
        assignment = visible_assignment(request, pk)
        entries = selectors_history.assignment_history(user=request.user, assignment=assignment)
        return Response(w.HistoryEntryApiSerializer(entries, many=True).data)


# --- extension requests ------------------------------------------------------------------------


class AssignmentExtensionRequestsApi(generics.ListAPIView):
    serializer_class = s.ExtensionRequestApiSerializer

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request user or pk
            return ExtensionRequest.objects.none()
        assignment = visible_assignment(self.request, self.kwargs["pk"])
        return selectors.extension_request_list(user=self.request.user, assignment=assignment)

    @extend_schema(tags=["extension requests"], summary="Extension requests of an assignment")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["extension requests"],
        request=s.ExtensionCreateApiSerializer,
        responses={201: s.ExtensionRequestApiSerializer},
        summary="Ask for a later due date",
    )
    def post(self, request: Request, pk: int) -> Response:
        assignment = visible_assignment(request, pk)
        data = s.ExtensionCreateApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        req = assignment_services.extension_request_create(
            assignment=assignment,
            by=request.user,
            reason=data.validated_data["reason"],
            proposed_date=data.validated_data["proposed_date"],
        )
        return Response(s.ExtensionRequestApiSerializer(req).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["extension requests"])
class ExtensionRequestListApi(generics.ListAPIView):
    serializer_class = s.ExtensionRequestApiSerializer
    filterset_class = ExtensionRequestFilter

    def get_queryset(self) -> QuerySet:
        return selectors.extension_request_list(user=self.request.user).select_related("decided_by")


@extend_schema(tags=["extension requests"])
class ExtensionRequestDetailApi(generics.RetrieveAPIView):
    serializer_class = s.ExtensionRequestApiSerializer

    def get_object(self) -> Any:
        return get_visible(selectors.extension_request_list(user=self.request.user), self.kwargs["pk"])


class ExtensionRequestDecideApi(APIView):
    @extend_schema(
        tags=["extension requests"],
        request=s.ExtensionDecideApiSerializer,
        responses={200: s.ExtensionRequestApiSerializer},
        summary="Approve or refuse (administrator)",
    )
    def post(self, request: Request, pk: int) -> Response:
        req = get_visible(selectors.extension_request_list(user=request.user), pk)
        data = s.ExtensionDecideApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = assignment_services.extension_decide(
            request=req, by=request.user, approve=data.validated_data["approve"], note=data.validated_data["note"]
        )
        return Response(s.ExtensionRequestApiSerializer(decided).data)
