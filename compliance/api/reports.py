"""REST API for reporting rounds, recurring schedules and progress reports (same rules as the pages).

Rounds: everyone reads the rounds their departments report in (the office and auditors all);
only the office opens and closes them. Reports: a department's people read and write their own
(drafts; a submitted report is locked); the office, auditors and the overseeing school leader read.
"""

from __future__ import annotations

import io

from django.core.files.base import ContentFile
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import downloads, permissions, rules, selectors, selectors_reports, selectors_scores
from ..exports.progress import build_progress_workbook, progress_filename
from ..models import ProgressReport, ReportRound, ReportSchedule
from ..permissions import IsAdministrator
from ..services import reports as report_services
from .common import AnyAcceptNegotiation, get_visible
from .schema import file_download


class RoundDepartmentApiSerializer(serializers.Serializer):
    department_id = serializers.IntegerField()
    name = serializers.CharField()
    total = serializers.IntegerField()
    submitted = serializers.IntegerField()
    missing = serializers.IntegerField()
    late = serializers.IntegerField()


class ReportRoundApiSerializer(serializers.ModelSerializer):
    documents = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ReportRound
        fields = (
            "id",
            "title",
            "period",
            "period_start",
            "period_end",
            "due_date",
            "status",
            "schedule",
            "documents",
            "created_at",
        )


class ReportRoundDetailApiSerializer(ReportRoundApiSerializer):
    departments = RoundDepartmentApiSerializer(many=True, read_only=True, source="progress")

    class Meta(ReportRoundApiSerializer.Meta):
        fields = (*ReportRoundApiSerializer.Meta.fields, "departments")


class ReportRoundCreateApiSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    period = serializers.CharField(max_length=16)
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    due_date = serializers.DateField()
    documents = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False, default=list
    )


class ReportScheduleApiSerializer(serializers.ModelSerializer):
    documents = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ReportSchedule
        fields = ("id", "name", "recurrence", "due_day", "documents", "is_active")


class ReportScheduleCreateApiSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    recurrence = serializers.ChoiceField(choices=ReportSchedule.Recurrence.choices)
    due_day = serializers.IntegerField(min_value=1, max_value=31)
    documents = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**63 - 1), required=False, default=list
    )


class ProgressReportApiSerializer(serializers.ModelSerializer):
    department_name = serializers.CharField(source="department.name", read_only=True)
    requirement = serializers.IntegerField(source="assignment.requirement_id", read_only=True)
    evidence = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    late = serializers.SerializerMethodField()

    class Meta:
        model = ProgressReport
        fields = (
            "id",
            "round",
            "assignment",
            "requirement",
            "department",
            "department_name",
            "progress_text",
            "percent",
            "problems",
            "next_steps",
            "evidence",
            "status",
            "submitted_at",
            "late",
        )

    def get_late(self, obj: ProgressReport) -> bool:
        return rules.report_is_late(obj, selectors.today())


class ProgressReportInputApiSerializer(serializers.Serializer):
    progress_text = serializers.CharField(allow_blank=True, required=False, default="")
    percent = serializers.IntegerField(min_value=0, max_value=100, required=False, default=0)
    problems = serializers.CharField(allow_blank=True, required=False, default="")
    next_steps = serializers.CharField(allow_blank=True, required=False, default="")
    submit = serializers.BooleanField(required=False, default=False)


def _documents(user, ids: list[int]) -> list:
    return list(selectors.document_list(user=user).filter(pk__in=ids)) if ids else []


@extend_schema(tags=["reports"])
class ReportRoundListApi(generics.ListAPIView):
    serializer_class = ReportRoundApiSerializer

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return ReportRound.objects.none()
        return selectors_reports.round_list(user=self.request.user).prefetch_related("documents")

    @extend_schema(
        request=ReportRoundCreateApiSerializer,
        responses={201: ReportRoundApiSerializer},
        summary="Open a reporting round (the office)",
    )
    def post(self, request: Request) -> Response:
        permissions.require(permissions.is_administrator(request.user), str(IsAdministrator.message))
        data = ReportRoundCreateApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        rnd = report_services.round_open(
            by=request.user,
            title=v["title"],
            period=v["period"],
            period_start=v["period_start"],
            period_end=v["period_end"],
            due_date=v["due_date"],
            documents=_documents(request.user, v["documents"]),
        )
        return Response(ReportRoundApiSerializer(rnd).data, status=status.HTTP_201_CREATED)


class ReportRoundDetailApi(APIView):
    @extend_schema(
        tags=["reports"], responses={200: ReportRoundDetailApiSerializer}, summary="A round and who has reported"
    )
    def get(self, request: Request, pk: int) -> Response:
        rnd = get_visible(selectors_reports.round_list(user=request.user), pk)
        rnd.progress = [
            {**vars(d), "missing": d.missing} for d in selectors_reports.round_progress(user=request.user, rnd=rnd)
        ]
        return Response(ReportRoundDetailApiSerializer(rnd).data)


