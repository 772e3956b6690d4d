"""REST API views: validate with serializers, read through selectors, change through services.

Visibility rule (see errors.py): an object the user may not read answers 404, exactly like an id
that does not exist; an object the user may read but not change answers 403; an endpoint no
one of the user's role may use (imports, exports for department staff) answers 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypeVar

from django.conf import settings
from django.contrib.auth import authenticate
from django.db.models import Model, QuerySet
from django.http import FileResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import decorators, exceptions, generics, status
from rest_framework.authentication import (
    BasicAuthentication,
    SessionAuthentication,
    TokenAuthentication,
)
from rest_framework.authtoken.models import Token
from rest_framework.negotiation import BaseContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import permissions, selectors
from ..models import (
    Assignment,
    Department,
    Evidence,
    ExportJob,
    ExtensionRequest,
    ImportJob,
    JobStatus,
    Notification,
    ProgressUpdate,
)
from ..services import ConflictError
from ..services import assignments as assignment_services
from ..services.evidence import evidence_upload, read_upload
from ..services.notifications import notification_mark_read
from . import serializers as s
from .errors import Conflict, LockedOut, NotReady
from .filters import (
    AssignmentFilter,
    DocumentFilter,
    ExtensionRequestFilter,
    NotificationFilter,
    RequirementFilter,
)

M = TypeVar("M", bound=Model)
MAX_ID = 2**63 - 1


# --- helpers -----------------------------------------------------------------------------------


def get_visible(qs: QuerySet[M], pk: int) -> M:
    """One object of a user-scoped queryset, or 404 (also for ids beyond the database's range)."""
    if not 0 < pk <= MAX_ID:
        raise exceptions.NotFound()
    try:
        return qs.get(pk=pk)
    except qs.model.DoesNotExist:
        raise exceptions.NotFound() from None


class IsAdministrator(BasePermission):
    """Administrators only; anonymous callers get 401 from DRF, others 403."""

    message = gettext_lazy("只有管理员可以执行此操作。")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return permissions.is_administrator(request.user)


class SeesEverything(BasePermission):
    """Administrators and auditors (the audit workbook covers every department)."""

    message = gettext_lazy("只有管理员和审计人员可以导出审计工作簿。")

    def has_permission(self, request: Request, view: APIView) -> bool:
        return permissions.sees_everything(request.user)


class AnyAcceptNegotiation(BaseContentNegotiation):
    """File downloads answer whatever the client accepts; errors are still rendered as JSON."""

    def select_parser(self, request: Request, parsers: list) -> Any:
        return parsers[0]

    def select_renderer(self, request: Request, renderers: list, format_suffix: str | None = None) -> tuple:
        return renderers[0], renderers[0].media_type


def _file_response(fieldfile: Any, *, filename: str, content_type: str) -> FileResponse:
    try:
        handle = fieldfile.open("rb")
    except (FileNotFoundError, ValueError):
        raise exceptions.NotFound(_("文件已不存在。")) from None
    response = FileResponse(handle, as_attachment=True, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    return response


BINARY_RESPONSE = {
    (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY, description=gettext_lazy("文件内容"))
}


@decorators.api_view(["GET", "POST", "PUT", "PATCH", "DELETE"])
@decorators.permission_classes([AllowAny])
@decorators.authentication_classes([])
@decorators.schema(None)
def api_not_found(request: Request) -> Response:
    """Unknown /api/ paths (and ids that are not numbers) answer in the API's error format."""
    raise exceptions.NotFound()


# --- tokens ------------------------------------------------------------------------------------


class TokenApi(APIView):
    """Create (or rotate) and revoke the caller's own API token."""

    # Basic first: an anonymous caller is told (401, WWW-Authenticate) how to authenticate.
    authentication_classes = (BasicAuthentication, SessionAuthentication, TokenAuthentication)
    permission_classes = (AllowAny,)

    @extend_schema(
        operation_id="auth_token_create",
        tags=["auth"],
        request=s.TokenCreateApiSerializer,
        responses={200: s.TokenApiSerializer, 429: s.ErrorApiSerializer},
        summary="Create or rotate your API token",
        description=(
            "Authenticate with a session, HTTP Basic, an existing token, or username and password in the "
            "body. Any previous token of the user stops working."
        ),
    )
    def post(self, request: Request) -> Response:
        user = request.user if request.user.is_authenticated else None
        if user is None:
            data = s.TokenCreateApiSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            username, password = data.validated_data.get("username"), data.validated_data.get("password")
            if not username or not password:
                raise exceptions.NotAuthenticated()
            # The Django request, so the login lockout (django-axes) counts API attempts too.
            user = authenticate(request._request, username=username, password=password)
            if getattr(request._request, "axes_locked_out", False):
                # Answered here in the API's format rather than as the HTML lockout page.
                request._request.axes_locked_out = False
                raise LockedOut()
            if user is None or not user.is_active:
                raise exceptions.AuthenticationFailed(_("用户名或密码错误。"))
        Token.objects.filter(user=user).delete()
        token = Token.objects.create(user=user)
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
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- departments, documents, requirements ------------------------------------------------------


@extend_schema(tags=["departments"])
class DepartmentListApi(generics.ListAPIView):
    serializer_class = s.DepartmentApiSerializer

    def get_queryset(self) -> QuerySet:
        return selectors.department_list(user=self.request.user).order_by("order", "id")


@extend_schema(tags=["documents"])
class DocumentListApi(generics.ListAPIView):
    serializer_class = s.DocumentApiSerializer
    filterset_class = DocumentFilter

    def get_queryset(self) -> QuerySet:
        return selectors.document_list(user=self.request.user)


@extend_schema(tags=["documents"])
class DocumentDetailApi(generics.RetrieveAPIView):
    serializer_class = s.DocumentDetailApiSerializer

    def get_object(self) -> Any:
        return get_visible(selectors.document_list(user=self.request.user), self.kwargs["pk"])


class DocumentTreeApi(APIView):
    @extend_schema(tags=["documents"], responses={200: s.RequirementTreeApiSerializer}, summary="Requirement tree")
    def get(self, request: Request, pk: int) -> Response:
        document = get_visible(selectors.document_list(user=request.user), pk)
        rows = list(selectors.requirement_list(user=request.user, document=document).order_by("order", "id"))
        nodes: dict[int, dict[str, Any]] = {}
        roots: list[dict[str, Any]] = []
        for r in rows:
            nodes[r.pk] = {
                "id": r.pk,
                "label": r.label,
                "path": r.path,
                "level": r.level,
                "heading": r.heading,
                "text": r.text,
                "is_requirement": r.is_requirement,
                "deadline_date": r.deadline_date,
                "children": [],
            }
        for r in rows:
            parent = nodes.get(r.parent_id) if r.parent_id else None
            (parent["children"] if parent is not None else roots).append(nodes[r.pk])
        return Response(s.RequirementTreeApiSerializer({"document": document, "nodes": roots}).data)


class DocumentImportApi(APIView):
    """Upload a policy file: it is parsed into a preview job (inline for small files)."""

    permission_classes = (IsAdministrator,)
    parser_classes = (MultiPartParser, FormParser)

    @extend_schema(
        tags=["documents"],
        request={"multipart/form-data": s.ImportUploadApiSerializer},
        responses={201: s.ImportJobApiSerializer},
        summary="Import a policy document (creates an import job)",
    )
    def post(self, request: Request) -> Response:
        from ..services.imports import import_job_create, import_job_dispatch

        data = s.ImportUploadApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        # Read one byte past the import limit so the service can refuse an oversized file.
        data_bytes = upload.read(settings.DUBAN_MAX_IMPORT_BYTES + 1)
        job = import_job_create(by=request.user, name=upload.name or "", data=data_bytes)
        import_job_dispatch(job=job)
        job.refresh_from_db()
        return Response(s.ImportJobApiSerializer(job).data, status=status.HTTP_201_CREATED)


class ImportJobDetailApi(APIView):
    permission_classes = (IsAdministrator,)

    @extend_schema(tags=["documents"], responses={200: s.ImportJobApiSerializer}, summary="Import job status")
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.ImportJobApiSerializer(get_visible(ImportJob.objects.all(), pk)).data)


class ImportJobConfirmApi(APIView):
    permission_classes = (IsAdministrator,)

    @extend_schema(
        tags=["documents"],
        request=None,
        responses={200: s.ImportJobApiSerializer},
        summary="Confirm a previewed import (stores the documents)",
    )
    def post(self, request: Request, pk: int) -> Response:
        from ..services.imports import import_job_confirm

        job = get_visible(ImportJob.objects.all(), pk)
        import_job_confirm(job=job, by=request.user)
        job.refresh_from_db()
        return Response(s.ImportJobApiSerializer(job).data)


@extend_schema(tags=["requirements"])
class RequirementListApi(generics.ListAPIView):
    serializer_class = s.RequirementApiSerializer
    filterset_class = RequirementFilter

    def get_queryset(self) -> QuerySet:
        return selectors.requirement_list(user=self.request.user).order_by("document_id", "order", "id")


@extend_schema(tags=["requirements"])
class RequirementDetailApi(generics.RetrieveAPIView):
    serializer_class = s.RequirementApiSerializer

    def get_object(self) -> Any:
        return get_visible(selectors.requirement_list(user=self.request.user), self.kwargs["pk"])


# --- assignments -------------------------------------------------------------------------------


def visible_assignment(request: Request, pk: int) -> Assignment:
    return get_visible(selectors.assignment_list(user=request.user), pk)


class TodayContextMixin:
    def get_serializer_context(self) -> dict[str, Any]:
        context = super().get_serializer_context()  # type: ignore[misc]
        context["today"] = selectors.today()
        return context


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

    def perform(self, assignment: Assignment, by: Any, data: dict[str, Any]) -> Assignment:
        raise NotImplementedError

    def post(self, request: Request, pk: int) -> Response:
        assignment = visible_assignment(request, pk)
        data = self.input_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            changed = self.perform(assignment, request.user, data.validated_data)
        except ConflictError as exc:
            current = Assignment.objects.filter(pk=assignment.pk).values_list("version", flat=True).first()
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
        department = Department.objects.filter(pk=data["department"], is_active=True).first()
        if department is None:
            raise exceptions.ValidationError({"department": [_("部门不存在。")]})
        return assignment_services.assignment_reassign(
            assignment=assignment, by=by, department=department, expected_version=data["version"]
        )


# --- extension requests ------------------------------------------------------------------------


class AssignmentExtensionRequestsApi(generics.ListAPIView):
    serializer_class = s.ExtensionRequestApiSerializer

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):  # schema generation: no request user or pk
            return ExtensionRequest.objects.none()
        assignment = visible_assignment(self.request, self.kwargs["pk"])
        return selectors.extension_request_list(user=self.request.user).filter(assignment=assignment)

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


