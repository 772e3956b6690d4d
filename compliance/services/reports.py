"""Periodic progress reports: open a round (by hand or on schedule), fill and submit reports, close.

A round covers the open assignments of the chosen documents (all published documents when none
is chosen); every one of them gets a draft report for its department, which saves it as often as
it likes and submits it once: a submitted report is locked. Submitting also records the progress
on the item itself, as the item page's progress form does.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Sequence

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Assignment, PolicyDocument, ProgressReport, ReportRound, ReportSchedule, User
from . import ServiceError
from .assignments import assignment_update_progress
from .evidence import evidence_upload_many
from .notifications import default_language, department_recipients, notify
from .recurrence import period_of

R = ProgressReport.Status
MAX_TEXT = 5000


def round_scope(documents: Iterable[PolicyDocument] = ()) -> list[Assignment]:
    """The assignments that report in a round: open items of published documents (or of ``documents``)."""
    qs = Assignment.objects.filter(
        status__in=Assignment.OPEN_STATUSES,
        requirement__is_requirement=True,
        requirement__document__status=PolicyDocument.Status.PUBLISHED,
        department__is_active=True,
    ).select_related("department", "requirement")
    ids = [d.pk for d in documents]
    if ids:
        qs = qs.filter(requirement__document_id__in=ids)
    return list(qs.order_by("department__order", "department_id", "id"))


def _check_dates(period_start: dt.date, period_end: dt.date, due_date: dt.date) -> None:
    if period_end < period_start:
        raise ServiceError(_("期间结束日期不能早于开始日期。"))
    if due_date < period_start:
        raise ServiceError(_("报送截止日期不能早于期间开始日期。"))


def _notify_departments(rnd: ReportRound, reports: Sequence[ProgressReport]) -> None:
    per_dept = Counter(r.department for r in reports)
    with default_language():
        for dept, n in per_dept.items():
            notify(
                users=department_recipients(dept),
                verb="report_round",
                message=_("请于 %(d)s 前报送“%(t)s”中 %(n)s 项事项的进展。")
                % {"d": rnd.due_date.isoformat(), "t": rnd.title, "n": n},
            )


def _create_round(
    *,
    by: User | None,
    title: str,
    period: str,
    period_start: dt.date,
    period_end: dt.date,
    due_date: dt.date,
    documents: Sequence[PolicyDocument],
    schedule: ReportSchedule | None,
) -> ReportRound:
    rnd = ReportRound(
        title=title,
        period=period,
        period_start=period_start,
        period_end=period_end,
        due_date=due_date,
        schedule=schedule,
        created_by=by,
    )
    rnd._history_user = by
    rnd.save()
    rnd.documents.set(documents)
    reports = ProgressReport.objects.bulk_create(
        [ProgressReport(round=rnd, assignment=a, department=a.department) for a in round_scope(documents)]
    )
    _notify_departments(rnd, reports)
    return rnd


def round_open(
    *,
    by: User,
    title: str,
    period: str,
    period_start: dt.date,
    period_end: dt.date,
    due_date: dt.date,
    documents: Sequence[PolicyDocument] = (),
) -> ReportRound:
    """The office opens a round; each open assignment in scope gets a draft report, departments are told."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以发起报送。"))
    title, period = (title or "").strip(), (period or "").strip()
    if not title:
        raise ServiceError(_("请填写报送标题。"))
    if not period:
        raise ServiceError(_("请填写期次，如 2027-01。"))
    _check_dates(period_start, period_end, due_date)
    with transaction.atomic():
        return _create_round(
            by=by,
            title=title[:200],
            period=period[:16],
            period_start=period_start,
            period_end=period_end,
            due_date=due_date,
            documents=list(documents),
            schedule=None,
        )


