"""`manage.py export_audit_workbook`: the same workbook from the command line, clear errors."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from compliance.models import PolicyDocument
from compliance.tests.factories import PolicyDocumentFactory, RequirementFactory

from .conftest import load

pytestmark = pytest.mark.django_db


def test_command_writes_the_workbook(world, tmp_path):
    out = tmp_path / "审计.xlsx"
    call_command("export_audit_workbook", "--out", str(out), "--as-of", "2026-05-15")
    wb = load(out.read_bytes())
    assert wb.sheetnames == ["概览", "任务分解表", "逾期事项", "佐证材料", "操作记录"]
    assert "截至 2026-05-15" in wb["任务分解表"]["A2"].value
    assert wb["任务分解表"].max_row == 6


def test_command_filters_by_department_alias_and_document(world, tmp_path):
    """--department accepts an alias (本科生院 is 教务处); --document takes the document id."""
    out = tmp_path / "a.xlsx"
    call_command(
        "export_audit_workbook", "--out", str(out), "--department", "本科生院", "--document", str(world["doc"].pk)
    )
    ws = load(out.read_bytes())["任务分解表"]
    assert [r[4] for r in ws.iter_rows(min_row=4, values_only=True)] == ["教务处", "教务处"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--department", "后勤集团"], "未找到部门“后勤集团”"),
        (["--document", "999999"], "未找到编号为 999999 的文件"),
        (["--as-of", "2026-13-01"], "无法识别"),
    ],
)
def test_command_refuses_unknown_filters_with_a_chinese_message(world, tmp_path, args, message):
    out = tmp_path / "x.xlsx"
    with pytest.raises(CommandError, match=message):
        call_command("export_audit_workbook", "--out", str(out), *args)
    assert not out.exists()


@pytest.fixture
def draft(world):
    doc = PolicyDocumentFactory(title="尚未发布的文件", status=PolicyDocument.Status.DRAFT)
    RequirementFactory(document=doc, heading="", text="草稿里的条款。")
    return doc


def test_command_leaves_drafts_out_unless_asked(draft, tmp_path):
    out = tmp_path / "a.xlsx"
    call_command("export_audit_workbook", "--out", str(out))
    assert "草稿里的条款。" not in [r[3] for r in load(out.read_bytes())["任务分解表"].iter_rows(values_only=True)]
    call_command("export_audit_workbook", "--out", str(out), "--include-drafts")
    assert "草稿里的条款。" in [r[3] for r in load(out.read_bytes())["任务分解表"].iter_rows(values_only=True)]


def test_command_refuses_a_draft_document_without_the_flag(draft, tmp_path):
    out = tmp_path / "a.xlsx"
    with pytest.raises(CommandError, match="尚未发布"):
        call_command("export_audit_workbook", "--out", str(out), "--document", str(draft.pk))
    assert not out.exists()
    call_command("export_audit_workbook", "--out", str(out), "--document", str(draft.pk), "--include-drafts")
    assert out.exists()


def test_command_finds_a_closed_department_by_its_alias(world, dept_a, tmp_path):
    """An audit may look back at a department that has since been closed."""
    dept_a.is_active = False
    dept_a.save()
    out = tmp_path / "a.xlsx"
    call_command("export_audit_workbook", "--out", str(out), "--department", "本科生院")
    assert "部门：教务处" in load(out.read_bytes())["任务分解表"]["A2"].value
