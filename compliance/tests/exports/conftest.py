"""A small, fixed world for the workbook tests: one document, three requirements, frozen today."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.utils import timezone

from compliance.models import Assignment
from compliance.tests.factories import (
    AssignmentFactory,
    EvidenceFactory,
    PolicyDocumentFactory,
    RequirementFactory,
)

CST = dt.timezone(dt.timedelta(hours=8))
TODAY = dt.date(2026, 5, 15)
FORMULA_NOTE = '=HYPERLINK("http://evil.example","点我")'


@pytest.fixture(autouse=True)
def _university_name(settings):
    """The workbooks in these tests belong to 示范大学 (DUBAN_UNIVERSITY_NAME)."""
    settings.DUBAN_UNIVERSITY_NAME = "示范大学"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Test users need no slow password hashing (autouse: runs before the user fixtures)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=CST)


@pytest.fixture
def frozen():
    with time_machine.travel(at(TODAY), tick=False) as traveller:
        yield traveller


@pytest.fixture
def world(db, frozen, dept_a, dept_b, admin_user, lead_a, school_leader):
    """r1: 教务处 leads, 科技处 cooperates, completed on time with evidence;
    r2: 教务处, overdue, progress note that looks like a formula; r3: not assigned yet."""
    frozen.move_to(at(dt.date(2026, 3, 1)))
    doc = PolicyDocumentFactory(title="关于深化本科教育教学改革的意见", doc_number="教高〔2026〕1号")
    r1 = RequirementFactory(
        document=doc,
        label="（一）",
        path=["一", "（一）"],
        heading="",
        text="完善课程体系。",
        deadline_date=dt.date(2026, 4, 30),
    )
    r2 = RequirementFactory(
        document=doc,
        label="（二）",
        path=["一", "（二）"],
        heading="",
        text="加强实验室安全。",
        deadline_date=dt.date(2026, 5, 10),
    )
    r3 = RequirementFactory(
        document=doc,
        label="（三）",
        path=["一", "（三）"],
        heading="",
        text="建设智慧教室。",
        deadline_date=None,
        deadline_text="长期坚持",
    )
    a1 = AssignmentFactory(requirement=r1, department=dept_a)
    co = AssignmentFactory(requirement=r1, department=dept_b, role=Assignment.Role.COOPERATING)
    a2 = AssignmentFactory(requirement=r2, department=dept_a)
    frozen.move_to(at(dt.date(2026, 4, 20)))
    EvidenceFactory(assignment=a1, original_name="课程体系方案.pdf", uploaded_by=lead_a)
    for a in (a1, co):
        a.status = Assignment.Status.COMPLETED
        a.completed_at = timezone.now()
        a.progress_note = "已完成课程体系修订"
        a._history_user = admin_user
        a.save()
    frozen.move_to(at(dt.date(2026, 5, 2)))
    a2.status = Assignment.Status.IN_PROGRESS
    a2.progress_note = FORMULA_NOTE + "\x07"
    a2._history_user = lead_a
    a2.save()
    frozen.move_to(at(TODAY))
    return {"doc": doc, "r1": r1, "r2": r2, "r3": r3, "a1": a1, "a2": a2, "co": co}


def load(wb_or_bytes) -> openpyxl.Workbook:
    if isinstance(wb_or_bytes, (bytes, bytearray)):
        data = bytes(wb_or_bytes)
    else:
        buf = io.BytesIO()
        wb_or_bytes.save(buf)
        data = buf.getvalue()
    return openpyxl.load_workbook(io.BytesIO(data))


def saved_bytes(wb) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
