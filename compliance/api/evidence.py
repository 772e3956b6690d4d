"""Evidence files and comments of an assignment."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import FileResponse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import downloads, selectors
from ..models import Evidence, ProgressUpdate
from ..services import assignments as assignment_services
from ..services.evidence import evidence_upload_many, read_upload
from . import serializers as s
from .common import AnyAcceptNegotiation, get_visible, visible_assignment
from .schema import file_download


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
        description=(
            "Send one `file` part, or several: every file is checked first and if one is refused none "
            "is stored (400 naming each bad file). One file answers the stored evidence; several "
            "answer a list of them, in the order sent."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        assignment = visible_assignment(request, pk)
        data = s.EvidenceUploadApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        uploads = request.FILES.getlist("file") or [data.validated_data["file"]]
        stored = evidence_upload_many(
            assignment=assignment,
            by=request.user,
            files=[(upload.name or "", read_upload(upload)) for upload in uploads],
            note=data.validated_data["note"],
        )
        body = s.EvidenceApiSerializer(stored, many=True).data
        return Response(body[0] if len(body) == 1 else body, status=status.HTTP_201_CREATED)


@extend_schema(tags=["evidence"])
class EvidenceDetailApi(generics.RetrieveAPIView):
    serializer_class = s.EvidenceApiSerializer

    def get_object(self) -> Any:
        return get_visible(selectors.evidence_list(user=self.request.user), self.kwargs["pk"])


class EvidenceDownloadApi(APIView):
    content_negotiation_class = AnyAcceptNegotiation

    @extend_schema(
        tags=["evidence"],
        summary="Download an evidence file",
        description="Sent with the Content-Type stored with the file (content_type in the evidence object).",
        **file_download("*/*", "The evidence file"),
    )
    def get(self, request: Request, pk: int) -> FileResponse:
        evidence = get_visible(selectors.evidence_list(user=request.user), pk)
        return downloads.evidence_download(evidence)


class AssignmentCommentsApi(generics.ListAPIView):
    serializer_class = s.CommentApiSerializer

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return ProgressUpdate.objects.none()
        assignment = visible_assignment(self.request, self.kwargs["pk"])
        return selectors.progress_update_list(
            user=self.request.user, assignment=assignment, kind=ProgressUpdate.Kind.COMMENT
        )

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
