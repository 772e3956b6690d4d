"""Property-based API testing against the published schema (schemathesis, in-process over WSGI).

Every operation of /api/schema/ is called with generated requests, as an administrator with a
token: valid and invalid inputs with random ids, then valid inputs aimed at objects that exist.
No response may be a server error, and every response must match the schema. Bounded and
deterministic (a fixed number of examples per operation and mode, derandomized) so CI stays quick.
"""

from __future__ import annotations

import datetime as dt

import hypothesis
import pytest
import schemathesis
from django.core.files.base import ContentFile
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from rest_framework.authtoken.models import Token
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from compliance.models import ExportJob, ExtensionRequest, JobStatus, Notification
from compliance.services.imports import import_job_create, import_job_dispatch
from compliance.tests.factories import AssignmentFactory, EvidenceFactory

from .conftest import SAMPLE_POLICY

MAX_EXAMPLES = 5
TOKEN = "0123456789abcdef0123456789abcdef01234567"


@pytest.fixture
def api_schema(db):
    """The live schema, loaded from the app itself (the real WSGI application, in-process)."""
    from compliance.wsgi import application

    # As Django's test client does: the WSGI handler must not close the connection after each
    # request, or the test's transaction would end and generated rows would be committed.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def real_ids(admin_user, dept_a, dept_b) -> dict[str, int]:
    """One existing object per kind, keyed by the path prefix whose {id} it fills."""
    assignment = AssignmentFactory(department=dept_a)
    AssignmentFactory(department=dept_b)
    evidence = EvidenceFactory(assignment=assignment)
    extension = ExtensionRequest.objects.create(
        assignment=assignment,
        reason="等待批复",
        proposed_date=assignment.due_date + dt.timedelta(days=30),
        previous_due_date=assignment.due_date,
    )
    notification = Notification.objects.create(user=admin_user, verb="submitted", message="请审核")
    job = import_job_create(by=admin_user, name="通知.txt", data=SAMPLE_POLICY.read_bytes())
    import_job_dispatch(job=job)
    export = ExportJob.objects.create(created_by=admin_user, status=JobStatus.DONE, file_name="审计.xlsx")
    export.file.save("audit-test.xlsx", ContentFile(b"PK\x03\x04 workbook"), save=True)
    return {
        "/api/assignments/": assignment.pk,
        "/api/documents/": assignment.requirement.document_id,
        "/api/requirements/": assignment.requirement_id,
        "/api/evidence/": evidence.pk,
        "/api/extension-requests/": extension.pk,
        "/api/notifications/": notification.pk,
        "/api/import-jobs/": job.pk,
        "/api/export-jobs/": export.pk,
    }


def _run(operation, strategy, admin_user, failures: list[str], label: str) -> int:
    """Call one operation with a bounded, derandomized set of generated requests."""
    calls = 0

    @hypothesis.settings(
        max_examples=MAX_EXAMPLES,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(hypothesis.HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],  # report, don't shrink
    )
    @hypothesis.given(case=strategy)
    def run(case):
        nonlocal calls
        # Re-issued before each call: the token endpoints under test rotate and revoke it.
        Token.objects.filter(user=admin_user).delete()
        Token.objects.create(user=admin_user, key=TOKEN)
        response = case.call(headers={"Authorization": f"Token {TOKEN}"})
        calls += 1
        try:
            case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
        except AssertionError as exc:  # collect them all: one run shows every broken operation
            failures.append(f"{operation.label} [{label}] {case.path_parameters} {case.query}: {exc}"[:3000])

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        pass  # e.g. no invalid request exists for an operation without inputs
    return calls


def test_api_matches_its_schema_and_never_fails(api_schema, real_ids, admin_user):
    """Generated requests (valid and invalid) get documented responses and never a 500."""
    failures: list[str] = []
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 30
    calls = 0
    for op in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            calls += _run(op, op.as_strategy(generation_mode=mode), admin_user, failures, mode.value)
        prefix = next((p for p in real_ids if op.path.startswith(p)), None)
        if "{id}" in op.path and prefix:
            strategy = op.as_strategy(path_parameters={"id": real_ids[prefix]})
            calls += _run(op, strategy, admin_user, failures, "existing object")
    assert not failures, "\n\n".join(failures)
    assert calls >= 2 * len(operations)
