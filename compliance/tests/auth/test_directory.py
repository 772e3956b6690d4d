"""Directory sync from an HR/OA roster: dry run (new, changed, leaving), run, leavers' open items."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from openpyxl import Workbook

from compliance.models import Assignment, DirectorySync, Membership, User
from compliance.parsing.roster import read_roster
from compliance.parsing.types import ParseError
from compliance.services import ServiceError
from compliance.services.directory import directory_apply, directory_plan
from compliance.tests.factories import AssignmentFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

HEADER = ["工号", "姓名", "部门", "职务", "邮箱", "手机"]


def xlsx(rows, *, title: str | None = "东方大学教职工花名册（2026年12月）", header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    if title:
        ws.append([title])
    ws.append(header)
    for row in rows:
        ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture
def staff(dept_a, dept_b):
    """Three people already in Duban with a 工号, and the office's account without one."""
    zhang = UserFactory(
        username="zhang",
        employee_id="1001",
        display_name="张三",
        email="zhang@example.edu.cn",
        job_title="处长",
        phone="13800000001",
    )
    MembershipFactory(user=zhang, department=dept_a, role="lead")
    li = UserFactory(
        username="li", employee_id="1002", display_name="李四", email="li@example.edu.cn", job_title="科员"
    )
    MembershipFactory(user=li, department=dept_a, role="member")
    wang = UserFactory(username="wang", employee_id="1003", display_name="王五", email="wang@example.edu.cn")
    MembershipFactory(user=wang, department=dept_b, role="lead")
    office = UserFactory(username="office", role="admin")
    return {"zhang": zhang, "li": li, "wang": wang, "office": office}


ROSTER = [
    [1001, "张三", "教务处", "处长", "zhang@example.edu.cn", 13800000001],
    [1002, "李四", "科技处", "科员", "li.si@example.edu.cn", ""],  # moved, new e-mail
    [1004, "赵六", "本科生院", "副处长", "zhao@example.edu.cn", "13800000004"],  # new (alias of 教务处)
    # 王五 (1003) is not listed: leaving.
]


def _plan(data: bytes):
    roster = read_roster(data, "花名册.xlsx")
    return roster, directory_plan(rows=roster.rows, columns=roster.columns)


# --- reading a roster -------------------------------------------------------------------------


def test_the_roster_is_found_below_a_title_row_with_numeric_ids():
    roster = read_roster(xlsx(ROSTER), "花名册.xlsx")
    assert [r.employee_id for r in roster.rows] == ["1001", "1002", "1004"]
    assert roster.rows[0].phone == "13800000001"
    assert roster.columns == ["department", "email", "phone", "title"]


def test_header_variants_and_a_gbk_csv_are_read():
    text = "职工号,姓名,所在单位,行政职务,电子邮箱,手机号码\n2001,孙七,科技处、教务处,主任,sun@example.edu.cn,139\n"
    roster = read_roster(text.encode("gbk"), "export.csv")
    [row] = roster.rows
    assert (row.employee_id, row.name, row.departments, row.title) == ("2001", "孙七", ["科技处", "教务处"], "主任")


def test_unusable_rows_are_reported_with_their_line_numbers():
    rows = [
        [1001, "张三", "教务处", "", "not-an-email", ""],
        ["", "无工号", "", "", "", ""],
        [1001, "重复", "", "", "", ""],
    ]
    roster = read_roster(xlsx(rows), "r.xlsx")
    assert [r.employee_id for r in roster.rows] == ["1001"] and roster.rows[0].email == ""
    messages = dict(roster.problems)
    assert "邮箱" in messages[3] and "缺少工号或姓名" in messages[4] and "重复" in messages[5]


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "empty.csv", "空"),
        (b"\xd0\xcf\x11\xe0old excel", "old.xls", ".xls"),
        ("姓名,部门\n张三,教务处\n".encode(), "nohead.csv", "工号"),
        (b"PK\x03\x04 broken", "broken.xlsx", "xlsx"),
    ],
)
def test_a_file_that_is_not_a_roster_gets_a_clear_message(data, name, message):
    with pytest.raises(ParseError, match=message):
        read_roster(data, name)


# --- the dry run ------------------------------------------------------------------------------


