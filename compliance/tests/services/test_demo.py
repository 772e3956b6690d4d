"""The demo data: the same departments, users, policy and work in progress every time, loaded once."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from compliance.models import (
    Assignment,
    Department,
    Evidence,
    Membership,
    Notification,
    PolicyDocument,
    ProgressUpdate,
    User,
)
from compliance.services.demo import demo_load

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
S = Assignment.Status


def _snapshot() -> dict[str, int]:
    return {
        "departments": Department.objects.count(),
        "department history": Department.history.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
        "documents": PolicyDocument.objects.count(),
        "assignments": Assignment.objects.count(),
        "assignment history": Assignment.history.count(),
        "evidence": Evidence.objects.count(),
        "updates": ProgressUpdate.objects.count(),
        "notifications": Notification.objects.count(),
    }


def test_the_demo_loads_departments_users_a_published_policy_and_work_in_every_state():
    report = demo_load(fixtures=FIXTURES)
    assert report.departments == Department.objects.count() >= 40 and report.users == 8
    assert [d.created for d in report.documents] == [True] and report.documents[0].assignments > 0
    doc = PolicyDocument.objects.get()
    assert doc.status == PolicyDocument.Status.PUBLISHED
    leads = {
        a.department.name: a for a in Assignment.objects.filter(role=Assignment.Role.LEAD).select_related("department")
    }
    assert leads["教务处"].status == S.IN_PROGRESS and leads["教务处"].progress == 60
    assert leads["实验室与设备管理处"].status == S.SUBMITTED and leads["实验室与设备管理处"].evidence.count() == 1
    assert leads["信息化办公室"].status == S.COMPLETED
    jwc = Department.objects.get(name="教务处")
    assert jwc.head.username == "jwc_lead" and jwc.liaison.username == "jwc_member"
    assert jwc.school_leader.username == "leader"
    assert Membership.objects.get(user__username="jwc_member", department=jwc).role == Membership.Role.MEMBER
    assert User.objects.get(username="admin").is_superuser and User.objects.get(username="admin").check_password(
        "duban-demo-2026"
    )


def test_loading_the_demo_again_changes_nothing():
    demo_load(fixtures=FIXTURES)
    before = _snapshot()
    report = demo_load(fixtures=FIXTURES)
    assert [d.created for d in report.documents] == [False]
    assert _snapshot() == before


def test_a_second_run_keeps_a_changed_password_and_restores_the_demo_roles():
    demo_load(fixtures=FIXTURES, policy=False)
    admin = User.objects.get(username="admin")
    admin.set_password("changed-by-hand")
    admin.role = User.Role.STAFF
    admin.save()
    demo_load(fixtures=FIXTURES, policy=False)
    admin.refresh_from_db()
    assert admin.check_password("changed-by-hand") and admin.role == User.Role.ADMINISTRATOR
    assert not PolicyDocument.objects.exists()
