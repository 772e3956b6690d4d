"""Import (upload → preview → confirm, background for large files) and the assignment screen."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from compliance.models import (
    Assignment,
    Department,
    ImportJob,
    PolicyDocument,
    Requirement,
)
from compliance.tests.factories import (
    PolicyDocumentFactory,
    RequirementFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo_policy.txt"


@pytest.fixture
def directory(db):
    call_command("loaddata", str(Path(settings.BASE_DIR) / "fixtures" / "departments.json"), verbosity=0)


def _upload(client, name: str = "demo_policy.txt", data: bytes | None = None):
    data = DEMO.read_bytes() if data is None else data
    return client.post("/import/", {"file": SimpleUploadedFile(name, data)})


def _imported_document(client) -> PolicyDocument:
    _upload(client)
    job = ImportJob.objects.get()
    client.post(f"/import/{job.pk}/confirm/", {"doc": ["0"]})
    return PolicyDocument.objects.get()


def test_upload_shows_a_preview_then_confirm_imports(as_user, admin_user, directory):
    """A small file is previewed at once with units and deadlines; nothing is stored until confirmed."""
    client = as_user(admin_user)
    resp = _upload(client)
    job = ImportJob.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/import/{job.pk}/"
    page = client.get(resp["Location"]).content.decode()
    assert "示范大学关于落实2026年学校工作要点的实施方案" in page
    assert "实验室与设备管理处" in page and "2026-06-30" in page and "确认导入" in page
    assert not PolicyDocument.objects.exists()
    resp = client.post(f"/import/{job.pk}/confirm/", {"doc": ["0"]})
    doc = PolicyDocument.objects.get()
    assert doc.requirements.filter(is_requirement=True).count() >= 7
    page = client.get(f"/import/{job.pk}/").content.decode()
    assert f"/documents/{doc.pk}/assign/" in page
    # Confirming twice does not import twice.
    client.post(f"/import/{job.pk}/confirm/", {"doc": ["0"]})
    assert PolicyDocument.objects.count() == 1


def test_a_file_the_parser_refuses_shows_its_message(as_user, admin_user):
    """Input without Chinese text fails with the parser's Chinese message, stored on the job."""
    client = as_user(admin_user)
    resp = _upload(client, "notes.txt", b"just some english words\n" * 5)
    page = client.get(resp["Location"]).content.decode()
    assert "处理失败" in page and "中文" in page
    assert ImportJob.objects.get().status == "failed"


def test_large_files_go_to_the_worker_and_the_page_polls_progress(
    as_user, admin_user, directory, settings, monkeypatch
):
    """A file over the inline limit is queued; the page shows a polling progress bar until the task has run."""
    settings.DUBAN_INLINE_IMPORT_BYTES = 100
    from tasks import imports as task_module

    queued: list[int] = []
    monkeypatch.setattr(task_module.run_import_job, "delay", lambda job_id: queued.append(job_id))
    client = as_user(admin_user)
    resp = _upload(client)
    job = ImportJob.objects.get()
    assert queued == [job.pk]
    page = client.get(resp["Location"]).content.decode()
    assert "<progress" in page and 'hx-trigger="every 1s"' in page
    fragment = client.get(f"/import/{job.pk}/?fragment=progress")
    assert "HX-Refresh" not in fragment
    task_module.run_import_job(job.pk)  # what the worker does
    fragment = client.get(f"/import/{job.pk}/?fragment=progress")
    assert fragment["HX-Refresh"] == "true"
    assert "确认导入" in client.get(resp["Location"]).content.decode()


def test_broker_down_for_a_large_file_gives_a_clear_message(as_user, admin_user, settings, monkeypatch):
    """If the queue cannot be reached, a large file fails at once with an explanation instead of waiting forever."""
    settings.DUBAN_INLINE_IMPORT_BYTES = 100
    from tasks import imports as task_module

    def down(job_id):
        raise ConnectionError("broker down")

    monkeypatch.setattr(task_module.run_import_job, "delay", down)
    client = as_user(admin_user)
    resp = _upload(client)
    page = client.get(resp["Location"]).content.decode()
    assert "后台任务服务暂时不可用" in page


