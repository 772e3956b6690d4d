"""Routing: propose lead and cooperating departments for requirements, publish assignments."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..display import names_joined
from ..models import Assignment, Department, ExternalBody, PolicyDocument, Requirement, User
from ..parsing.external import addressee_names, is_external_body
from ..parsing.pipeline import quote_title
from ..parsing.routing_words import KeywordVerdict, keyword_verdict, theme_words
from . import ServiceError
from .assignments import (
    assignment_create,
    assignment_due_date_change,
    assignment_mark_not_applicable,
    assignment_reassign,
)
from .notifications import default_language

COLLECTIVE = {
    "各学院": {"kinds": [Department.Kind.SCHOOL]},
    "各二级学院": {"kinds": [Department.Kind.SCHOOL]},
    "各院系": {"kinds": [Department.Kind.SCHOOL]},
    "各职能部门": {"kinds": [Department.Kind.FUNCTIONAL]},
    "各部门": {"kinds": [Department.Kind.FUNCTIONAL]},
    "各单位": {"kinds": [Department.Kind.FUNCTIONAL, Department.Kind.SCHOOL, Department.Kind.AFFILIATED]},
    "各直属单位": {"kinds": [Department.Kind.AFFILIATED]},
}
_PUNCT = re.compile(r"[\s（）()【】\[\]]")


def _key(name: str) -> str:
    return _PUNCT.sub("", name)


@dataclass
class Proposal:
    lead: list[Department] = field(default_factory=list)
    co: list[Department] = field(default_factory=list)
    unmatched: list[str] = field(default_factory=list)
    external: list[str] = field(default_factory=list)  # printed names of external bodies (addressees)
    source: str = ""  # "plan" | "annotation" | "keywords" | ""
    words: KeywordVerdict | None = None  # the keyword evidence, shown with its strength
    spread: bool = False  # a keyword lead dropped: it would have led most of the document


@dataclass
class WordEvidence:
    """One department's matched words on a row of the assignment screen."""

    department: Department
    words: tuple[str, ...]
    strength: float


class DepartmentDirectory:
    """Name/alias lookup over active departments and the external names, loaded once per routing run.

    With ``include_inactive`` departments that were closed are found too (an audit of the past
    may name one); an active department wins a name both carry.
    """

    def __init__(self, *, include_inactive: bool = False) -> None:
        qs = Department.objects.all() if include_inactive else Department.objects.filter(is_active=True)
        self.departments = list(qs.order_by("-is_active", "id"))
        self.by_id = {d.pk: d for d in self.departments}
        self.by_name: dict[str, Department] = {}
        for d in self.departments:
            for n in d.all_names:
                self.by_name.setdefault(_key(n), d)
        self.external_names = list(ExternalBody.objects.values_list("name", flat=True))
        self.rules = {d.pk: [k for k in d.keywords if k] for d in self.departments if d.keywords and d.is_active}
        self._themes: dict[int, set[str]] = {}

    def find(self, name: str) -> Department | None:
        """The one department with this name, short name or alias (collective words find none)."""
        return self.by_name.get(_key(name)) if _key(name) else None

    def match(self, name: str) -> list[Department]:
        key = _key(name)
        if not key:
            return []
        if key in self.by_name:
            return [self.by_name[key]]
        if key in COLLECTIVE:
            kinds = COLLECTIVE[key]["kinds"]
            return [d for d in self.departments if d.kind in kinds]
        return []

    def is_external(self, name: str) -> bool:
        """A name no department carries that names an outside body (省发展改革委, 各高校 …)."""
        return not self.match(name) and is_external_body(name, self.external_names)

    def theme(self, document_id: int) -> set[str]:
        """Routing words found in most of a document's tracked clauses: they route nothing there."""
        if document_id not in self._themes:
            texts = Requirement.objects.filter(document_id=document_id, is_requirement=True).values_list(
                "text", flat=True
            )
            self._themes[document_id] = theme_words(list(texts), self.rules)
        return self._themes[document_id]

    def verdict(self, requirement: Requirement) -> KeywordVerdict:
        return keyword_verdict(
            requirement.heading,
            requirement.text,
            self.rules,
            min_strength=settings.DUBAN_ROUTING_MIN_STRENGTH,
            theme=self.theme(requirement.document_id),
        )

    def evidence(self, verdict: KeywordVerdict | None) -> list[WordEvidence]:
        if verdict is None:
            return []
        return [WordEvidence(self.by_id[m.key], m.words, m.strength) for m in verdict.matches if m.key in self.by_id]