def test_the_dry_run_reports_new_changed_and_leaving_and_writes_nothing(staff, dept_a, dept_b):
    before = list(User.objects.values_list("username", "is_active", "email").order_by("pk"))
    _roster, plan = _plan(xlsx(ROSTER))
    assert [p["employee_id"] for p in plan.new] == ["1004"]
    assert plan.new[0]["departments"] == ["教务处"] and plan.new[0]["lead"] is True
    [changed] = plan.changed
    fields = {c["field"]: c for c in changed["changes"]}
    assert changed["employee_id"] == "1002" and set(fields) == {"email", "departments"}
    assert fields["departments"]["old"] == "教务处" and fields["departments"]["new"] == "科学技术处"
    assert [p["employee_id"] for p in plan.leaving] == ["1003"]
    assert plan.unchanged == 1  # 张三
    assert list(User.objects.values_list("username", "is_active", "email").order_by("pk")) == before


def test_the_leaver_report_lists_open_items_of_their_departments(staff, dept_b):
    open_item = AssignmentFactory(department=dept_b)
    AssignmentFactory(department=dept_b, status=Assignment.Status.COMPLETED)
    _roster, plan = _plan(xlsx(ROSTER))
    [leaver] = plan.leaving
    assert leaver["name"] == "王五" and leaver["open_items_total"] == 1
    assert leaver["open_items"][0]["id"] == open_item.pk
    assert leaver["departments_without_lead"] == ["科学技术处"]
    assert leaver["roles"] == [{"department": "科学技术处", "roles": "部门负责人"}]


# --- the run ----------------------------------------------------------------------------------


def test_the_run_creates_updates_moves_and_deactivates(staff, dept_a, dept_b, admin_user):
    roster = read_roster(xlsx(ROSTER), "r.xlsx")
    directory_apply(rows=roster.rows, columns=roster.columns, source="directory", by=admin_user)
    zhao = User.objects.get(employee_id="1004")
    assert (zhao.username, zhao.display_name, zhao.source) == ("1004", "赵六", User.Source.DIRECTORY)
    assert not zhao.has_usable_password()
    assert Membership.objects.get(user=zhao).role == "lead"
    li = User.objects.get(employee_id="1002")
    assert li.email == "li.si@example.edu.cn"
    assert [m.department for m in li.memberships.all()] == [dept_b]
    wang = User.objects.get(employee_id="1003")
    assert wang.is_active is False  # deactivated, never deleted
    assert Membership.objects.filter(user=wang).exists()
    office = User.objects.get(username="office")
    assert office.is_active  # no 工号: never touched


def test_a_run_never_demotes_a_lead_set_by_the_office(staff, dept_a, admin_user):
    rows = [
        [1001, "张三", "教务处", "科员", "", ""],
        [1002, "李四", "教务处", "", "", ""],
        [1003, "王五", "", "", "", ""],
    ]
    roster = read_roster(xlsx(rows), "r.xlsx")
    directory_apply(rows=roster.rows, columns=roster.columns, source="directory", by=admin_user)
    assert Membership.objects.get(user__employee_id="1001").role == "lead"


def test_a_deactivated_person_back_in_the_roster_is_reactivated(staff, admin_user):
    staff["wang"].is_active = False
    staff["wang"].save()
    rows = [[1001, "张三", "", "", "", ""], [1002, "李四", "", "", "", ""], [1003, "王五", "", "", "", ""]]
    roster = read_roster(xlsx(rows), "r.xlsx")
    plan = directory_apply(rows=roster.rows, columns=roster.columns, source="directory", by=admin_user)
    assert any(c["field"] == "is_active" for p in plan.changed for c in p["changes"])
    staff["wang"].refresh_from_db()
    assert staff["wang"].is_active


def test_unmatched_departments_leave_memberships_alone_and_are_reported(staff, dept_a, admin_user):
    rows = [
        [1001, "张三", "不存在的处", "", "", ""],
        [1002, "李四", "教务处", "", "", ""],
        [1003, "王五", "", "", "", ""],
    ]
    roster = read_roster(xlsx(rows), "r.xlsx")
    plan = directory_apply(rows=roster.rows, columns=roster.columns, source="directory", by=admin_user)
    assert plan.report()["unmatched_departments"] == [{"name": "不存在的处", "count": 1}]
    assert Membership.objects.get(user__employee_id="1001").department == dept_a


