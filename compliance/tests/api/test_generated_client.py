"""A real client in the suite: the Python client that openapi-python-client generates from the live
schema imports module by module and drives the workflow against the test server.

import → route → publish → start → progress → evidence → submit → approve (and return), an export
request, history, notifications and "who am I", through the generated functions and models only (no hand-written requests).

Generator settings, each justified:
- ``content_type_overrides``: the generator only knows a few media types; the workbook (xlsx), the
  bulletin (docx) and evidence (``*/*``: the stored file's own type) are declared as what they are
  and read as bytes, like application/octet-stream.
- ``post_hooks: []``: the generator would run ruff on the output; formatting is not under test.
"""

from __future__ import annotations

import datetime as dt
import importlib
import io
import json
import pkgutil
import subprocess
import sys
import urllib.request

import pytest

from compliance.models import Assignment
from compliance.tests.factories import PASSWORD

from .conftest import SAMPLE_POLICY

pytest.importorskip(
    "openapi_python_client",
    reason="openapi-python-client is not installed (pip install -r requirements-dev.txt)",
)

pytestmark = pytest.mark.django_db(transaction=True)

CONFIG = """\
project_name_override: duban-client
package_name_override: duban_client
post_hooks: []
content_type_overrides:
  application/vnd.openxmlformats-officedocument.spreadsheetml.sheet: application/octet-stream
  application/vnd.openxmlformats-officedocument.wordprocessingml.document: application/octet-stream
  "*/*": application/octet-stream
"""