def test_assignment_screen_proposes_units_expands_collectives_and_uses_keywords(as_user, admin_user, directory):
    """Annotated units are proposed by name or alias, 各学院 expands to every school, keywords cover the rest."""
    client = as_user(admin_user)
    doc = _imported_document(client)
    RequirementFactory(
        document=doc,
        heading="实验室安全检查",
        text="开展实验室安全专项检查。",
        order=999,
        lead_units_text=[],
        co_units_text=[],
    )
    page = client.get(f"/documents/{doc.pk}/assign/").content.decode()
    assert "教务处" in page and "文学院" in page  # 各学院 expanded
    assert "网络信息中心" in page and "信息化办公室" in page  # an alias resolved
    assert "（关键词）" in page
    assert "社会科学处" in page


def test_unmatched_names_are_listed_and_remembered_as_aliases(as_user, admin_user, directory):
    """A name no department carries is listed once; mapping it stores an alias used from then on."""
    client = as_user(admin_user)
    doc = PolicyDocumentFactory(status="draft")
    req = RequirementFactory(document=doc, lead_units_text=["现代教育技术中心"], co_units_text=[])
    page = client.get(f"/documents/{doc.pk}/assign/").content.decode()
    assert "未能识别的单位名称" in page and "现代教育技术中心" in page
    info = Department.objects.get(name="信息化办公室")
    client.post(f"/documents/{doc.pk}/assign/alias/", {"name": "现代教育技术中心", "department": info.pk})
    info.refresh_from_db()
    assert "现代教育技术中心" in info.aliases
    assert "未能识别的单位名称" not in client.get(f"/documents/{doc.pk}/assign/").content.decode()
    client.post(f"/documents/{doc.pk}/publish/", {"confirm_past": "1"})
    assert Assignment.objects.get(requirement=req).department == info


def test_bulk_actions_then_publish_create_the_assignments(as_user, admin_user, directory):
    """Set lead, cooperating units, deadline and school leader on a selection, mark one not applicable, publish."""
    client = as_user(admin_user)
    doc = PolicyDocumentFactory(status="draft")
    r1 = RequirementFactory(document=doc, lead_units_text=[], co_units_text=[], text="一般工作", heading="甲")
    r2 = RequirementFactory(document=doc, lead_units_text=[], co_units_text=[], text="一般工作", heading="乙")
    r3 = RequirementFactory(document=doc, lead_units_text=["教务处"], co_units_text=[], heading="丙")
    jwc, cw, bwc = (Department.objects.get(name=n) for n in ("教务处", "财务处", "保卫处"))
    leader = UserFactory(username="t_vp", role="leader")
    url = f"/documents/{doc.pk}/assign/"
    ids = [r1.pk, r2.pk]
    assert client.post(url, {"action": "lead", "lead": cw.pk, "requirements": ids}).status_code == 302
    client.post(url, {"action": "co", "co": [bwc.pk, jwc.pk], "requirements": ids})
    client.post(url, {"action": "deadline", "deadline": "2026-10-31", "requirements": ids})
    client.post(url, {"action": "leader", "leader": leader.pk, "requirements": ids})
    client.post(url, {"action": "na", "requirements": [r3.pk]})
    resp = client.post(f"/documents/{doc.pk}/publish/", {"confirm_past": "1"})
    assert resp.status_code == 302
    doc.refresh_from_db()
    assert doc.status == "published"
    for r in (r1, r2):
        got = {(a.department.name, a.role, a.due_date) for a in Assignment.objects.filter(requirement=r)}
        assert got == {
            ("财务处", "lead", dt.date(2026, 10, 31)),
            ("保卫处", "co", dt.date(2026, 10, 31)),
            ("教务处", "co", dt.date(2026, 10, 31)),
        }
        r.refresh_from_db()
        assert r.school_leader == leader
    assert not Assignment.objects.filter(requirement=r3).exists()


