"""任务分解表: task tables become one item per row; other tables stay text. No database."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from docx import Document

from compliance.parsing import parse_file, parse_text
from compliance.parsing.tables import split_row, table_items, task_columns

HEADER = ["序号", "重点任务", "具体措施", "牵头单位", "配合单位", "责任校领导", "完成时限", "备注"]
ROWS = [
    HEADER,
    ["1", "深化教育教学改革", "修订本科人才培养方案", "教务处", "各学院", "张三", "2025年6月底前", ""],
    ["2", "", "建设一流本科课程20门", "教务处", "现代教育技术中心、各学院", "张三", "每年12月底前", "按年度报送"],
    HEADER,  # the header repeated at the top of the next page
    ["3", "加强师资队伍建设", "实施青年教师培养计划", "人事处", "教师发展中心", "李四", "长期坚持", ""],
    ["", "", "", "", "", "", "", ""],
]


def _summary(items) -> list[tuple]:
    return [
        (
            it.label,
            "/".join(it.path),
            it.heading,
            it.text,
            it.lead_units,
            it.co_units,
            [(d.text, d.date, d.recurrence, d.kind) for d in it.deadlines],
        )
        for it in items
    ]


def test_table_rows_become_items():
    """One item per task row: 序号 is the label, the first task column the heading (repeated
    under a merged cell), the unit columns the units, every 完成时限 phrase a deadline."""
    items = table_items(ROWS, doc_year=2025, parent_path=["三"])
    assert _summary(items) == [
        ("1", "三/1", "深化教育教学改革", "修订本科人才培养方案", ["教务处"], ["各学院"],
         [("2025年6月底前", dt.date(2025, 6, 30), None, "due")]),
        ("2", "三/2", "深化教育教学改革", "建设一流本科课程20门", ["教务处"], ["现代教育技术中心", "各学院"],
         [("每年12月底前", dt.date(2025, 12, 31), "yearly", "due")]),
        ("3", "三/3", "加强师资队伍建设", "实施青年教师培养计划", ["人事处"], ["教师发展中心"],
         [("长期坚持", None, None, "ongoing")]),
    ]  # fmt: skip
    assert all(it.is_requirement and it.level == 2 for it in items)


def test_a_responsible_unit_column_names_a_lead_then_helpers():
    rows = [
        ["序号", "工作任务", "责任单位", "完成时间"],
        ["（一）", "完善督办制度", "党政办公室、纪委办公室", "2025年3月"],
    ]
    (item,) = table_items(rows, doc_year=2025)
    assert (item.label, item.path, item.lead_units, item.co_units) == (
        "（一）",
        ["（一）"],
        ["党政办公室"],
        ["纪委办公室"],
    )
    assert [d.date for d in item.deadlines] == [dt.date(2025, 3, 31)]


@pytest.mark.parametrize(
    "header",
    [
        ["序号", "任务"],  # no unit or deadline column
        ["序号", "姓名", "职务", "联系电话"],  # a contact list
        ["项目", "2024年", "2025年", "2026年"],  # an indicator table
    ],
)
def test_other_tables_are_no_task_tables(header):
    assert task_columns(header) is None
    assert table_items([header, ["1", "2", "3", "4"]]) == []


def test_rows_without_a_sequence_number_get_a_counter_path():
    rows = [
        ["重点任务", "牵头部门", "时间节点"],
        ["建立台账", "审计处", "2025年底"],
        ["开展评估", "发展规划处", "2026年底"],
    ]
    assert [it.path for it in table_items(rows, doc_year=2025)] == [["#1"], ["#2"]]


def test_split_row_reads_cells_even_after_space_cleaning():
    assert split_row("| 1 | 自查阶段 | 建立问题台账。| 2024年5月31日前 |") == [
        "1",
        "自查阶段",
        "建立问题台账。",
        "2024年5月31日前",
    ]
    assert split_row("| a |  | c |") == ["a", "", "c"]


def _docx(paragraphs: list[str], rows: list[list[str]], after: list[str]) -> bytes:
    doc = Document()
    for text in paragraphs:
        doc.add_paragraph(text)
    table = doc.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    for text in after:
        doc.add_paragraph(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


TASKBOOK = [
    ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
    ["1", "制定学科建设规划", "发展规划处", "各学院", "2025年3月底前"],
    ["2", "引进高层次人才10名", "人事处", "各学院、科技处", "2025年12月底前"],
    ["3", "建设校级科研平台", "科技处", "资产处", "持续推进"],
]


def test_a_word_task_book_is_a_document_of_rows():
    """A Word file that is only a title and a 任务分解表: one document, one item per row."""
    data = _docx(["东方大学贯彻落实《学科建设实施意见》任务分解表"], TASKBOOK, [])
    result = parse_file(data, "任务分解表.docx")
    assert result.skipped == []
    (doc,) = result.documents
    assert doc.title == "东方大学贯彻落实《学科建设实施意见》任务分解表"
    assert [(it.label, it.path, it.text, it.lead_units, it.co_units, [d.text for d in it.deadlines])
            for it in doc.items] == [
        ("1", ["1"], "制定学科建设规划", ["发展规划处"], ["各学院"], ["2025年3月底前"]),
        ("2", ["2"], "引进高层次人才10名", ["人事处"], ["各学院", "科技处"], ["2025年12月底前"]),
        ("3", ["3"], "建设校级科研平台", ["科技处"], ["资产处"], ["持续推进"]),
    ]  # fmt: skip


def test_a_task_table_inside_a_notice_and_as_typeset_rows_give_the_same_items():
    """The table under ``二、重点任务`` gives rows under 二 whether it comes from Word or as
    ``| … |`` lines of a typeset PDF's text."""
    before = [
        "东方大学关于推进学科建设的通知",
        "各学院、各部门：",
        "一、总体要求",
        "围绕学科建设目标，统筹推进各项工作。",
        "二、重点任务",
    ]
    after = ["三、工作要求", "各单位要按时完成任务，于每季度末报送进展。", "东方大学", "2025年1月6日"]
    from_word = parse_file(_docx(before, TASKBOOK, after), "通知.docx").documents
    lines = [*before, *("| " + " | ".join(row) + " |" for row in TASKBOOK), *after]
    from_text = parse_text("\n".join(lines)).documents
    summary = [[(it.label, it.path, it.is_requirement, it.lead_units) for it in d.items] for d in from_word]
    assert summary == [[(it.label, it.path, it.is_requirement, it.lead_units) for it in d.items] for d in from_text]
    assert summary[0] == [
        ("一、", ["一"], False, []),
        ("二、", ["二"], False, []),
        ("1", ["二", "1"], True, ["发展规划处"]),
        ("2", ["二", "2"], True, ["人事处"]),
        ("3", ["二", "3"], True, ["科技处"]),
        ("三、", ["三"], True, []),
    ]


def test_a_table_that_lists_contacts_stays_in_the_text():
    rows = [["序号", "姓名", "职务", "联系电话"], ["1", "王五", "科长", "12345678"]]
    data = _docx(
        ["东方大学关于报送联系人的通知", "各学院：", "一、请于3月1日前报送联系人。", "联系人名单如下："], rows, []
    )
    (doc,) = parse_file(data, "通知.docx").documents
    assert [it.label for it in doc.items] == ["一、"]
    assert "| 1 | 王五 | 科长 | 12345678 |" in doc.items[0].text