# --- evidence and comments ---------------------------------------------------------------------


class AssignmentEvidenceApi(generics.ListAPIView):
    serializer_class = s.EvidenceApiSerializer
    parser_classes = (MultiPartParser, FormParser)

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return Evidence.objects.none()
        assignment = visible_assignment(self.request, self.kwargs["pk"])
        return selectors.evidence_list(user=self.request.user, assignment=assignment)

    @extend_schema(tags=["evidence"], summary="Evidence files of an assignment")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["evidence"],
        request={"multipart/form-data": s.EvidenceUploadApiSerializer},
        responses={201: s.EvidenceApiSerializer},
        summary="Upload an evidence file",
    )
    def post(self, request: Request, pk: int) -> Response:
        assignment = visible_assignment(request, pk)
        data = s.EvidenceUploadApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        upload = data.validated_data["file"]
        evidence = evidence_upload(
            assignment=assignment,
            by=request.user,
            name=upload.name or "",
            data=read_upload(upload),
            note=data.validated_data["note"],
        )
        return Response(s.EvidenceApiSerializer(evidence).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["evidence"])
class EvidenceDetailApi(generics.RetrieveAPIView):
    serializer_class = s.EvidenceApiSerializer

    def get_object(self) -> Any:
        return get_visible(selectors.evidence_list(user=self.request.user), self.kwargs["pk"])


