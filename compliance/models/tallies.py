"""Dashboard figures kept current as assignments change (PostgreSQL).

The dashboard's default view (everything in scope, this year's ranking) reads these small tables
instead of scanning every assignment. They hold counts of assignments on documents that are not
archived, grouped by what the figures need:

- DepartmentTally: department x status x due-date bucket x (due this year up to the reference
  day) x on time x month of completion;
- DocumentTally: document x status x due-date bucket x on time;
- DocumentUrgency: per document, its open items past due, its items not completed and all its
  items, indexed in that order so that the dashboard's "documents most in need of attention" reads
  a few index entries however many documents there are.

The due-date bucket is relative to a reference day (DashboardTallyState.ref_day): no due date,
past due, due within the 临期 window, later. Statement-level triggers on the assignment table
(migration 0011) add every change to the counts in the same transaction, whatever wrote it (the
services, QuerySet.update, bulk_create, COPY). The buckets move when the day changes, so the
tables are rebuilt once a day (beat, or the first dashboard of the day) and whenever a document is
archived or restored, the 临期 window or the time zone changes: the state row then no longer
matches and the dashboard scans as before until the rebuild. On SQLite there are no triggers and
the dashboard always scans.
"""

from __future__ import annotations

import datetime as dt

from django.db import models

NO_MONTH = dt.date(1, 1, 1)  # done_month of items not completed (a key column cannot be NULL)


class TallyBucket(models.IntegerChoices):
    NO_DUE_DATE = 0
    PAST_DUE = 1
    DUE_SOON = 2
    LATER = 3


class DashboardTallyState(models.Model):
    """One row (id 1): the day and rules the tallies were built for; ref_day NULL means stale."""

    ref_day = models.DateField(null=True)
    soon_days = models.IntegerField(default=0)
    tz = models.CharField(max_length=64, default="")
    rebuilt_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"tallies for {self.ref_day or 'nothing (stale)'}"


class DepartmentTally(models.Model):
    department_id = models.IntegerField()
    status = models.CharField(max_length=16)
    bucket = models.SmallIntegerField(choices=TallyBucket.choices)
    in_period = models.BooleanField()
    on_time = models.BooleanField()
    done_month = models.DateField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["department_id", "status", "bucket", "in_period", "on_time", "done_month"],
                name="uniq_department_tally",
            )
        ]

    def __str__(self) -> str:
        return f"department {self.department_id} {self.status}/{self.bucket}: {self.n}"


class DocumentTally(models.Model):
    document_id = models.IntegerField()
    status = models.CharField(max_length=16)
    bucket = models.SmallIntegerField(choices=TallyBucket.choices)
    on_time = models.BooleanField()
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document_id", "status", "bucket", "on_time"], name="uniq_document_tally")
        ]

    def __str__(self) -> str:
        return f"document {self.document_id} {self.status}/{self.bucket}: {self.n}"


class DocumentUrgency(models.Model):
    """Per document: open items past due, items not completed, all items (kept like the tallies)."""

    document_id = models.IntegerField(unique=True)
    overdue = models.IntegerField(default=0)
    not_completed = models.IntegerField(default=0)
    total = models.IntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                models.F("overdue").desc(),
                models.F("not_completed").desc(),
                "document_id",
                name="document_urgency_idx",
                condition=models.Q(total__gt=0),
            )
        ]

    def __str__(self) -> str:
        return f"document {self.document_id}: {self.overdue} overdue of {self.total}"
