"""``manage.py parse_policy``: JSON contract, outline, errors (no database)."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command

ITEM_KEYS = {
    "label",
    "path",
    "level",
    "heading",
    "text",
    "is_requirement",
    "lead_units",
    "co_units",
    "deadlines",
}
DOC_KEYS = {"title", "issuer", "doc_number", "date", "items"}


def _run(*args) -> str:
    out = io.StringIO()
    call_command("parse_policy", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_json_output_has_the_exact_keys(data_dir):
    """``--json`` prints one JSON object with documents, items and deadlines in the agreed shape."""
    payload = json.loads(_run(str(data_dir / "sample_notice.txt"), "--json"))
    assert set(payload) >= {"documents"}
    (doc,) = payload["documents"]
    assert set(doc) == DOC_KEYS
    assert doc["date"] == "2021-03-05"
    assert doc["items"]
    for item in doc["items"]:
        assert set(item) == ITEM_KEYS
        for dl in item["deadlines"]:
            assert set(dl) == {"text", "date", "recurrence"}
    dated = [dl for it in doc["items"] for dl in it["deadlines"] if dl["date"]]
    assert dated and all(len(dl["date"]) == 10 for dl in dated)


def test_several_paths_give_one_document_list(data_dir):
    """Documents from all PATHs land in one list; skipped blocks are listed apart."""
    payload = json.loads(
        _run(
            str(data_dir / "sample_notice.txt"),
            str(data_dir / "compilation.txt"),
            "--json",
        )
    )
    assert len(payload["documents"]) == 4
    assert {s["kind"] for s in payload["skipped"]} == {"duplicate", "qa"}


def test_json_is_utf8_not_escaped(data_dir):
    """Chinese is printed as is (``ensure_ascii=False``)."""
    assert "教育部办公厅" in _run(str(data_dir / "sample_notice.txt"), "--json")


def test_outline_marks_requirements(data_dir):
    """Without ``--json`` the outline lists labels with ``*`` on requirements, units and deadlines."""
    out = _run(str(data_dir / "sample_notice.txt"))
    assert "== 教育部办公厅关于加强高校实验室安全工作的通知" in out
    assert "*   1. 压实安全责任" in out
    assert "实验室与设备管理处" in out
    assert "2021-06-30" in out


def test_missing_file_is_a_command_error(tmp_path):
    """A missing file gives a Chinese error (exit status 1)."""
    with pytest.raises(CommandError, match="文件不存在"):
        _run(str(tmp_path / "nope.txt"), "--json")


def test_unparseable_file_is_a_command_error(tmp_path):
    """A ParseError becomes a CommandError naming the file."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match=r"empty\.txt.*为空"):
        _run(str(empty), "--json")


def test_size_limit_option(tmp_path, data_dir):
    """``--max-mb`` lowers the size limit."""
    with pytest.raises(CommandError, match="过大"):
        _run(str(data_dir / "sample_notice.txt"), "--max-mb", "0.0001")


def test_attachment_titles_are_printed_titles(data_dir):
    """JSON titles are the titles as printed; only the outline marks attachments."""
    path = str(data_dir / "plan_with_task_table.txt")
    titles = [d["title"] for d in json.loads(_run(path, "--json"))["documents"]]
    assert titles == [
        "某某学院关于印发《一流学科建设实施方案》的通知",
        "一流学科建设实施方案",
    ]
    assert "== [附件] 一流学科建设实施方案  [某某学院]" in _run(path)
