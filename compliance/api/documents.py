"""Departments, policy documents (with their requirement tree), imports and requirements."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..models import Requirement
from ..permissions import IsAdministrator
from ..services.documents import document_archive, document_unarchive
from ..services.imports import import_job_confirm, import_job_create, import_job_dispatch
from ..services.jobs import import_job_retry
from ..services.taskbook import taskbook_import
from . import serializers as s
from . import serializers_workflow as w
from .common import get_visible
from .filters import DocumentFilter, RequirementFilter


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


def requirement_tree(rows: list[Requirement]) -> list[dict[str, Any]]:
    """Nest requirements (in document order) under their parents; orphans become roots."""
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
    return roots


class DocumentTreeApi(APIView):
    @extend_schema(tags=["documents"], responses={200: s.RequirementTreeApiSerializer}, summary="Requirement tree")
    def get(self, request: Request, pk: int) -> Response:
        document = get_visible(selectors.document_list(user=request.user), pk)
        rows = list(selectors.requirement_list(user=request.user, document=document).order_by("order", "id"))
        return Response(s.RequirementTreeApiSerializer({"document": document, "nodes": requirement_tree(rows)}).data)


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
        return Response(s.ImportJobApiSerializer(get_visible(selectors.import_job_list(user=request.user), pk)).data)


class ImportJobConfirmApi(APIView):
    permission_classes = (IsAdministrator,)

    @extend_schema(
        tags=["documents"],
        request=s.ImportJobConfirmApiSerializer,
        responses={200: s.ImportJobApiSerializer},
        summary="Confirm a previewed import (stores the chosen documents)",
    )
    def post(self, request: Request, pk: int) -> Response:
        job = get_visible(selectors.import_job_list(user=request.user), pk)
        body = s.ImportJobConfirmApiSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        import_job_confirm(job=job, by=request.user, **body.validated_data)
        job.refresh_from_db()
        return Response(s.ImportJobApiSerializer(job).data)


class ImportJobRetryApi(APIView):
    permission_classes = (IsAdministrator,)

    @extend_schema(
        tags=["documents"],
        request=None,
        responses={200: s.ImportJobApiSerializer},
        summary="Run a failed import job again (its worker died or the queue was down)",
    )
    def post(self, request: Request, pk: int) -> Response:
        job = get_visible(selectors.import_job_list(user=request.user), pk)
        import_job_retry(job=job, by=request.user)
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


class DocumentArchiveApi(APIView):
    """Archive a document (it leaves lists, dashboards and reminders; nothing is deleted)."""

    permission_classes = (IsAdministrator,)
    parser_classes = (JSONParser,)
    archive = True

    @extend_schema(
        tags=["documents"],
        request=w.ArchiveInputApiSerializer,
        responses={200: w.ArchivedDocumentApiSerializer},
        summary="Archive a document (a reason is required)",
    )
    def post(self, request: Request, pk: int) -> Response:
        doc = get_visible(selectors.document_list(user=request.user, archived=None), pk)
        data = w.ArchiveInputApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        change = document_archive if self.archive else document_unarchive
        doc = change(document=doc, by=request.user, reason=data.validated_data["reason"])
        return Response(w.ArchivedDocumentApiSerializer(doc).data)


class DocumentUnarchiveApi(DocumentArchiveApi):
    archive = False

    @extend_schema(
        tags=["documents"],
        request=w.ArchiveInputApiSerializer,
        responses={200: w.ArchivedDocumentApiSerializer},
        summary="Bring an archived document back",
    )
    def post(self, request: Request, pk: int) -> Response:
        return super().post(request, pk)


class TaskbookImportApi(APIView):
    """Import an office's 任务分解表 (.xlsx): documents, requirements and routing, with a row report."""

    permission_classes = (IsAdministrator,)
    parser_classes = (MultiPartParser,)

    @extend_schema(
        tags=["documents"],
        request={"multipart/form-data": w.TaskbookUploadApiSerializer},
        responses={200: w.TaskbookReportApiSerializer},
        summary="Import a 任务分解表 (.xlsx)",
        description="With dry_run nothing is kept; the report says what would happen to each row.",
    )
    def post(self, request: Request) -> Response:
        data = w.TaskbookUploadApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        upload = d["file"]
        if upload.size > settings.DUBAN_MAX_IMPORT_BYTES:
            raise exceptions.ValidationError(
                {"file": [_("文件过大（上限 %(mb)s MB）。") % {"mb": settings.DUBAN_MAX_IMPORT_BYTES // (1024 * 1024)}]}
            )
        document = None
        if d.get("document"):
            document = selectors.document_list(user=request.user).filter(pk=d["document"]).first()
            if document is None:
                raise exceptions.ValidationError({"document": [_("文件不存在。")]})
        report = taskbook_import(
            data=upload.read(), by=request.user, source_name=upload.name or "", document=document, dry_run=d["dry_run"]
        )
        return Response(w.TaskbookReportApiSerializer(report).data)
