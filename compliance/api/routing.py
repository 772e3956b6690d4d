"""The office's routing through the API: the assignment screen's proposals and bulk decisions,
publishing, and the departments' keyword rules and aliases (administrators only, as the pages).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from .. import selectors
from ..models import Department, PolicyDocument, Requirement, User
from ..permissions import IsAdministrator
from ..services import ServiceError
from ..services import routing as routing_services
from . import serializers_workflow as w
from .common import get_visible
from .errors import RuleViolation


def _routing_row(req: Requirement, prop: routing_services.Proposal, today: Any, assignments: list) -> dict[str, Any]:
    leader = req.school_leader or next((d.school_leader for d in prop.lead if d.school_leader), None)
    return {
        "id": req.pk,
        "path": req.path,
        "heading": req.heading,
        "text": req.text,
        "is_requirement": req.is_requirement,
        "not_applicable": req.not_applicable,
        "deadline_date": req.deadline_date,
        "school_leader": leader.pk if leader else None,
        "lead": [d.pk for d in prop.lead],
        "co": [d.pk for d in prop.co],
        "source": prop.source or "none",
        "unmatched": prop.unmatched,
        "external": prop.external,
        "past_deadline": bool(req.is_requirement and req.deadline_date and req.deadline_date < today),
        "assignments": assignments,
    }


def _document(request: Request, pk: int) -> PolicyDocument:
    return get_visible(selectors.document_list(user=request.user), pk)


class DocumentRoutingApi(APIView):
    """A document's assignment screen: read the proposals, apply one decision to several rows."""

    permission_classes = (IsAdministrator,)
    parser_classes = (JSONParser,)

    @extend_schema(tags=["routing"], responses={200: w.RoutingApiSerializer}, summary="Routing proposals")
    def get(self, request: Request, pk: int) -> Response:
        doc = _document(request, pk)
        directory = routing_services.DepartmentDirectory()
        requirements = list(selectors.document_routing_requirements(user=request.user, document=doc))
        proposals = routing_services.propose_document(requirements, directory)
        today = selectors.today()
        rows = [
            _routing_row(req, proposals.get(req.pk) or routing_services.Proposal(), today, list(req.assignments.all()))
            for req in requirements
        ]
        unmatched = routing_services.unmatched_names(document=doc, directory=directory)
        return Response(w.RoutingApiSerializer({"document": doc, "rows": rows, "unmatched": unmatched}).data)

    @extend_schema(
        tags=["routing"],
        request=w.RoutingUpdateApiSerializer,
        responses={200: w.RoutingOutcomeApiSerializer},
        summary="Route several requirements at once",
        description=(
            "Lead and cooperating departments, deadline, responsible school leader, not applicable: "
            "the same bulk decision as the assignment screen. Before publication only the plan changes; "
            "after it, the items follow (a new lead reassigns, a new deadline moves the due dates)."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        doc = _document(request, pk)
        data = w.RoutingUpdateApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        tracked = set(
            selectors.requirement_list(user=request.user, document=doc)
            .filter(is_requirement=True)
            .values_list("pk", flat=True)
        )
        unknown = [i for i in d["requirements"] if i not in tracked]
        if unknown:
            raise exceptions.ValidationError({"requirements": [_("不是该文件的任务条款：%(ids)s") % {"ids": unknown}]})
        kwargs = self._changes(request.user, d)
        outcome = routing_services.requirements_bulk_update(
            document=doc, requirement_ids=d["requirements"], by=request.user, **kwargs
        )
        return Response(w.RoutingOutcomeApiSerializer(outcome).data)

    @staticmethod
    def _changes(user: User, d: dict[str, Any]) -> dict[str, Any]:
        """The service's keywords, with ids resolved to departments and a school leader."""
        kwargs: dict[str, Any] = {}
        departments = selectors.department_list(user=user)
        if "lead" in d:
            kwargs["lead"] = departments.filter(pk=d["lead"]).first()
            if kwargs["lead"] is None:
                raise exceptions.ValidationError({"lead": [_("部门不存在。")]})
        if "co" in d:
            found = {x.pk: x for x in departments.filter(pk__in=d["co"])}
            missing = [i for i in d["co"] if i not in found]
            if missing:
                raise exceptions.ValidationError({"co": [_("部门不存在：%(ids)s") % {"ids": missing}]})
            kwargs["co"] = [found[i] for i in dict.fromkeys(d["co"])]
        if "school_leader" in d:
            kwargs["school_leader"] = selectors.school_leader_list(user=user).filter(pk=d["school_leader"]).first()
            if kwargs["school_leader"] is None:
                raise exceptions.ValidationError({"school_leader": [_("不是在职的分管校领导。")]})
        if "deadline" in d:
            kwargs["deadline"] = d["deadline"]
        if "not_applicable" in d:
            kwargs["not_applicable"] = d["not_applicable"]
        return kwargs


class DocumentPublishApi(APIView):
    """Publish a document: every routed, applicable requirement gets its assignments."""

    permission_classes = (IsAdministrator,)
    parser_classes = (JSONParser,)

    @extend_schema(
        tags=["routing"],
        request=w.PublishInputApiSerializer,
        responses={200: w.PublishApiSerializer},
        summary="Publish a document (creates the assignments)",
        description=(
            "On a first publication, deadlines already past are refused (400 rule_violation, "
            "details.past_deadlines lists the requirement ids) unless confirm_past_deadlines is true."
        ),
    )
    def post(self, request: Request, pk: int) -> Response:
        doc = _document(request, pk)
        data = w.PublishInputApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            created = routing_services.document_publish(
                document=doc, by=request.user, allow_past_deadlines=data.validated_data["confirm_past_deadlines"]
            )
        except ServiceError as exc:
            past = [r.pk for r in routing_services.past_deadlines(document=doc)]
            raise RuleViolation(str(exc), details={"past_deadlines": past}) from None
        doc.refresh_from_db()
        return Response(w.PublishApiSerializer({"created": created, "document": doc}).data)


# --- keyword rules and aliases -----------------------------------------------------------------


def _rules(department: Department) -> dict[str, Any]:
    return {
        "id": department.pk,
        "name": department.name,
        "keywords": list(department.keywords),
        "aliases": list(department.aliases),
    }


class DepartmentRulesListApi(APIView):
    permission_classes = (IsAdministrator,)

    @extend_schema(
        tags=["routing"], responses={200: w.DepartmentRulesApiSerializer(many=True)}, summary="Keyword rules"
    )
    def get(self, request: Request) -> Response:
        departments = selectors.department_list(user=request.user).order_by("order", "id")
        return Response(w.DepartmentRulesApiSerializer([_rules(d) for d in departments], many=True).data)


class RuleWordsMixin:
    """A department's keywords or aliases (``field``): list, add one, take one off."""

    permission_classes = (IsAdministrator,)
    parser_classes = (JSONParser,)
    field = "keywords"

    def _department(self, request: Request, pk: int) -> Department:
        return get_visible(selectors.department_list(user=request.user), pk)

    def _save(self, request: Request, department: Department, words: list[str]) -> None:
        current = {"keywords": list(department.keywords), "aliases": list(department.aliases)}
        current[self.field] = words
        routing_services.department_rules_update(department=department, by=request.user, **current)

    def list_words(self, request: Request, pk: int) -> Response:
        return Response(w.DepartmentRulesApiSerializer(_rules(self._department(request, pk))).data)

    def add_word(self, request: Request, pk: int) -> Response:
        department = self._department(request, pk)
        data = w.RuleWordInputApiSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        value = data.validated_data["value"].strip()
        if not value:
            raise exceptions.ValidationError({"value": [_("请填写关键词或别名。")]})
        self._save(request, department, [*getattr(department, self.field), value])
        return Response(w.DepartmentRulesApiSerializer(_rules(department)).data, status=status.HTTP_201_CREATED)

    def remove_word(self, request: Request, pk: int, value: str) -> Response:
        department = self._department(request, pk)
        words = list(getattr(department, self.field))
        if value not in words:
            raise exceptions.NotFound()
        self._save(request, department, [x for x in words if x != value])
        return Response(status=status.HTTP_204_NO_CONTENT)


_VALUE = OpenApiParameter("value", str, OpenApiParameter.PATH, description="The keyword or alias (URL-encoded)")


class DepartmentKeywordsApi(RuleWordsMixin, APIView):
    field = "keywords"

    @extend_schema(tags=["routing"], responses={200: w.DepartmentRulesApiSerializer}, summary="A department's keywords")
    def get(self, request: Request, pk: int) -> Response:
        return self.list_words(request, pk)

    @extend_schema(
        tags=["routing"],
        request=w.RuleWordInputApiSerializer,
        responses={201: w.DepartmentRulesApiSerializer},
        summary="Add a routing keyword",
    )
    def post(self, request: Request, pk: int) -> Response:
        return self.add_word(request, pk)


class DepartmentKeywordApi(RuleWordsMixin, APIView):
    field = "keywords"

    @extend_schema(tags=["routing"], parameters=[_VALUE], responses={204: None}, summary="Remove a routing keyword")
    def delete(self, request: Request, pk: int, value: str) -> Response:
        return self.remove_word(request, pk, value)


class DepartmentAliasesApi(RuleWordsMixin, APIView):
    field = "aliases"

    @extend_schema(tags=["routing"], responses={200: w.DepartmentRulesApiSerializer}, summary="A department's aliases")
    def get(self, request: Request, pk: int) -> Response:
        return self.list_words(request, pk)

    @extend_schema(
        tags=["routing"],
        request=w.RuleWordInputApiSerializer,
        responses={201: w.DepartmentRulesApiSerializer},
        summary="Add an alias (a printed name of the department)",
    )
    def post(self, request: Request, pk: int) -> Response:
        return self.add_word(request, pk)


class DepartmentAliasApi(RuleWordsMixin, APIView):
    field = "aliases"

    @extend_schema(tags=["routing"], parameters=[_VALUE], responses={204: None}, summary="Remove an alias")
    def delete(self, request: Request, pk: int, value: str) -> Response:
        return self.remove_word(request, pk, value)