def propose(requirement: Requirement, directory: DepartmentDirectory | None = None) -> Proposal:
    """The office's plan first, then the printed units (by name or alias, collectives expanded),
    then keyword rules, cautiously (see ``parsing.routing_words``). External bodies are set aside."""
    directory = directory or DepartmentDirectory()
    p = Proposal()
    plan = requirement.routing_plan
    if plan is not None:
        sources = ((plan.get("lead", []), p.lead), (plan.get("co", []), p.co))
    else:
        sources = ((requirement.lead_units_text, p.lead), (requirement.co_units_text, p.co))
    for names, bucket in sources:
        for name in names:
            found = directory.match(name)
            if found:
                bucket.extend(d for d in found if d not in bucket)
            elif directory.is_external(name):
                p.external.append(name)
            else:
                p.unmatched.append(name)
    if plan is not None:
        p.source = "plan"
        p.co = [d for d in p.co if d not in p.lead]
        return p
    if p.lead or p.co:
        p.source = "annotation"
        if not p.lead:
            p.lead, p.co = p.co[:1], p.co[1:]
        p.co = [d for d in p.co if d not in p.lead]
        return p
    p.words = directory.verdict(requirement)
    if p.words.lead is not None:
        p.lead = [directory.by_id[p.words.lead]]
        p.co = [directory.by_id[k] for k in p.words.co]
        p.source = "keywords"
    return p


def propose_document(
    requirements: list[Requirement], directory: DepartmentDirectory | None = None
) -> dict[int, Proposal]:
    """Proposals for a document's tracked requirements, never spreading one department over most of it.

    A department that keyword rules would make the lead of more than half of the tracked clauses
    (at least 4) is proposed for none of them: such a match says what the document is about, not
    who does each part. The words stay visible on the assignment screen.
    """
    directory = directory or DepartmentDirectory()
    tracked = [r for r in requirements if r.is_requirement and not r.not_applicable]
    proposals = {r.pk: propose(r, directory) for r in requirements if r.is_requirement}
    keyword_leads: dict[int, list[int]] = {}
    for req_id, p in proposals.items():
        if p.source == "keywords":
            keyword_leads.setdefault(p.lead[0].pk, []).append(req_id)
    for _dept, req_ids in keyword_leads.items():
        if len(req_ids) >= 4 and len(req_ids) * 2 > len(tracked):
            for req_id in req_ids:
                p = proposals[req_id]
                p.lead, p.co, p.source, p.spread = [], [], "", True
    return proposals


def document_addressees(*, document: PolicyDocument, directory: DepartmentDirectory | None = None) -> list[str]:
    """External bodies a document names: its 主送 line and the units printed on its clauses, each once."""
    directory = directory or DepartmentDirectory()
    names: dict[str, None] = dict.fromkeys(addressee_names(document.body))
    for lead, co in document.requirements.filter(is_requirement=True).values_list("lead_units_text", "co_units_text"):
        for name in [*lead, *co]:
            if directory.is_external(name):
                names.setdefault(name.strip())
    return [n for n in names if n]


def past_deadlines(*, document: PolicyDocument) -> list[Requirement]:
    """Tracked, applicable requirements whose deadline is already past (flagged before publishing)."""
    return list(
        document.requirements.filter(
            is_requirement=True, not_applicable=False, deadline_date__lt=timezone.localdate()
        ).order_by("order")
    )