class EvidenceDownloadApi(APIView):
    content_negotiation_class = AnyAcceptNegotiation

    @extend_schema(tags=["evidence"], responses=BINARY_RESPONSE, summary="Download an evidence file")
    def get(self, request: Request, pk: int) -> FileResponse:
        evidence = get_visible(selectors.evidence_list(user=request.user), pk)
        return _file_response(
            evidence.file,
            filename=evidence.original_name,
            content_type=evidence.content_type or "application/octet-stream",
        )


class AssignmentCommentsApi(generics.ListAPIView):
    serializer_class = s.CommentApiSerializer

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return ProgressUpdate.objects.none()
        assignment = visible_assignment(self.request, self.kwargs["pk"])
        return assignment.updates.filter(kind=ProgressUpdate.Kind.COMMENT).select_related("author")

    @extend_schema(tags=["comments"], summary="Comments on an assignment")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        tags=["comments"],
        request=s.CommentCreateApiSerializer,
        responses={201: s.CommentApiSerializer},
        summary="Comment on an assignment",
    )
    def post(self, request: Request, pk: int) -> Response:
        assignment = visible_assignment(request, pk)
        data = s.CommentCreateApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment = assignment_services.comment_add(
            assignment=assignment, by=request.user, text=data.validated_data["text"]
        )
        return Response(s.CommentApiSerializer(comment).data, status=status.HTTP_201_CREATED)


