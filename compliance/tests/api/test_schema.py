"""The OpenAPI schema: valid with no warnings, served at /api/schema/, Swagger UI at /api/docs/ without a CDN."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from rest_framework.test import APIClient

from compliance.api.schema import KEYS_MAY_BE_ABSENT

pytestmark = pytest.mark.django_db


def test_schema_validates_with_no_warnings(tmp_path):
    """`manage.py spectacular --validate --fail-on-warn` succeeds (it raises on any warning)."""
    out, err = StringIO(), StringIO()
    call_command(
        "spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"), stdout=out, stderr=err
    )
    assert "Warning" not in err.getvalue()
    assert (tmp_path / "schema.yml").read_text().startswith("openapi: 3.0")


def test_schema_is_served_and_documents_every_area():
    resp = APIClient().get("/api/schema/?format=json")
    assert resp.status_code == 200
    schema = resp.json()
    assert schema["openapi"].startswith("3.0")
    paths = schema["paths"]
    for p in (
        "/api/assignments/",
        "/api/assignments/{id}/submit/",
        "/api/documents/import/",
        "/api/import-jobs/{id}/",
        "/api/evidence/{id}/download/",
        "/api/assignments/{id}/comments/",
        "/api/notifications/",
        "/api/dashboard/",
        "/api/export-jobs/{id}/download/",
        "/api/auth/token/",
    ):
        assert p in paths, p
    # Every error answer is documented with the shared error shape; transitions document 409.
    assert (
        paths["/api/assignments/{id}/start/"]["post"]["responses"]["409"]["content"]["application/json"]["schema"][
            "$ref"
        ]
        == "#/components/schemas/ErrorApi"
    )
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])
    status_filter = next(p for p in paths["/api/assignments/"]["get"]["parameters"] if p["name"] == "status")
    assert status_filter["schema"]["type"] == "array"


def test_swagger_ui_is_served_from_local_static_files():
    """/api/docs/ loads Swagger UI from this server's /static/, never from a CDN."""
    resp = APIClient().get("/api/docs/")
    assert resp.status_code == 200
    html = resp.content.decode()
    # The start-up script is its own file (no inline script under the Content-Security-Policy).
    script = APIClient().get("/api/docs/?script=")
    assert "/api/schema/" in script.content.decode() and "<script>" not in html
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-dist/swagger-ui-bundle.js" in a for a in assets)
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))]
    for asset in assets:
        if asset.startswith("/static/"):
            assert finders.find(asset.removeprefix("/static/")), asset


def _schema() -> dict:
    return APIClient().get("/api/schema/?format=json").json()


def _nodes(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


UPLOADS = {
    ("post", "/api/documents/import/"),
    ("post", "/api/assignments/{id}/evidence/"),
    ("post", "/api/taskbook-imports/"),
}


def test_schema_request_bodies_are_json_except_file_uploads():
    """JSON endpoints publish application/json only; multipart only where a file is uploaded."""
    bodies = {
        (method, path): list(op["requestBody"]["content"])
        for path, ops in _schema()["paths"].items()
        for method, op in ops.items()
        if "requestBody" in op
    }
    assert len(bodies) > 20
    for key, types in bodies.items():
        assert types == (["multipart/form-data"] if key in UPLOADS else ["application/json"]), (key, types)
    # And the server means it: a form body to a JSON endpoint is refused with 415.
    assert APIClient().post("/api/auth/token/", {"username": "x", "password": "y"}).status_code == 415


def test_schema_response_fields_are_required_and_references_strictly_nullable():
    schema = _schema()
    components = schema["components"]["schemas"]
    assert {"version", "status", "id", "warning"} <= set(components["AssignmentApi"]["required"])
    for name, component in components.items():
        if "properties" in component and not name.endswith("Request") and name not in KEYS_MAY_BE_ABSENT:
            assert set(component["required"]) == set(component["properties"]), name
    assert not [n for n in _nodes(schema) if "allOf" in n and "nullable" in n]
    author = components["CommentApi"]["properties"]["author"]
    assert author["nullable"] is True and author["type"] == "object" and "id" in author["properties"]


def test_schema_query_parameters_have_their_real_types():
    paths = _schema()["paths"]

    def params(path):
        return {p["name"]: p for p in paths[path]["get"]["parameters"]}

    assignments = params("/api/assignments/")
    for name in ("department", "document", "requirement"):
        assert assignments[name]["schema"]["type"] == "integer", name
    assert assignments["due_within"]["schema"]["type"] == "integer"
    assert assignments["overdue"]["schema"]["type"] == "boolean"
    assert assignments["page_size"]["schema"]["maximum"] == 200
    assert "200" in assignments["page_size"]["description"]
    assert params("/api/requirements/")["parent"]["schema"]["type"] == "integer"
    assert params("/api/extension-requests/")["assignment"]["schema"]["type"] == "integer"
    # Enums are named components with English names, never a title built from a Chinese label.
    assert assignments["status"]["schema"]["items"] == {"$ref": "#/components/schemas/AssignmentStatusEnum"}
    for path, ops in paths.items():
        for op in ops.values():
            for p in op.get("parameters", []):
                titles = [n["title"] for n in _nodes(p) if "title" in n]
                assert all(t.isascii() for t in titles), (path, p["name"], titles)


def test_schema_enum_components_have_english_names():
    names = [n for n in _schema()["components"]["schemas"] if n.endswith("Enum")]
    assert "AssignmentStatusEnum" in names and "UserRoleEnum" in names
    assert all(re.fullmatch(r"[A-Z][A-Za-z0-9]+Enum", n) for n in names), names


def test_schema_token_endpoint_and_security_scheme():
    schema = _schema()
    token = schema["paths"]["/api/auth/token/"]["post"]
    body = token["requestBody"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][body]["required"]) == {"username", "password"}
    assert "Retry-After" in token["responses"]["429"]["headers"]
    assert token["responses"]["415"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorApi")
    assert "Token <key>" in schema["components"]["securitySchemes"]["tokenAuth"]["description"]


@pytest.mark.parametrize(
    ("path", "media_type"),
    [
        ("/api/export-jobs/{id}/download/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("/api/report-rounds/{id}/export/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("/api/evidence/{id}/download/", "*/*"),
    ],
)
def test_schema_downloads_declare_media_type_and_file_name(path, media_type):
    ok = _schema()["paths"][path]["get"]["responses"]["200"]
    assert list(ok["content"]) == [media_type]
    assert ok["content"][media_type]["schema"] == {"type": "string", "format": "binary"}
    assert "Content-Disposition" in ok["headers"]


def test_schema_bulletin_is_a_word_document():
    ok = _schema()["paths"]["/api/bulletin/"]["post"]["responses"]["200"]
    assert list(ok["content"]) == ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
    assert "Content-Disposition" in ok["headers"]


def test_schema_job_results_are_typed():
    """The import job's result (preview, report with document_id) and the export's params are objects
    with declared fields, not free-form JSON."""
    components = _schema()["components"]["schemas"]
    result = components["ImportJobApi"]["properties"]["result"]
    assert result["allOf"] == [{"$ref": "#/components/schemas/ImportResultApi"}]
    report_row = components["ImportReportRowApi"]["properties"]
    assert report_row["document_id"] == {"type": "integer", "nullable": True}
    assert components["ImportResultApi"]["required"] == ["stage"]  # the rest depends on the stage
    assert set(components["ExportParamsApi"]["properties"]) == {"document", "department", "as_of", "include_drafts"}