def alias_remember(*, department: Department, name: str, by: User) -> Department:
    """Map an unmatched printed name to a department once; it is kept as an alias."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以维护部门别名。"))
    name = name.strip()
    if name and name not in department.all_names:
        department.aliases = [*department.aliases, name]
        department._history_user = by
        department.save(update_fields=["aliases"])
    return department


def document_publishable_check(*, document: PolicyDocument) -> None:
    """Refuse a reference document, and a document without a tracked requirement (it would publish nothing)."""
    if document.is_reference:
        raise ServiceError(_("%(t)s是参考文件，不产生任务，不能发布。") % {"t": quote_title(document.title)})
    if not document.requirements.filter(is_requirement=True).exists():
        raise ServiceError(
            _("%(t)s没有需跟踪的条款，不能发布。请先在“修改条款”页面添加条款，或将其标为参考文件（不产生任务）。")
            % {"t": quote_title(document.title)}
        )


def document_publish(
    *,
    document: PolicyDocument,
    by: User,
    proposals: dict[int, Proposal] | None = None,
    allow_past_deadlines: bool = False,
) -> int:
    """Create assignments for every tracked requirement with a proposal; return how many were created.

    On a first publication, deadlines already past are refused unless ``allow_past_deadlines`` (the
    office confirmed them): 力争2020年 read as 2020-12-31 on a 2026 import would make every item
    overdue at once. Publishing again (new cooperating units) does not ask again.
    """
    permissions.require(permissions.is_administrator(by), _("只有管理员可以发布任务。"))
    document_publishable_check(document=document)
    if not allow_past_deadlines and document.status == PolicyDocument.Status.DRAFT:
        past = past_deadlines(document=document)
        if past:
            raise ServiceError(
                _("%(n)s 条条款的完成时限早于今天（%(rows)s）。请先调整时限，或确认按原时限发布。")
                % {"n": len(past), "rows": names_joined(f"{r.path_display} {r.deadline_date}" for r in past[:5])}
            )
    directory = DepartmentDirectory()
    created = 0
    with transaction.atomic():
        reqs = list(document.requirements.filter(is_requirement=True, not_applicable=False))
        computed = propose_document(reqs, directory) if proposals is None else proposals
        for req in reqs:
            prop = computed.get(req.pk) or propose(req, directory)
            for dept, role in [(d, Assignment.Role.LEAD) for d in prop.lead] + [
                (d, Assignment.Role.COOPERATING) for d in prop.co
            ]:
                before = Assignment.objects.filter(requirement=req, department=dept, period="").exists()
                assignment_create(requirement=req, department=dept, by=by, role=role)
                created += 0 if before else 1
        document.status = PolicyDocument.Status.PUBLISHED
        document._history_user = by
        document.save(update_fields=["status"])
    return created


# --- Assignment screen: bulk actions on a selection, keyword rules ---------------------------


@dataclass
class BulkOutcome:
    """What a bulk action changed, and what it could not do (shown to the administrator)."""

    changed: int = 0
    problems: list[str] = field(default_factory=list)


def _plan_write(req: Requirement, lead: list[Department], co: list[Department], by: User) -> None:
    """Store the administrator's routing choice on the requirement.

    The plan is kept as department names in ``routing_plan``, which ``propose`` reads back
    before the printed annotation; the printed unit names are never overwritten.
    """
    req.routing_plan = {"lead": [d.name for d in lead], "co": [d.name for d in co if d not in lead]}
    req._history_user = by
    req._change_reason = "routing"
    req.save(update_fields=["routing_plan"])


def routing_plan_set(*, requirement: Requirement, lead: list[Department], co: list[Department], by: User) -> None:
    """Record the office's lead and cooperating units for one requirement (used at publication)."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以分配任务。"))
    _plan_write(requirement, lead, co, by)


def requirements_bulk_update(
    *,
    document: PolicyDocument,
    requirement_ids: list[int],
    by: User,
    lead: Department | None = None,
    co: list[Department] | None = None,
    deadline: dt.date | None = None,
    school_leader: User | None = None,
    not_applicable: bool | None = None,
) -> BulkOutcome:
    """Apply one administrator decision to several requirements of a document.

    Before publication only the plan changes. After publication, existing assignments follow:
    a new lead reassigns the lead assignment (history keeps both), a new deadline moves the
    open assignments' due dates, "not applicable" closes them; new cooperating units get their
    assignments at the next publication.
    """
    permissions.require(permissions.is_administrator(by), _("只有管理员可以分配任务。"))
    if document.is_reference:
        raise ServiceError(_("%(t)s是参考文件，不分配任务。") % {"t": quote_title(document.title)})
    outcome = BulkOutcome()
    directory = DepartmentDirectory()
    published = document.status == PolicyDocument.Status.PUBLISHED
    with default_language():  # stored in the history and sent to the departments
        deadline_reason = _("督查办设定完成时限")
        not_applicable_reason = _("整条标记为不适用")
    with transaction.atomic():
        reqs = list(document.requirements.select_for_update().filter(pk__in=requirement_ids, is_requirement=True))
        current_plans = (
            propose_document(list(document.requirements.all()), directory) if lead is None or co is None else {}
        )
        for req in reqs:
            if lead is not None or co is not None:
                current = current_plans.get(req.pk) or propose(req, directory)
                new_lead = [lead] if lead is not None else current.lead
                new_co = list(co) if co is not None else current.co
                _plan_write(req, new_lead, new_co, by)
                if published and lead is not None:
                    old = req.assignments.filter(role=Assignment.Role.LEAD, period="").first()
                    if old is not None and old.department_id != lead.pk:
                        try:
                            assignment_reassign(assignment=old, by=by, department=lead)
                        except ServiceError as exc:
                            outcome.problems.append(f"{req.path_display}: {exc}")
            fields: list[str] = []
            if deadline is not None:
                # The printed deadline text stays; the office's date becomes the resolved deadline.
                req.deadline_date = deadline
                fields.append("deadline_date")
            if school_leader is not None:
                req.school_leader = school_leader
                fields.append("school_leader")
            if not_applicable is not None:
                req.not_applicable = not_applicable
                fields.append("not_applicable")
            if fields:
                req._history_user = by
                req._change_reason = "routing"
                req.save(update_fields=fields)
            if published and deadline is not None:
                for a in req.assignments.filter(status__in=Assignment.OPEN_STATUSES):
                    assignment_due_date_change(assignment=a, by=by, due_date=deadline, reason=deadline_reason)
            if published and not_applicable:
                for a in req.assignments.exclude(status__in=Assignment.CLOSED_STATUSES):
                    assignment_mark_not_applicable(assignment=a, by=by, reason=not_applicable_reason)
            outcome.changed += 1
    return outcome


