"""What an audit workbook covers (document, department, as-of date) and what it is called."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Department, PolicyDocument


def university_name() -> str:
    """The name printed in titles and file names (DUBAN_UNIVERSITY_NAME; empty: no name at all)."""
    return settings.DUBAN_UNIVERSITY_NAME.strip()


@dataclass(frozen=True)
class AuditScope:
    """What the workbook covers: optional document and department, the as-of date, and whether
    documents never published (drafts, not routed yet) are included."""

    as_of: dt.date
    document: PolicyDocument | None = None
    department: Department | None = None
    include_drafts: bool = False

    @property
    def as_of_end(self) -> dt.datetime:
        """The first instant after the as-of day, in the site's time zone."""
        return timezone.make_aware(dt.datetime.combine(self.as_of + dt.timedelta(days=1), dt.time.min))

    @property
    def uses_history(self) -> bool:
        """A past date is answered from the change history; today or later from the live rows."""
        return self.as_of < timezone.localdate()

    def describe(self) -> str:
        parts = [_("截至 %(d)s") % {"d": self.as_of.isoformat()}]
        parts.append(_("文件：%(t)s") % {"t": self.document.title if self.document else _("全部")})
        parts.append(_("部门：%(n)s") % {"n": self.department.name if self.department else _("全部")})
        if self.include_drafts:
            parts.append(_("含未发布的草稿"))
        return "    ".join(parts)


def audit_filename(scope: AuditScope) -> str:
    """A Chinese file name without characters that break downloads or file systems."""
    what = f"《{scope.document.title[:40]}》" if scope.document else _("重点任务")
    dept = f"_{scope.department.name}" if scope.department else ""
    workbook, as_of = _("审计工作簿"), _("截至")
    name = f"{university_name()}{what}{workbook}{dept}_{as_of}{scope.as_of.isoformat()}.xlsx"
    return re.sub(r'[\\/:*?"<>|\x00-\x1f\x7f]', "_", name)
