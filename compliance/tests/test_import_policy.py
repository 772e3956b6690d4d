"""import_policy: one transaction per document, idempotent, failures leave the database as it was."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from compliance.models import PolicyDocument, Requirement

pytestmark = pytest.mark.django_db
DEMO = Path(__file__).resolve().parents[2] / "fixtures" / "demo_policy.txt"


def _run(*args):
    out, err = StringIO(), StringIO()
    call_command("import_policy", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_stores_the_document_and_its_tree():
    out, _ = _run(str(DEMO))
    doc = PolicyDocument.objects.get()
    assert "实施方案" in doc.title
    assert doc.doc_number == "示大发〔2026〕3号"
    assert doc.source_name == "demo_policy.txt"
    assert len(doc.sha256) == 64
    tracked = doc.requirements.filter(is_requirement=True)
    assert tracked.count() >= 7
    item = doc.requirements.get(path=["二", "（一）"])
    assert item.parent.path == ["二"]
    assert item.lead_units_text == ["教务处"]
    assert "各学院" in item.co_units_text
    assert str(item.deadline_date) == "2026-06-30"
    assert "已导入" in out
    # History was recorded for the imported rows.
    assert Requirement.history.filter(id=item.id).exists()


def test_importing_the_same_content_again_changes_nothing(tmp_path):
    _run(str(DEMO))
    before = (PolicyDocument.objects.count(), Requirement.objects.count())
    # The same text with other line wrapping and a BOM is the same content.
    copy = tmp_path / "copy.txt"
    copy.write_bytes(b"\xef\xbb\xbf" + DEMO.read_bytes())
    out, _ = _run(str(copy))
    assert "未更改" in out
    assert (PolicyDocument.objects.count(), Requirement.objects.count()) == before


def test_dry_run_writes_nothing():
    out, _ = _run(str(DEMO), "--dry-run")
    assert "将导入" in out
    assert PolicyDocument.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [("empty.txt", b""), ("binary.txt", bytes(range(256)) * 40), ("fake.pdf", b"%PDF-1.4\n%%EOF\n")],
)
def test_bad_input_is_refused_with_a_reason_and_nothing_stored(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CommandError):
        _run(str(path))
    assert PolicyDocument.objects.count() == 0
    assert Requirement.objects.count() == 0


def test_failure_inside_a_document_rolls_back_that_document(monkeypatch):
    """A crash while storing requirements leaves no half-imported document behind."""
    from compliance.services import documents

    def boom(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(documents, "bulk_create_with_history", boom)
    with pytest.raises(CommandError):
        _run(str(DEMO))
    assert PolicyDocument.objects.count() == 0
    assert Requirement.objects.count() == 0


def test_missing_file_is_reported():
    with pytest.raises(CommandError):
        _run("/nonexistent/policy.txt")