@pytest.fixture
def generated(live_server, tmp_path):
    """Generate the client from the live server's schema into tmp_path and make it importable."""
    with urllib.request.urlopen(f"{live_server.url}/api/schema/?format=json") as response:
        (tmp_path / "schema.json").write_bytes(response.read())
    (tmp_path / "config.yml").write_text(CONFIG)
    done = subprocess.run(
        [sys.executable, "-m", "openapi_python_client", "generate", "--path", "schema.json"]
        + ["--config", "config.yml", "--meta", "none", "--output-path", "duban_client"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    # Every operation and model is generated: the generator warns (and leaves one out) otherwise.
    assert "WARNING" not in done.stdout + done.stderr, done.stdout + done.stderr
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("duban_client")
    finally:
        sys.path.remove(str(tmp_path))
        for name in [m for m in sys.modules if m == "duban_client" or m.startswith("duban_client.")]:
            del sys.modules[name]


def _import_all(package) -> list[str]:
    names = [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    for name in names:
        importlib.import_module(name)
    return names


def _ok(answer, model):
    """The parsed body is the success model, not the error model (or nothing)."""
    assert isinstance(answer, model), answer.to_dict() if hasattr(answer, "to_dict") else answer
    return answer


def test_generated_client_imports_and_runs_the_workflow(generated, live_server, admin_user, lead_a, dept_a):
    names = _import_all(generated)
    assert len(names) > 150 and "duban_client.api.routing.documents_publish_create" in names
    api = importlib.import_module("duban_client.api")
    m = importlib.import_module("duban_client.models")
    types = importlib.import_module("duban_client.types")
    client_mod = importlib.import_module("duban_client.client")

    def signed_in(user):
        anonymous = client_mod.Client(base_url=live_server.url, raise_on_unexpected_status=True)
        token = api.auth.auth_token_create.sync(
            client=anonymous, body=m.TokenCreateApiRequest(username=user.username, password=PASSWORD)
        )
        _ok(token, m.TokenApi)
        return client_mod.AuthenticatedClient(base_url=live_server.url, token=token.token, prefix="Token")

    office, lead = signed_in(admin_user), signed_in(lead_a)
    me = _ok(api.auth.me_retrieve.sync(client=lead), m.MeApi)
    assert me.role == m.UserRoleEnum.STAFF and [d.id for d in me.departments] == [dept_a.pk]

    # Import: upload → preview job → confirm.
    upload = m.ImportUploadApiRequest(
        file=types.File(payload=io.BytesIO(SAMPLE_POLICY.read_bytes()), file_name="通知.txt")
    )
    job = _ok(api.documents.documents_import_create.sync(client=office, body=upload), m.ImportJobApi)
    assert job.status == m.JobStatusEnum.DONE, job.message
    confirmed = _ok(api.documents.import_jobs_confirm_create.sync(job.id, client=office), m.ImportJobApi)
    assert job.result.stage == m.ImportStageEnum.PREVIEW and job.result.documents[0].items
    document_id = confirmed.result.report[0].document_id

    # Route every tracked clause to 教务处 with a deadline, then publish.
    screen = _ok(api.routing.documents_routing_retrieve.sync(document_id, client=office), m.RoutingApi)
    tracked = [row.id for row in screen.rows if row.is_requirement and not row.not_applicable]
    assert tracked
    routed = api.routing.documents_routing_create.sync(
        document_id,
        client=office,
        body=m.RoutingUpdateApiRequest(requirements=tracked, lead=dept_a.pk, deadline=dt.date(2030, 12, 31)),
    )
    assert _ok(routed, m.RoutingOutcomeApi).changed == len(tracked)
    published = api.routing.documents_publish_create.sync(
        document_id, client=office, body=m.PublishInputApiRequest(confirm_past_deadlines=True)
    )
    assert _ok(published, m.PublishApi).created >= len(tracked)

    # The department works on one item: start, progress, evidence, submit; the office approves.
    page = _ok(api.assignments.assignments_list.sync(client=lead, document=document_id), m.PaginatedAssignmentApiList)
    item = page.results[0]
    assert item.status == m.AssignmentStatusEnum.NOT_STARTED and item.version >= 1
    item = _ok(
        api.assignments.assignments_start_create.sync(
            item.id, client=lead, body=m.VersionApiRequest(version=item.version)
        ),
        m.AssignmentApi,
    )
    item = _ok(
        api.assignments.assignments_progress_create.sync(
            item.id, client=lead, body=m.ProgressInputApiRequest(version=item.version, percent=100, note="已完成")
        ),
        m.AssignmentApi,
    )
    evidence = m.EvidenceUploadApiRequest(
        file=types.File(payload=io.BytesIO("会议纪要：已落实。".encode()), file_name="纪要.txt"), note="纪要"
    )
    stored = _ok(api.evidence.assignments_evidence_create.sync(item.id, client=lead, body=evidence), m.EvidenceApi)
    download = api.evidence.evidence_download_retrieve.sync_detailed(stored.id, client=lead)
    assert download.status_code == 200 and download.content == "会议纪要：已落实。".encode()
    assert "attachment" in download.headers["Content-Disposition"]
    item = _ok(
        api.assignments.assignments_submit_create.sync(
            item.id, client=lead, body=m.NoteInputApiRequest(version=item.version, note="请审核")
        ),
        m.AssignmentApi,
    )
    assert item.status == m.AssignmentStatusEnum.SUBMITTED
    item = _ok(
        api.assignments.assignments_approve_create.sync(
            item.id, client=office, body=m.NoteInputApiRequest(version=item.version, note="同意")
        ),
        m.AssignmentApi,
    )
    assert item.status == m.AssignmentStatusEnum.COMPLETED
    assert Assignment.objects.get(pk=item.id).status == Assignment.Status.COMPLETED

    # Another item goes back to the department with a reason.
    other = page.results[1]
    other = _ok(
        api.assignments.assignments_start_create.sync(
            other.id, client=lead, body=m.VersionApiRequest(version=other.version)
        ),
        m.AssignmentApi,
    )
    _ok(api.evidence.assignments_evidence_create.sync(other.id, client=lead, body=evidence), m.EvidenceApi)
    other = _ok(
        api.assignments.assignments_submit_create.sync(
            other.id, client=lead, body=m.NoteInputApiRequest(version=other.version)
        ),
        m.AssignmentApi,
    )
    other = _ok(
        api.assignments.assignments_return_create.sync(
            other.id, client=office, body=m.ReturnInputApiRequest(version=other.version, reason="佐证不足")
        ),
        m.AssignmentApi,
    )
    assert other.status == m.AssignmentStatusEnum.RETURNED and other.return_reason == "佐证不足"

    # The audit workbook for every document: document=None goes out as JSON null, not the string "None".
    export = api.exports.export_jobs_create.sync(
        client=office, body=m.ExportCreateApiRequest(document=None, include_drafts=False)
    )
    assert _ok(export, m.ExportJobApi).params.document is None

    history = api.assignments.assignments_history_list.sync(item.id, client=lead)
    assert [e.new for e in history if e.field] and all(isinstance(e, m.HistoryEntryApi) for e in history)
    read = _ok(api.notifications.notifications_read_all_create.sync(client=lead), m.ReadAllApi)
    assert read.marked >= 1
    json.dumps(item.to_dict())  # the models serialise back to JSON