def unmatched_names(*, document: PolicyDocument, directory: DepartmentDirectory | None = None) -> list[str]:
    """Printed unit names of a document that match no department and name no external body, each once."""
    directory = directory or DepartmentDirectory()
    names: dict[str, None] = {}
    for req in document.requirements.filter(is_requirement=True, not_applicable=False, routing_plan__isnull=True):
        for name in [*req.lead_units_text, *req.co_units_text]:
            if not directory.match(name) and not directory.is_external(name):
                names.setdefault(name.strip())
    return [n for n in names if n]


def external_body_add(*, name: str, by: User) -> ExternalBody:
    """Keep a printed name on the office's list of external bodies (never offered as an alias again)."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以维护外部单位名单。"))
    name = name.strip()
    if not name or len(name) > 100:
        raise ServiceError(_("请填写外部单位名称（最多 100 字）。"))
    owner = DepartmentDirectory().match(name)
    if owner:
        raise ServiceError(_("“%(n)s”是本校 %(d)s 的名称或别名，不能列为外部单位。") % {"n": name, "d": owner[0].name})
    body = ExternalBody.objects.filter(name=name).first()
    if body is None:
        body = ExternalBody(name=name, created_by=by)
        body._history_user = by
        body.save()
    return body


def external_body_remove(*, name: str, by: User) -> bool:
    """Take a name off the office's list; return whether it was there."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以维护外部单位名单。"))
    body = ExternalBody.objects.filter(name=name.strip()).first()
    if body is None:
        return False
    body._history_user = by
    body.delete()
    return True


def document_default_deadline(
    *, document: PolicyDocument, by: User, deadline: dt.date, overwrite: bool = False
) -> BulkOutcome:
    """Set a document's default deadline and give it to its tracked rows (those without one, or all).

    After publication the open items follow, as with any new deadline (``requirements_bulk_update``).
    """
    permissions.require(permissions.is_administrator(by), _("只有管理员可以设置完成时限。"))
    with transaction.atomic():
        document.default_due_date = deadline
        document._history_user = by
        document.save(update_fields=["default_due_date"])
        rows = document.requirements.filter(is_requirement=True, not_applicable=False)
        if not overwrite:
            rows = rows.filter(deadline_date__isnull=True)
        ids = list(rows.values_list("pk", flat=True))
        if not ids:
            return BulkOutcome()
        return requirements_bulk_update(document=document, requirement_ids=ids, by=by, deadline=deadline)


def _split_words(raw: str | list[str]) -> list[str]:
    """Split keywords or aliases typed as one line (、，,；; or new lines) into a clean list."""
    if isinstance(raw, list):
        parts = raw
    else:
        parts = re.split(r"[、，,；;\n\r]+", raw)
    return list(dict.fromkeys(p.strip() for p in parts if p.strip()))


def department_rules_update(
    *, department: Department, by: User, keywords: str | list[str], aliases: str | list[str] | None = None
) -> bool:
    """Set a department's routing keywords (and aliases); return whether anything changed."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以维护路由规则。"))
    new_keywords = _split_words(keywords)
    new_aliases = _split_words(aliases) if aliases is not None else department.aliases
    if new_keywords == list(department.keywords) and new_aliases == list(department.aliases):
        return False
    taken = {_key(n): d.name for d in Department.objects.exclude(pk=department.pk) for n in d.all_names}
    for alias in new_aliases:
        if _key(alias) in taken:
            raise ServiceError(_("别名“%(a)s”已属于 %(d)s。") % {"a": alias, "d": taken[_key(alias)]})
    department.keywords = new_keywords
    department.aliases = new_aliases
    department._history_user = by
    department.save(update_fields=["keywords", "aliases"])
    return True
