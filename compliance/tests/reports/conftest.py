"""A reporting round over 教务处's and 科学技术处's open items."""

from __future__ import annotations

import datetime as dt

import pytest

from compliance.services.reports import round_open
from compliance.tests.factories import AssignmentFactory, RequirementFactory


@pytest.fixture
def items(dept_a, dept_b):
    """Two open items of 教务处, one of 科学技术处, one closed item of 教务处 (does not report)."""
    req = RequirementFactory(deadline_date=dt.date(2027, 6, 30))
    a1 = AssignmentFactory(requirement=req, department=dept_a)
    a2 = AssignmentFactory(requirement__document=req.document, department=dept_a, status="in_progress")
    b1 = AssignmentFactory(requirement__document=req.document, department=dept_b)
    closed = AssignmentFactory(requirement__document=req.document, department=dept_a, status="completed")
    return {"a1": a1, "a2": a2, "b1": b1, "closed": closed, "document": req.document}


@pytest.fixture
def rnd(admin_user, items, lead_a, lead_b):
    return round_open(
        by=admin_user,
        title="2027年1月进展报送",
        period="2027-01",
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 1, 31),
        due_date=dt.date(2027, 1, 25),
    )