# --- notifications -----------------------------------------------------------------------------


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


# --- dashboard ---------------------------------------------------------------------------------


class DashboardApi(APIView):
    @extend_schema(
        tags=["dashboard"],
        parameters=[s.DashboardQueryApiSerializer],
        responses={200: s.DashboardApiSerializer},
        summary="Dashboard figures (scoped to you)",
    )
    def get(self, request: Request) -> Response:
        query = s.DashboardQueryApiSerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        q = query.validated_data
        filters = {k: q.get(k) for k in ("document", "department", "year")}
        data = _dashboard(request.user, filters, q.get("rank_from"), q.get("rank_to"))
        return Response(s.DashboardApiSerializer(data, context={"today": selectors.today()}).data)


def _dashboard(
    user: Any, filters: dict[str, Any], rank_from: dt.date | None, rank_to: dt.date | None
) -> dict[str, Any]:
    """The dashboard selector's figures; totals by status and department if it is not there."""
    try:
        from .. import selectors_dashboard
    except ImportError:
        return _simple_dashboard(user, filters)
    if rank_from and rank_to and rank_from > rank_to:
        rank_from, rank_to = rank_to, rank_from
    d = selectors_dashboard.dashboard(user=user, filters=filters, rank_from=rank_from, rank_to=rank_to)

    def counts(c: Any) -> dict[str, Any]:
        return {**vars(c), "completion_rate": c.completion_rate, "on_time_rate": c.on_time_rate}

    return {
        "today": d.today,
        "totals": counts(d.totals),
        "by_department": [{"id": r.id, "name": r.name, "counts": counts(r.counts)} for r in d.by_department],
        "by_document": [{"id": r.id, "name": r.name, "counts": counts(r.counts)} for r in d.by_document],
        "overdue": d.overdue,
        "due_soon": d.due_soon,
        "completed_by_month": s.month_rows(d.completed_by_month),
        "ranking": [
            {**vars(r), "completion_rate": r.completion_rate, "on_time_rate": r.on_time_rate} for r in d.ranking
        ],
        "rank_from": d.rank_from,
        "rank_to": d.rank_to,
    }


