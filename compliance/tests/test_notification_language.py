"""Notifications are written in the site's language, whatever language the actor uses."""

import pytest
from django.utils import translation

from compliance.models import Assignment, Notification
from compliance.services.assignments import assignment_return

pytestmark = pytest.mark.django_db


def test_an_administrator_working_in_english_notifies_the_unit_in_chinese(admin_user, lead_a, assignment_a):
    Assignment.objects.filter(pk=assignment_a.pk).update(status=Assignment.Status.SUBMITTED)
    assignment_a.refresh_from_db()
    with translation.override("en"):
        assignment_return(assignment=assignment_a, by=admin_user, reason="材料不全")
    note = Notification.objects.get(user=lead_a, verb="returned")
    assert "被退回" in note.message
    assert "returned" not in note.message.lower()