def test_bulk_action_without_a_selection_or_value_is_refused(as_user, admin_user, directory):
    """Applying with nothing ticked, or "set lead" without a unit, explains what is missing."""
    client = as_user(admin_user)
    doc = PolicyDocumentFactory(status="draft")
    r = RequirementFactory(document=doc)
    url = f"/documents/{doc.pk}/assign/"
    resp = client.post(url, {"action": "lead", "lead": Department.objects.first().pk})
    assert resp.status_code == 400 and "请先勾选条款" in resp.content.decode()
    resp = client.post(url, {"action": "lead", "requirements": [r.pk]})
    assert resp.status_code == 400 and "请选择要设置的值" in resp.content.decode()


def test_after_publication_a_new_lead_reassigns_and_a_new_deadline_moves_open_items(as_user, admin_user, directory):
    """On a published document the lead assignment is reassigned (history keeps both) and due dates follow."""
    client = as_user(admin_user)
    doc = PolicyDocumentFactory(status="draft")
    r = RequirementFactory(document=doc, lead_units_text=["教务处"], co_units_text=[])
    client.post(f"/documents/{doc.pk}/publish/", {"confirm_past": "1"})
    a = Assignment.objects.get(requirement=r)
    kjc = Department.objects.get(name="科学技术处")
    client.post(f"/documents/{doc.pk}/assign/", {"action": "lead", "lead": kjc.pk, "requirements": [r.pk]})
    client.post(
        f"/documents/{doc.pk}/assign/", {"action": "deadline", "deadline": "2026-12-15", "requirements": [r.pk]}
    )
    a.refresh_from_db()
    assert a.department == kjc and a.due_date == dt.date(2026, 12, 15)
    history = client.get(f"/assignments/{a.pk}/?tab=history").content.decode()
    assert "教务处" in history and "科学技术处" in history


def test_keyword_rules_are_edited_by_administrators_and_drive_proposals(as_user, admin_user, directory):
    """An administrator adds a keyword; a clause containing it is then proposed to that department."""
    client = as_user(admin_user)
    zsb = Department.objects.get(name="招生办公室")
    assert "招生" in client.get("/departments/rules/").content.decode()
    resp = client.post(
        "/departments/rules/", {f"keywords-{zsb.pk}": "招生、录取，强基计划", f"aliases-{zsb.pk}": "招生处"}
    )
    assert resp.status_code == 302
    zsb.refresh_from_db()
    assert zsb.keywords == ["招生", "录取", "强基计划"]
    doc = PolicyDocumentFactory(status="draft")
    RequirementFactory(
        document=doc, heading="做好强基计划", text="做好强基计划相关工作。", lead_units_text=[], co_units_text=[]
    )
    page = client.get(f"/documents/{doc.pk}/assign/").content.decode()
    assert "<b>招生办公室</b>" in page


def test_an_alias_already_used_by_another_department_is_refused(as_user, admin_user, directory):
    """Two departments cannot share an alias; the message names the owner and nothing is saved."""
    client = as_user(admin_user)
    zsb = Department.objects.get(name="招生办公室")
    resp = client.post("/departments/rules/", {f"keywords-{zsb.pk}": "招生", f"aliases-{zsb.pk}": "本科生院"})
    assert resp.status_code == 400 and "教务处" in resp.content.decode()
    zsb.refresh_from_db()
    assert "本科生院" not in zsb.aliases


def test_document_tree_shows_own_assignments_to_leads(as_user, lead_a, assignment_a, assignment_b):
    """A lead opens the document of their item and sees the tree with their own assignment linked."""
    page = as_user(lead_a).get(f"/documents/{assignment_a.requirement.document_id}/").content.decode()
    assert f"/assignments/{assignment_a.pk}/" in page and f"/assignments/{assignment_b.pk}/" not in page
    assert Requirement.objects.count() == 2
