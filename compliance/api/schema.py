"""OpenAPI generation: every operation documents the shared error format for its error codes, and
the finished schema is made strict enough for generated clients (see ``postprocess``)."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse

TOKEN_DESCRIPTION = (
    "Send `Authorization: Token <key>` (the word `Token`, one space, the key). Get a key from "
    "`POST /api/auth/token/` with your username and password; creating a new one revokes the old."
)


class DubanAutoSchema(AutoSchema):
    """Add the error responses every endpoint can give, so clients (and schemathesis) know them.

    401/403 everywhere, 400 where input is read (a body or a query string), 404 where the path
    names an object or a list is paged, 409 where the view declares ``api_conflict_responses = True``,
    415 where a body is read (JSON endpoints refuse forms and multipart, uploads refuse JSON).
    """

    def _error_codes(self) -> list[str]:
        codes = []
        if self.method != "DELETE":
            codes.append("400")
        codes += ["401", "403"]
        if "{" in self.path or (self.method == "GET" and self._is_list_view()):  # list: page out of range
            codes.append("404")
        if getattr(self.view, "api_conflict_responses", False):
            codes.append("409")
        if self.method in ("POST", "PUT", "PATCH"):
            codes.append("415")
        return codes

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        from .serializers import ErrorApiSerializer

        responses = super()._get_response_bodies(direction=direction)
        for code in self._error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(ErrorApiSerializer, code, direction=direction)
        return responses


def file_download(media_type: str, description: str) -> dict[str, Any]:
    """``extend_schema`` arguments of a file download: its media type and its Content-Disposition."""
    return {
        "responses": {(200, media_type): OpenApiResponse(OpenApiTypes.BINARY, description=description)},
        "parameters": [
            OpenApiParameter(
                "Content-Disposition",
                str,
                OpenApiParameter.HEADER,
                response=[200],
                description="`attachment; filename=\"…\"; filename*=UTF-8''…` (RFC 6266): the file's name",
            )
        ],
    }


# --- postprocessing ------------------------------------------------------------------------------


def _walk(node: Any):
    """Every dict in a JSON tree, parents before children."""
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _inline_nullable_refs(schema: dict[str, Any]) -> None:
    """``{allOf: [$ref], nullable: true}`` becomes the referenced object inline, nullable.

    OpenAPI 3.0 gives ``nullable`` meaning only beside ``type``; strict validators (and some
    generators) reject it beside ``allOf``.
    """
    components = schema.get("components", {}).get("schemas", {})
    for node in _walk(schema.get("components", {})):
        for prop in (node.get("properties") or {}).values():
            all_of = prop.get("allOf")
            if not (prop.get("nullable") and isinstance(all_of, list) and len(all_of) == 1 and "$ref" in all_of[0]):
                continue
            target = copy.deepcopy(components[all_of[0]["$ref"].rsplit("/", 1)[1]])
            extra = {k: v for k, v in prop.items() if k not in ("allOf", "nullable")}
            prop.clear()
            prop.update(target, **extra, nullable=True)


# Stored JSON whose keys depend on the job's stage (or on the release that wrote it): these keep
# the serializer's own ``required`` list.
KEYS_MAY_BE_ABSENT = {"ImportResultApi", "ExportParamsApi"}


def _responses_complete(schema: dict[str, Any]) -> None:
    """A response object carries every field its serializer declares (null where empty): all required."""
    for name, component in schema.get("components", {}).get("schemas", {}).items():
        if name.endswith("Request") or "properties" not in component or name in KEYS_MAY_BE_ABSENT:
            continue
        component["required"] = list(component["properties"])


def _english_parameter_enums(schema: dict[str, Any]) -> None:
    """Query-parameter enums point at the named enum components (English names), never at a
    title built from a Chinese verbose name (a generator would name a class ``AssignmentsList状态``)."""
    components = schema.get("components", {}).get("schemas", {})
    by_values = {frozenset(c["enum"]): name for name, c in components.items() if c.get("enum") and "type" in c}
    for path in schema.get("paths", {}).values():
        for operation in path.values():
            for parameter in operation.get("parameters", []):
                holder = parameter.get("schema", {})
                if holder.get("type") == "array":
                    holder = holder.get("items", {})
                if "enum" not in holder:
                    continue
                name = by_values.get(frozenset(holder["enum"]))
                if name:
                    holder.clear()
                    holder["$ref"] = f"#/components/schemas/{name}"
                else:
                    holder.pop("title", None)


def postprocess(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """SPECTACULAR_SETTINGS['POSTPROCESSING_HOOKS'], after drf-spectacular's enum hook."""
    _inline_nullable_refs(result)
    _responses_complete(result)
    _english_parameter_enums(result)
    _summaries(result)
    _drop_unused_schemas(result)
    schemes = result.get("components", {}).get("securitySchemes", {})
    if "tokenAuth" in schemes:
        schemes["tokenAuth"]["description"] = TOKEN_DESCRIPTION
    return result


_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def _summaries(result: dict[str, Any]) -> None:
    """Every operation has a one-line summary: the first line of its description (the view's
    docstring), else its operationId — what Swagger UI and generated clients show as its name."""
    for item in result.get("paths", {}).values():
        for method in _METHODS:
            op = item.get(method)
            if not op or op.get("summary"):
                continue
            first = (op.get("description") or "").strip().splitlines()
            op["summary"] = first[0].rstrip("。.") if first else op.get("operationId", method)


def _drop_unused_schemas(result: dict[str, Any]) -> None:
    """Remove component schemas nothing refers to any more (inlining nullable references leaves some)."""
    schemas = result.get("components", {}).get("schemas", {})
    while True:
        text = json.dumps({k: v for k, v in result.items() if k != "components"}, default=str) + json.dumps(
            {k: v for k, v in result.get("components", {}).items() if k != "schemas"}, default=str
        )
        used = set()
        for name, body in schemas.items():
            used.update(_refs(json.dumps(body, default=str), exclude=name))
        used.update(_refs(text))
        unused = [name for name in schemas if name not in used]
        if not unused:
            return
        for name in unused:
            del schemas[name]


def _refs(text: str, exclude: str = "") -> set[str]:
    return {m for m in re.findall(r'"#/components/schemas/([^"]+)"', text) if m != exclude}
