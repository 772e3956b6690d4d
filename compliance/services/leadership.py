"""What a school leader (分管校领导) does: 批示 on an item or a document, and 催办 of a department.

The office may urge too (督办 is its job). Both are kept (with history) and told to the people
concerned in the app and by e-mail; urges received count in the departments' ranking.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..models import Assignment, Department, Instruction, PolicyDocument, Urge, User
from . import ServiceError
from .assignments import check_length
from .notifications import administrators, default_language, department_recipients, notify

# One urge per person, department and item (or department as a whole) in this window.
URGE_REPEAT_AFTER = dt.timedelta(hours=20)


def _title(assignment: Assignment) -> str:
    return assignment.requirement.heading or assignment.requirement.text[:40]


def instruction_add(
    *, by: User, text: str, assignment: Assignment | None = None, document: PolicyDocument | None = None
) -> Instruction:
    """A school leader's 批示 on one item (of a department in his charge) or on a whole document.

    The item's department and the office are told; on a document, the office and the departments
    in his charge that have items in it.
    """
    if (assignment is None) == (document is None):
        raise ServiceError(_("批示须针对一个事项或一份文件。"))
    text = check_length(text, _("批示"))
    if not text:
        raise ServiceError(_("批示内容不能为空。"))
    if assignment is not None:
        permissions.require(
            permissions.can_instruct_assignment(by, assignment), _("只有分管该部门的校领导可以作批示。")
        )
        document = assignment.requirement.document
        departments = [assignment.department]
    else:
        overseen = permissions.overseen_department_ids(by)
        departments = list(
            Department.objects.filter(
                pk__in=overseen, assignments__requirement__document=document, is_active=True
            ).distinct()
        )
        permissions.require(bool(departments), _("只有分管相关部门的校领导可以对该文件作批示。"))
    with transaction.atomic():
        item = Instruction(document=document, assignment=assignment, author=by, text=text)
        item._history_user = by
        item.save()
        with default_language():
            if assignment is not None:
                message = _("%(who)s 对“%(t)s”作出批示：%(text)s") % {"who": by, "t": _title(assignment), "text": text}
            else:
                message = _("%(who)s 对文件《%(d)s》作出批示：%(text)s") % {
                    "who": by,
                    "d": document.title,
                    "text": text,
                }
            users = list(administrators())
            for department in departments:
                users.extend(department_recipients(department))
            notify(
                users=[u for u in users if u.pk != by.pk],
                verb="instruction",
                assignment=assignment,
                department=departments[0] if len(departments) == 1 else None,
                message=message,
            )
    return item


def urge_create(*, by: User, department: Department, assignment: Assignment | None = None, note: str = "") -> Urge:
    """催办 a department, about one of its open items or in general; the department is told at once.

    The same person urging the same department about the same thing again within
    ``URGE_REPEAT_AFTER`` is refused, so a double click does not count twice in the ranking.
    """
    permissions.require(
        permissions.can_urge_department(by, department.pk), _("只有督查办或分管该部门的校领导可以催办。")
    )
    note = check_length(note, _("催办说明"))
    if assignment is not None:
        if assignment.department_id != department.pk:
            raise ServiceError(_("该事项不属于 %(d)s。") % {"d": department.name})
        if not assignment.is_open:
            raise ServiceError(_("事项状态为“%(s)s”，无需催办。") % {"s": assignment.get_status_display()})
    with transaction.atomic():
        recent = Urge.objects.select_for_update().filter(
            by=by, department=department, assignment=assignment, created_at__gte=timezone.now() - URGE_REPEAT_AFTER
        )
        if recent.exists():
            raise ServiceError(_("您今天已催办过 %(d)s 的这项工作，请勿重复催办。") % {"d": department.name})
        urge = Urge(department=department, assignment=assignment, by=by, note=note)
        urge._history_user = by
        urge.save()
        with default_language():
            if assignment is not None:
                message = _("%(who)s 催办“%(t)s”（完成时限 %(d)s），请抓紧办理。") % {
                    "who": by,
                    "t": _title(assignment),
                    "d": assignment.due_date.isoformat() if assignment.due_date else _("未设定"),
                }
            else:
                message = _("%(who)s 催办 %(dept)s 的未办结事项，请抓紧办理。") % {"who": by, "dept": department.name}
            if note:
                message = f"{message}{note}"
            notify(
                users=department_recipients(department),
                verb="urged",
                assignment=assignment,
                department=department,
                message=message,
            )
    return urge
