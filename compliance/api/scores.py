"""REST API for department scores, the scoring rule and the 督办通报 (Word) export."""

from __future__ import annotations

from django.core.files.base import ContentFile
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import downloads, selectors, selectors_reports, selectors_scores
from ..exports.bulletin import bulletin_bytes, bulletin_filename, collect_bulletin
from ..permissions import IsAdministrator
from ..services.scores import scoring_rule_update
from .common import AnyAcceptNegotiation, get_visible
from .schema import file_download

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


class ScoringRuleApiSerializer(serializers.Serializer):
    on_time_weight = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=1000)
    overdue_penalty = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=1000)
    return_penalty = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=1000)
    late_report_penalty = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=1000)
    urge_penalty = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=0, max_value=1000)
    text = serializers.CharField(read_only=True)


class ScorePartApiSerializer(serializers.Serializer):
    label = serializers.CharField()
    count = serializers.CharField()
    weight = serializers.DecimalField(max_digits=8, decimal_places=2)
    points = serializers.DecimalField(max_digits=8, decimal_places=1)


class ScoreRowApiSerializer(serializers.Serializer):
    department_id = serializers.IntegerField()
    name = serializers.CharField()
    score = serializers.DecimalField(max_digits=8, decimal_places=1)
    explanation = serializers.CharField()
    parts = ScorePartApiSerializer(many=True)
    assigned = serializers.IntegerField(source="figures.assigned")
    overdue = serializers.IntegerField(source="figures.overdue")
    returns = serializers.IntegerField(source="figures.returns")
    late_reports = serializers.IntegerField(source="figures.late_reports")
    urges = serializers.IntegerField(source="figures.urges")


class ScoresApiSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    rule = ScoringRuleApiSerializer()
    scores = ScoreRowApiSerializer(many=True)


class PeriodQueryApiSerializer(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="默认本年 1 月 1 日")
    end = serializers.DateField(required=False, help_text="默认今天")


class BulletinRequestApiSerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    round = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    document = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    number = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    closing = serializers.CharField(required=False, allow_blank=True, max_length=4000, default="")


def _rule_body(rule) -> dict:
    return {**{k: getattr(rule, k) for k in selectors_scores.WEIGHTS}, "text": selectors_scores.scoring_rule_text(rule)}


class ScoresApi(APIView):
    @extend_schema(
        tags=["scores"],
        parameters=[PeriodQueryApiSerializer],
        responses={200: ScoresApiSerializer},
        summary="Department scores (yours; all for the office, auditors and school leaders)",
    )
    def get(self, request: Request) -> Response:
        q = PeriodQueryApiSerializer(data=request.query_params)
        q.is_valid(raise_exception=True)
        today = selectors.today()
        start = q.validated_data.get("start") or today.replace(month=1, day=1)
        end = q.validated_data.get("end") or today
        start, end = min(start, end), max(start, end)
        rule = selectors_scores.scoring_rule_current()
        rows = selectors_scores.department_scores(user=request.user, start=start, end=end, rule=rule)
        return Response(
            ScoresApiSerializer({"start": start, "end": end, "rule": _rule_body(rule), "scores": rows}).data
        )


class ScoringRuleApi(APIView):
    @extend_schema(tags=["scores"], responses={200: ScoringRuleApiSerializer}, summary="The scoring rule in force")
    def get(self, request: Request) -> Response:
        return Response(ScoringRuleApiSerializer(_rule_body(selectors_scores.scoring_rule_current())).data)

    @extend_schema(
        tags=["scores"],
        request=ScoringRuleApiSerializer,
        responses={200: ScoringRuleApiSerializer},
        summary="Change the weights (the office)",
    )
    def put(self, request: Request) -> Response:
        if not IsAdministrator().has_permission(request, self):
            self.permission_denied(request, message=IsAdministrator.message)
        data = ScoringRuleApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        rule = scoring_rule_update(by=request.user, **{k: data.validated_data[k] for k in selectors_scores.WEIGHTS})
        return Response(ScoringRuleApiSerializer(_rule_body(rule)).data)


class BulletinApi(APIView):
    permission_classes = (IsAdministrator,)
    content_negotiation_class = AnyAcceptNegotiation

    @extend_schema(
        tags=["scores"],
        request=BulletinRequestApiSerializer,
        **file_download(DOCX, "The bulletin"),
        summary="The 督办通报 as Word (.docx); period from a round, or start/end (default: this year)",
    )
    def post(self, request: Request):
        data = BulletinRequestApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        user = request.user
        rnd = get_visible(selectors_reports.round_list(user=user), v["round"]) if v.get("round") else None
        document = get_visible(selectors.document_list(user=user), v["document"]) if v.get("document") else None
        today = selectors.today()
        start = rnd.period_start if rnd else v.get("start") or today.replace(month=1, day=1)
        end = rnd.period_end if rnd else v.get("end") or today
        bulletin = collect_bulletin(
            user=user, start=start, end=end, document=document, rnd=rnd, closing=v["closing"], number=v["number"]
        )
        return downloads.file_download(
            ContentFile(bulletin_bytes(bulletin)), filename=bulletin_filename(bulletin), content_type=DOCX
        )
