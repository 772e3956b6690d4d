"""REST API for 上下贯通: links and proposals (the office; auditors read), and coverage."""

from __future__ import annotations

from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import permissions, selectors, selectors_links
from ..models import Requirement, RequirementLink
from ..permissions import IsAdministrator, SeesEverything
from ..services import links as link_services
from .common import get_visible


class LinkedRequirementApiSerializer(serializers.ModelSerializer):
    path = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = Requirement
        fields = ("id", "document", "path", "heading", "text")


class RequirementLinkApiSerializer(serializers.ModelSerializer):
    source = LinkedRequirementApiSerializer(read_only=True)
    target = LinkedRequirementApiSerializer(read_only=True)
    decided_by = serializers.StringRelatedField()

    class Meta:
        model = RequirementLink
        fields = ("id", "source", "target", "status", "score", "rank", "created_at", "decided_by", "decided_at")


class LinkCreateApiSerializer(serializers.Serializer):
    source = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="本级条款 id")
    target = serializers.IntegerField(min_value=1, max_value=2**63 - 1, help_text="它所落实的上级条款 id")


class LinkDecideApiSerializer(serializers.Serializer):
    accept = serializers.BooleanField()


class LinkProposeApiSerializer(serializers.Serializer):
    document = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    upstream = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    top = serializers.IntegerField(min_value=1, max_value=10, required=False, default=3)


class LinkProposeResultApiSerializer(serializers.Serializer):
    created = serializers.IntegerField()


class CoverageAssignmentApiSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    department = serializers.CharField(source="department.name")
    status = serializers.CharField()


class CoverageRowApiSerializer(serializers.Serializer):
    requirement = LinkedRequirementApiSerializer()
    covered = serializers.BooleanField()
    implementing = LinkedRequirementApiSerializer(many=True)
    assignments = CoverageAssignmentApiSerializer(many=True)


@extend_schema(tags=["links"])
class LinkListApi(generics.ListAPIView):
    serializer_class = RequirementLinkApiSerializer
    permission_classes = (SeesEverything,)

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return RequirementLink.objects.none()
        p = self.request.query_params

        def num(name: str) -> int | None:
            value = p.get(name)
            return int(value) if value and value.isdigit() else None

        status_filter = p.get("status")
        if status_filter and status_filter not in RequirementLink.Status.values:
            raise exceptions.ValidationError({"status": [f"{status_filter}?"]})
        return selectors_links.link_list(
            user=self.request.user, status=status_filter, document=num("document"), upstream=num("upstream")
        )

    @extend_schema(
        request=LinkCreateApiSerializer, responses={201: RequirementLinkApiSerializer}, summary="Link by hand"
    )
    def post(self, request: Request) -> Response:
        permissions.require(permissions.is_administrator(request.user), str(IsAdministrator.message))
        data = LinkCreateApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            source = selectors_links.requirement_for_linking(user=request.user, pk=data.validated_data["source"])
            target = selectors_links.requirement_for_linking(user=request.user, pk=data.validated_data["target"])
        except Requirement.DoesNotExist:
            raise exceptions.NotFound() from None
        link = link_services.link_create(by=request.user, source=source, target=target)
        return Response(RequirementLinkApiSerializer(link).data, status=status.HTTP_201_CREATED)


class LinkDecideApi(APIView):
    permission_classes = (IsAdministrator,)

    @extend_schema(
        tags=["links"],
        request=LinkDecideApiSerializer,
        responses={200: RequirementLinkApiSerializer},
        summary="Accept or reject a proposal",
    )
    def post(self, request: Request, pk: int) -> Response:
        link = get_visible(selectors_links.link_list(user=request.user), pk)
        data = LinkDecideApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        decided = link_services.link_decide(link=link, by=request.user, accept=data.validated_data["accept"])
        return Response(RequirementLinkApiSerializer(decided).data)


class LinkProposeApi(APIView):
    permission_classes = (IsAdministrator,)

    @extend_schema(
        tags=["links"],
        request=LinkProposeApiSerializer,
        responses={200: LinkProposeResultApiSerializer},
        summary="Propose links from a document's items to an upstream document's",
    )
    def post(self, request: Request) -> Response:
        data = LinkProposeApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        docs = selectors.document_list(user=request.user)
        document = get_visible(docs, v["document"])
        upstream = get_visible(docs, v["upstream"])
        created = link_services.links_propose(by=request.user, document=document, upstream=upstream, top=v["top"])
        return Response({"created": created})


class DocumentCoverageApi(APIView):
    @extend_schema(
        tags=["links"],
        responses={200: CoverageRowApiSerializer(many=True)},
        summary="Coverage of an upstream document: its items, the tasks implementing them, the gaps",
    )
    def get(self, request: Request, pk: int) -> Response:
        user = request.user
        if not (permissions.sees_everything(user) or user.is_school_leader):
            raise exceptions.PermissionDenied()
        document = get_visible(selectors_links.coverage_document_list(user=user), pk)
        rows = selectors_links.coverage(user=user, upstream=document)
        return Response(
            CoverageRowApiSerializer(
                [
                    {
                        "requirement": r.requirement,
                        "covered": r.covered,
                        "implementing": r.implementing,
                        "assignments": r.assignments,
                    }
                    for r in rows
                ],
                many=True,
            ).data
        )