def _simple_dashboard(user: Any, filters: dict[str, Any]) -> dict[str, Any]:  # pragma: no cover - fallback
    from django.db.models import Count, Q

    qs = selectors.assignment_list(user=user, filters=filters).order_by()
    today = selectors.today()
    ann = {"total": Count("id"), **{v: Count("id", filter=Q(status=v)) for v in Assignment.Status.values}}
    rows = []
    for r in qs.values("department_id", "department__name").annotate(**ann).order_by("department_id"):
        by_status = {v: r[v] for v in Assignment.Status.values}
        rows.append(
            {
                "id": r["department_id"],
                "name": r["department__name"],
                "counts": {
                    "total": r["total"],
                    "completed": by_status["completed"],
                    "on_time": 0,
                    "overdue": 0,
                    "due_soon": 0,
                    "not_applicable": by_status["not_applicable"],
                    "by_status": by_status,
                    "completion_rate": None,
                    "on_time_rate": None,
                },
            }
        )
    totals = {
        "total": 0,
        "completed": 0,
        "on_time": 0,
        "overdue": 0,
        "due_soon": 0,
        "not_applicable": 0,
        "by_status": dict.fromkeys(Assignment.Status.values, 0),
        "completion_rate": None,
        "on_time_rate": None,
    }
    for row in rows:
        for k in ("total", "completed", "not_applicable"):
            totals[k] += row["counts"][k]
        for k, v in row["counts"]["by_status"].items():
            totals["by_status"][k] += v
    return {
        "today": today,
        "totals": totals,
        "by_department": rows,
        "by_document": [],
        "overdue": [],
        "due_soon": [],
        "completed_by_month": [],
        "ranking": [],
        "rank_from": None,
        "rank_to": None,
    }


# --- export jobs -------------------------------------------------------------------------------


class ExportJobCreateApi(APIView):
    permission_classes = (SeesEverything,)

    @extend_schema(
        tags=["exports"],
        request=s.ExportCreateApiSerializer,
        responses={201: s.ExportJobApiSerializer},
        summary="Request an audit workbook (built in the background)",
    )
    def post(self, request: Request) -> Response:
        from ..services.exports import ScopeError, export_job_create, parse_scope

        data = s.ExportCreateApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            fields = ("document", "department", "as_of", "include_drafts")
            scope = parse_scope(**{k: data.validated_data.get(k) for k in fields})
        except ScopeError as exc:
            raise exceptions.ValidationError({"non_field_errors": [str(exc)]}) from None
        job = export_job_create(by=request.user, scope=scope)
        return Response(s.ExportJobApiSerializer(job).data, status=status.HTTP_201_CREATED)


class ExportJobDetailApi(APIView):
    permission_classes = (SeesEverything,)

    @extend_schema(tags=["exports"], responses={200: s.ExportJobApiSerializer}, summary="Export job status")
    def get(self, request: Request, pk: int) -> Response:
        return Response(s.ExportJobApiSerializer(get_visible(ExportJob.objects.all(), pk)).data)


class ExportJobDownloadApi(APIView):
    permission_classes = (SeesEverything,)
    content_negotiation_class = AnyAcceptNegotiation
    api_conflict_responses = True

    @extend_schema(tags=["exports"], responses=BINARY_RESPONSE, summary="Download the finished workbook")
    def get(self, request: Request, pk: int) -> FileResponse:
        job = get_visible(ExportJob.objects.all(), pk)
        if job.status != JobStatus.DONE or not job.file:
            raise NotReady(details={"status": job.status})
        return _file_response(
            job.file,
            filename=job.file_name or f"audit-{job.pk}.xlsx",
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