def test_a_roster_that_would_deactivate_most_people_is_refused_without_confirmation(admin_user, dept_a):
    for i in range(30):
        UserFactory(username=f"p{i}", employee_id=f"90{i:02d}")
    roster = read_roster(xlsx([[9000, "唯一的人", "", "", "", ""]]), "partial.xlsx")
    with pytest.raises(ServiceError, match="五分之一"):
        directory_apply(rows=roster.rows, columns=roster.columns, source="directory", by=admin_user)
    assert User.objects.filter(employee_id__startswith="90", is_active=True).count() == 30
    directory_apply(rows=roster.rows, columns=roster.columns, source="directory", by=admin_user, allow_mass_leave=True)
    assert User.objects.filter(employee_id__startswith="90", is_active=True).count() == 1


def test_only_administrators_may_run_a_sync(staff, lead_a):
    from compliance.permissions import PermissionDeniedError

    roster = read_roster(xlsx(ROSTER), "r.xlsx")
    with pytest.raises(PermissionDeniedError):
        directory_apply(rows=roster.rows, columns=roster.columns, source="directory", by=lead_a)


# --- the page ---------------------------------------------------------------------------------


def test_the_page_shows_the_dry_run_then_runs_it(staff, admin_user, dept_b):
    AssignmentFactory(department=dept_b)
    client = Client()
    client.force_login(admin_user)
    upload = SimpleUploadedFile("花名册.xlsx", xlsx(ROSTER))
    resp = client.post("/directory/", {"file": upload})
    sync = DirectorySync.objects.get()
    assert resp.status_code == 302 and resp["Location"] == f"/directory/{sync.pk}/"
    page = client.get(resp["Location"]).content.decode()
    assert "预演报告" in page and "赵六" in page and "王五" in page and "li.si@example.edu.cn" in page
    assert "请安排交接或改派" in page
    assert User.objects.get(employee_id="1003").is_active
    resp = client.post(f"/directory/{sync.pk}/apply/", follow=True)
    assert "同步结果" in resp.content.decode()
    assert not User.objects.get(employee_id="1003").is_active
    sync.refresh_from_db()
    assert sync.status == DirectorySync.Status.APPLIED and sync.applied_by == admin_user
    resp = client.post(f"/directory/{sync.pk}/apply/", follow=True)
    assert "已经执行" in resp.content.decode()


def test_a_bad_upload_changes_nothing_and_says_why(staff, admin_user):
    client = Client()
    client.force_login(admin_user)
    resp = client.post("/directory/", {"file": SimpleUploadedFile("旧表.xls", b"\xd0\xcf\x11\xe0....")}, follow=True)
    assert "另存为 .xlsx" in resp.content.decode()
    assert not DirectorySync.objects.exists()


def test_a_discarded_sync_cannot_be_run(staff, admin_user):
    client = Client()
    client.force_login(admin_user)
    client.post("/directory/", {"file": SimpleUploadedFile("r.xlsx", xlsx(ROSTER))})
    sync = DirectorySync.objects.get()
    client.post(f"/directory/{sync.pk}/discard/")
    client.post(f"/directory/{sync.pk}/apply/")
    assert User.objects.get(employee_id="1003").is_active


# --- the command ------------------------------------------------------------------------------


def test_the_command_dry_run_then_run(staff, tmp_path, capsys):
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(xlsx(ROSTER))
    call_command("sync_directory", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "预演（未写入）：新增 1，变更 1，离职 1" in out
    assert "将停用\t1003\t王五" in out
    assert User.objects.get(employee_id="1003").is_active
    call_command("sync_directory", str(path))
    out = capsys.readouterr().out
    assert "已同步：新增 1，变更 1，离职 1" in out
    assert not User.objects.get(employee_id="1003").is_active
    assert DirectorySync.objects.get().status == DirectorySync.Status.APPLIED


def test_the_command_refuses_a_bad_file_and_changes_nothing(staff, tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("姓名\n张三\n", encoding="utf-8")
    with pytest.raises(CommandError, match="工号"):
        call_command("sync_directory", str(path))
    with pytest.raises(CommandError, match="二选一"):
        call_command("sync_directory")
    assert User.objects.filter(is_active=True).count() == 4
