"""Audit workbook jobs: request one, follow it, download it (administrators and auditors)."""

from __future__ import annotations

from django.http import FileResponse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import downloads, selectors
from ..models import JobStatus
from ..permissions import SeesEverything
from ..services.exports import ScopeError, export_job_create, parse_scope
from ..services.jobs import export_job_retry
from . import serializers as s
from .common import AnyAcceptNegotiation, get_visible
from .errors import NotReady
from .schema import file_download


class ExportJobCreateApi(APIView):
    permission_classes = (SeesEverything,)

    @extend_schema(
        tags=["exports"],
        request=s.ExportCreateApiSerializer,
        responses={201: s.ExportJobApiSerializer},
        summary="Request an audit workbook (built in the background)",
    )
    def post(self, request: Request) -> Response:
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
        return Response(s.ExportJobApiSerializer(get_visible(selectors.export_job_list(user=request.user), pk)).data)


class ExportJobRetryApi(APIView):
    permission_classes = (SeesEverything,)

    @extend_schema(
        tags=["exports"],
        request=None,
        responses={200: s.ExportJobApiSerializer},
        summary="Queue a failed export job again",
    )
    def post(self, request: Request, pk: int) -> Response:
        job = export_job_retry(job=get_visible(selectors.export_job_list(user=request.user), pk), by=request.user)
        return Response(s.ExportJobApiSerializer(job).data)


class ExportJobDownloadApi(APIView):
    permission_classes = (SeesEverything,)
    content_negotiation_class = AnyAcceptNegotiation
    api_conflict_responses = True

    @extend_schema(
        tags=["exports"],
        summary="Download the finished workbook",
        **file_download(downloads.XLSX, "The audit workbook"),
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        job = get_visible(selectors.export_job_list(user=request.user), pk)
        if job.status != JobStatus.DONE or not job.file:
            raise NotReady(details={"status": job.status})
        return downloads.file_download(
            job.file, filename=job.file_name or f"audit-{job.pk}.xlsx", content_type=downloads.XLSX
        )