class ReportRoundCloseApi(APIView):
    permission_classes = (IsAdministrator,)

    @extend_schema(tags=["reports"], request=None, responses={200: ReportRoundApiSerializer}, summary="Close a round")
    def post(self, request: Request, pk: int) -> Response:
        rnd = get_visible(selectors_reports.round_list(user=request.user), pk)
        return Response(ReportRoundApiSerializer(report_services.round_close(rnd=rnd, by=request.user)).data)


class ReportRoundExportApi(APIView):
    content_negotiation_class = AnyAcceptNegotiation

    @extend_schema(
        tags=["reports"], summary="The round's 进展汇总表 (xlsx)", **file_download(downloads.XLSX, "The workbook")
    )
    def get(self, request: Request, pk: int):
        rnd = get_visible(selectors_reports.round_list(user=request.user), pk)
        rule = selectors_scores.scoring_rule_current()
        wb = build_progress_workbook(
            rnd=rnd,
            reports=list(selectors_reports.report_list(user=request.user, rnd=rnd).prefetch_related("evidence")),
            progress=selectors_reports.round_progress(user=request.user, rnd=rnd),
            scores=selectors_scores.department_scores(
                user=request.user, start=rnd.period_start, end=rnd.period_end, rule=rule
            ),
            rule=rule,
            today=selectors.today(),
        )
        out = io.BytesIO()
        wb.save(out)
        return downloads.file_download(
            ContentFile(out.getvalue()), filename=progress_filename(rnd), content_type=downloads.XLSX
        )


@extend_schema(tags=["reports"])
class ReportScheduleListApi(generics.ListAPIView):
    serializer_class = ReportScheduleApiSerializer

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return ReportSchedule.objects.none()
        return selectors_reports.schedule_list(user=self.request.user)

    def list(self, request: Request, *args, **kwargs) -> Response:
        permissions.require(permissions.sees_everything(request.user), str(IsAdministrator.message))
        return super().list(request, *args, **kwargs)

    @extend_schema(
        request=ReportScheduleCreateApiSerializer,
        responses={201: ReportScheduleApiSerializer},
        summary="Set up a recurring round (the office)",
    )
    def post(self, request: Request) -> Response:
        permissions.require(permissions.is_administrator(request.user), str(IsAdministrator.message))
        data = ReportScheduleCreateApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        schedule = report_services.schedule_create(
            by=request.user,
            name=v["name"],
            recurrence=v["recurrence"],
            due_day=v["due_day"],
            documents=_documents(request.user, v["documents"]),
        )
        return Response(ReportScheduleApiSerializer(schedule).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["reports"])
class ProgressReportListApi(generics.ListAPIView):
    serializer_class = ProgressReportApiSerializer

    def get_queryset(self) -> QuerySet:
        if getattr(self, "swagger_fake_view", False):
            return ProgressReport.objects.none()
        qs = selectors_reports.report_list(user=self.request.user).prefetch_related("evidence")
        rnd = self.request.query_params.get("round")
        return qs.filter(round_id=int(rnd)) if rnd and rnd.isdigit() else qs


class ProgressReportDetailApi(APIView):
    api_conflict_responses = False

    @extend_schema(tags=["reports"], responses={200: ProgressReportApiSerializer}, summary="One progress report")
    def get(self, request: Request, pk: int) -> Response:
        return Response(
            ProgressReportApiSerializer(get_visible(selectors_reports.report_list(user=request.user), pk)).data
        )

    @extend_schema(
        tags=["reports"],
        request=ProgressReportInputApiSerializer,
        responses={200: ProgressReportApiSerializer},
        summary="Save the draft (with submit=true: submit it; it is then locked)",
    )
    def patch(self, request: Request, pk: int) -> Response:
        report = get_visible(selectors_reports.report_list(user=request.user), pk)
        data = ProgressReportInputApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        saved = report_services.report_save(
            report=report,
            by=request.user,
            progress_text=v["progress_text"],
            percent=v["percent"],
            problems=v["problems"],
            next_steps=v["next_steps"],
            submit=v["submit"],
        )
        return Response(ProgressReportApiSerializer(saved).data)


class ProgressReportSubmitApi(APIView):
    @extend_schema(
        tags=["reports"], request=None, responses={200: ProgressReportApiSerializer}, summary="Submit the saved draft"
    )
    def post(self, request: Request, pk: int) -> Response:
        report = get_visible(selectors_reports.report_list(user=request.user), pk)
        return Response(ProgressReportApiSerializer(report_services.report_submit(report=report, by=request.user)).data)
