"""List endpoints cost the same number of queries for 2 rows as for 20."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from compliance.models import Assignment, ExtensionRequest, Notification, ProgressUpdate
from compliance.tests.factories import (
    AssignmentFactory,
    EvidenceFactory,
    PolicyDocumentFactory,
    RequirementFactory,
    UserFactory,
)

from .conftest import token_client

pytestmark = pytest.mark.django_db


def _grow(kind: str, n: int, *, dept, user, anchor: Assignment) -> None:
    """Add n rows of the kind a list endpoint shows, each with its own related objects."""
    for i in range(n):
        if kind == "assignments":
            AssignmentFactory(department=dept, requirement__school_leader=UserFactory(role="leader"))
        elif kind == "documents":
            AssignmentFactory(department=dept, requirement=RequirementFactory(document=PolicyDocumentFactory()))
        elif kind == "requirements":
            RequirementFactory(document=anchor.requirement.document, school_leader=UserFactory(role="leader"))
        elif kind == "evidence":
            EvidenceFactory(assignment=anchor, uploaded_by=UserFactory())
        elif kind == "comments":
            ProgressUpdate.objects.create(assignment=anchor, author=UserFactory(), kind="comment", note=f"第{i}条")
        elif kind == "extensions":
            ExtensionRequest.objects.create(
                assignment=AssignmentFactory(department=dept),
                requested_by=UserFactory(),
                reason="理由",
                proposed_date=dt.date(2027, 1, 1),
                decided_by=UserFactory(role="admin"),
                status="approved",
            )
        elif kind == "notifications":
            Notification.objects.create(user=user, verb="assigned", message=f"通知{i}", assignment=anchor)


LISTS: dict[str, Callable[[Assignment], str]] = {
    "assignments": lambda a: "/api/assignments/",
    "documents": lambda a: "/api/documents/",
    "requirements": lambda a: "/api/requirements/",
    "evidence": lambda a: f"/api/assignments/{a.pk}/evidence/",
    "comments": lambda a: f"/api/assignments/{a.pk}/comments/",
    "extensions": lambda a: "/api/extension-requests/",
    "notifications": lambda a: "/api/notifications/",
}


@pytest.mark.parametrize("kind", list(LISTS))
def test_list_endpoint_runs_a_constant_number_of_queries(
    kind, lead_a, dept_a, assignment_a, django_assert_max_num_queries
):
    """A department lead's list: the query count for 20 rows is the count for 2 rows."""
    client = token_client(lead_a)
    url = LISTS[kind](assignment_a)
    _grow(kind, 2, dept=dept_a, user=lead_a, anchor=assignment_a)
    with CaptureQueriesContext(connection) as small:
        first = client.get(url)
    assert first.status_code == 200 and first.json()["count"] >= 2
    _grow(kind, 18, dept=dept_a, user=lead_a, anchor=assignment_a)
    with django_assert_max_num_queries(len(small.captured_queries)):
        second = client.get(url)
    assert second.json()["count"] >= 20
    assert len(second.json()["results"]) >= 20
