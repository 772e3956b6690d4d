"""The domain model's constraints and history."""

import pytest
from django.db import IntegrityError, transaction

from compliance.models import Assignment, PolicyDocument
from compliance.tests.factories import AssignmentFactory, PolicyDocumentFactory, RequirementFactory

pytestmark = pytest.mark.django_db


def test_one_assignment_per_requirement_and_department(dept_a):
    """A requirement cannot be routed to the same department twice."""
    a = AssignmentFactory(department=dept_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(requirement=a.requirement, department=dept_a)
    assert Assignment.objects.filter(requirement=a.requirement).count() == 1


def test_same_requirement_may_go_to_another_department(dept_a, dept_b):
    a = AssignmentFactory(department=dept_a)
    Assignment.objects.create(requirement=a.requirement, department=dept_b, role="co")
    assert a.requirement.assignments.count() == 2


def test_recurring_periods_are_separate_assignments(dept_a):
    """Each occurrence of a recurring requirement has its own row and history."""
    a = AssignmentFactory(department=dept_a, period="2026")
    Assignment.objects.create(requirement=a.requirement, department=dept_a, period="2027")
    assert a.requirement.assignments.count() == 2


def test_document_content_hash_is_unique():
    doc = PolicyDocumentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PolicyDocument.objects.create(title="另一份", sha256=doc.sha256)


def test_progress_must_be_a_percentage(dept_a):
    a = AssignmentFactory(department=dept_a)
    a.progress = 120
    with pytest.raises(IntegrityError), transaction.atomic():
        a.save()


def test_history_records_who_changed_what(dept_a, admin_user):
    """Changing an assignment leaves a history row with the user, the time and the old value."""
    a = AssignmentFactory(department=dept_a)
    a.status = Assignment.Status.IN_PROGRESS
    a._history_user = admin_user
    a.save()
    latest, previous = a.history.all()[:2]
    assert latest.history_user == admin_user
    assert latest.history_date is not None
    delta = latest.diff_against(previous)
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "status"] == [
        ("status", "not_started", "in_progress")
    ]


def test_requirement_tree(dept_a):
    parent = RequirementFactory(label="一、", path=["一"], level=1, is_requirement=False)
    child = RequirementFactory(document=parent.document, parent=parent, label="（一）", path=["一", "（一）"])
    assert list(parent.children.all()) == [child]
    assert child.path_display == "一 > （一）"
