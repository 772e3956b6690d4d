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
    assert list(doc)[: len(DOC_KEYS)] == ["title", "issuer", "doc_number", "date", "items"]
    assert set(doc) == DOC_KEYS | {"meta"}  # meta: the only extra key
    assert doc["date"] == "2021-03-05"
    assert doc["items"]
    for item in doc["items"]:
        assert set(item) == ITEM_KEYS
        for dl in item["deadlines"]:
            assert set(dl) == {"text", "date", "recurrence", "kind"}  # kind: the only extra key
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


NOTICE_WITH_ATTACHMENT = """某某大学关于做好2025年实验室安全检查工作的通知
某大校发〔2025〕3号
各学院、各部门：
一、各学院于4月30日前完成自查。
二、学校于5月组织抽查。
附件：实验室安全检查要点
某某大学
2025年3月1日
附件
实验室安全检查要点
一、危险化学品管理。建立台账，每月盘点。
二、特种设备管理。定期检验，持证上岗。
"""


def test_attachment_titles_are_printed_titles(tmp_path):
    """JSON titles are the titles as printed; only the outline marks attachments (a notice
    with items of its own stays a document, and its attachment takes its 文号 and date)."""
    path = tmp_path / "notice.txt"
    path.write_text(NOTICE_WITH_ATTACHMENT, encoding="utf-8")
    docs = json.loads(_run(str(path), "--json"))["documents"]
    assert [(d["title"], d["doc_number"], d["date"]) for d in docs] == [
        ("某某大学关于做好2025年实验室安全检查工作的通知", "某大校发〔2025〕3号", "2025-03-01"),
        ("实验室安全检查要点", "某大校发〔2025〕3号", "2025-03-01"),
    ]
    assert "== [附件] 实验室安全检查要点  [某某大学 | 某大校发〔2025〕3号 | 2025-03-01]" in _run(str(path))


def test_a_forwarding_notice_and_its_text_are_one_document(data_dir):
    """``关于印发《X》的通知`` that says nothing itself, and X: one document, X, with the
    notice's 文号, date and issuer."""
    path = str(data_dir / "plan_with_task_table.txt")
    (doc,) = json.loads(_run(path, "--json"))["documents"]
    assert (doc["title"], doc["issuer"], doc["doc_number"], doc["date"]) == (
        "一流学科建设实施方案",
        "某某学院",
        "某院发〔2024〕5号",
        "2024-03-01",
    )
    assert doc["meta"]["notice_title"] == "某某学院关于印发《一流学科建设实施方案》的通知"


def test_skipped_blocks_are_listed_with_their_reason(data_dir):
    """``--json`` lists each block left out with its reason code, Chinese label and first lines;
    the outline names the reason in Chinese."""
    path = str(data_dir / "compilation.txt")
    skipped = json.loads(_run(path, "--json"))["skipped"]
    assert [(s["reason"], s["reason_label"]) for s in skipped] == [("duplicate", "重复副本"), ("qa", "问答解读")]
    assert all(s["excerpt"] and s["line"] and s["source"] == path for s in skipped)
    assert "-- 跳过（问答解读，第 45 行）：" in _run(path)