def schedule_create(
    *, by: User, name: str, recurrence: str, due_day: int, documents: Sequence[PolicyDocument] = ()
) -> ReportSchedule:
    """The office sets up a recurring round (monthly or quarterly)."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以设置定期报送。"))
    name = (name or "").strip()
    if not name:
        raise ServiceError(_("请填写计划名称。"))
    if recurrence not in ReportSchedule.Recurrence.values:
        raise ServiceError(_("周期只能是每月或每季度。"))
    if not 1 <= int(due_day) <= 31:
        raise ServiceError(_("报送截止日应在 1 到 31 之间。"))
    with transaction.atomic():
        schedule = ReportSchedule(name=name[:200], recurrence=recurrence, due_day=int(due_day), created_by=by)
        schedule._history_user = by
        schedule.save()
        schedule.documents.set(documents)
    return schedule


def schedule_set_active(*, schedule: ReportSchedule, by: User, active: bool) -> ReportSchedule:
    permissions.require(permissions.is_administrator(by), _("只有管理员可以设置定期报送。"))
    schedule.is_active = bool(active)
    schedule._history_user = by
    schedule.save(update_fields=["is_active"])
    return schedule


def schedule_due_date(schedule: ReportSchedule, period_end: dt.date) -> dt.date:
    """The schedule's day in the period's last month (31 in a 30-day month is its last day)."""
    last = calendar.monthrange(period_end.year, period_end.month)[1]
    return period_end.replace(day=min(schedule.due_day, last))


def round_open_due(*, today: dt.date) -> list[ReportRound]:
    """Open this period's round of every active schedule that has none yet (Celery beat, hourly).

    The (schedule, period) constraint makes a second run, or two schedulers at once, open nothing
    more; a period missed while nothing ran is opened on the next run within it.
    """
    opened = []
    for schedule in ReportSchedule.objects.filter(is_active=True).prefetch_related("documents"):
        period = period_of(schedule.recurrence, today)
        if ReportRound.objects.filter(schedule=schedule, period=period.label).exists():
            continue
        try:
            with transaction.atomic():
                opened.append(
                    _create_round(
                        by=None,
                        title=f"{schedule.name}（{period.label}）",
                        period=period.label,
                        period_start=period.start,
                        period_end=period.end,
                        due_date=schedule_due_date(schedule, period.end),
                        documents=list(schedule.documents.all()),
                        schedule=schedule,
                    )
                )
        except IntegrityError:
            continue  # another run opened it first
    return opened


def round_close(*, rnd: ReportRound, by: User) -> ReportRound:
    """End a round: drafts can no longer be filed (they stay counted as late)."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以结束报送。"))
    if rnd.status != ReportRound.Status.CLOSED:
        rnd.status = ReportRound.Status.CLOSED
        rnd._history_user = by
        rnd.save(update_fields=["status"])
    return rnd


def _clean(text: str | None, label: str) -> str:
    text = (text or "").strip()
    if len(text) > MAX_TEXT:
        raise ServiceError(_("“%(f)s”不能超过 %(n)s 字。") % {"f": label, "n": MAX_TEXT})
    return text


def report_save(
    *,
    report: ProgressReport,
    by: User,
    progress_text: str,
    percent: int,
    problems: str = "",
    next_steps: str = "",
    files: Sequence[tuple[str, bytes]] = (),
    submit: bool = False,
) -> ProgressReport:
    """Save a department's draft (and, with ``submit``, submit it: it is then locked).

    Only the department's own people may write it; a submitted report or a closed round refuses
    every change. Files are stored as the item's evidence (all or none) and attached to the report.
    """
    try:
        percent = int(percent)
    except (TypeError, ValueError):
        raise ServiceError(_("进度应在 0 到 100 之间。")) from None
    if not 0 <= percent <= 100:
        raise ServiceError(_("进度应在 0 到 100 之间。"))
    fields = {
        "progress_text": _clean(progress_text, _("进展情况")),
        "problems": _clean(problems, _("存在问题")),
        "next_steps": _clean(next_steps, _("下一步计划")),
    }
    if submit and not fields["progress_text"]:
        raise ServiceError(_("请填写进展情况后再提交。"))
    with transaction.atomic():
        current = ProgressReport.objects.select_for_update().select_related("round", "assignment").get(pk=report.pk)
        permissions.require(
            current.department_id in permissions.editable_department_ids(by), _("您只能填报本部门的进展。")
        )
        if current.status == R.SUBMITTED:
            raise ServiceError(_("该报送已提交，不能再修改。"))
        if current.round.status == ReportRound.Status.CLOSED:
            raise ServiceError(_("本轮报送已结束，不能再填报。"))
        for name, value in fields.items():
            setattr(current, name, value)
        current.percent = percent
        if files:
            current.evidence.add(*evidence_upload_many(assignment=current.assignment, by=by, files=files))
        if submit:
            current.status = R.SUBMITTED
            current.submitted_at = timezone.now()
            current.submitted_by = by
        current._history_user = by
        current._change_reason = "submit" if submit else "draft"
        current.save()
        if submit and current.assignment.is_open and permissions.can_edit_assignment(by, current.assignment):
            # The report's figure becomes the item's progress, as the item page's form would record it.
            assignment_update_progress(
                assignment=current.assignment, by=by, percent=percent, note=fields["progress_text"][:2000]
            )
    return current


def report_submit(*, report: ProgressReport, by: User) -> ProgressReport:
    """Submit a saved draft as it stands."""
    report = ProgressReport.objects.get(pk=report.pk)
    return report_save(
        report=report,
        by=by,
        progress_text=report.progress_text,
        percent=report.percent,
        problems=report.problems,
        next_steps=report.next_steps,
        submit=True,
    )
