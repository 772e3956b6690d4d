"""Reads for 上下贯通: links, proposals, coverage of an upstream document, year over year.

Links are the office's work: administrators and auditors read every link and proposal; school
leaders and departments read the coverage of documents they can see, with only their own items'
statuses (selectors.assignment_list decides which).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from . import permissions, selectors
from .models import Assignment, PolicyDocument, Requirement, RequirementLink, User

L = RequirementLink.Status


def link_list(
    *, user: User, status: str | None = None, document: int | None = None, upstream: int | None = None
) -> QuerySet[RequirementLink]:
    """Links and proposals (office and auditors), narrowed by status and by source/upstream document."""
    if not permissions.sees_everything(user):
        return RequirementLink.objects.none()
    qs = RequirementLink.objects.select_related(
        "source", "source__document", "target", "target__document", "decided_by", "created_by"
    )
    if status:
        qs = qs.filter(status=status)
    if document:
        qs = qs.filter(source__document_id=document)
    if upstream:
        qs = qs.filter(target__document_id=upstream)
    return qs.order_by("source__document_id", "source__order", "rank", "id")


def link_get(*, user: User, pk: int) -> RequirementLink:
    return link_list(user=user).get(pk=pk)


def requirement_for_linking(*, user: User, pk: int) -> Requirement:
    """Any requirement, for the office to link; raises Requirement.DoesNotExist for anyone else."""
    if not permissions.is_administrator(user):
        raise Requirement.DoesNotExist
    return Requirement.objects.select_related("document").get(pk=pk)


@dataclass
class CoverageRow:
    """One upstream item and the tasks that implement it (accepted links only)."""

    requirement: Requirement
    implementing: list[Requirement] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.implementing)


def coverage(*, user: User, upstream: PolicyDocument) -> list[CoverageRow]:
    """For each requirement row of ``upstream`` (a document the user may read), the requirements
    linked to it and their assignments the user may read; rows with none are the gaps."""
    visible = selectors.assignment_list(user=user).select_related(None).select_related("department")
    rows = (
        Requirement.objects.filter(document=upstream, is_requirement=True)
        .order_by("order")
        .prefetch_related(
            Prefetch(
                "downstream_links",
                queryset=RequirementLink.objects.filter(status=L.ACCEPTED)
                .select_related("source", "source__document")
                .prefetch_related(
                    Prefetch("source__assignments", queryset=visible.order_by("role", "id"), to_attr="visible")
                ),
                to_attr="accepted",
            )
        )
    )
    out = []
    for req in rows:
        implementing = [link.source for link in req.accepted]
        out.append(
            CoverageRow(
                requirement=req,
                implementing=implementing,
                assignments=[a for r in implementing for a in r.visible],
            )
        )
    return out


@dataclass
class CarryOver:
    """Year over year: this year's items and last year's item each carries over (accepted links)."""

    carried: list[tuple[Requirement, list[Requirement]]]  # this year's item, last year's items
    new: list[Requirement]  # this year's items with no link to last year's document
    dropped: list[Requirement]  # last year's items no item of this year carries over


def year_over_year(*, user: User, current: PolicyDocument, previous: PolicyDocument) -> CarryOver:
    """Compare two documents (e.g. this year's and last year's 工作要点) through accepted links."""
    if not permissions.sees_everything(user):
        return CarryOver([], [], [])
    links = RequirementLink.objects.filter(
        status=L.ACCEPTED, source__document=current, target__document=previous
    ).select_related("target")
    by_source: dict[int, list[Requirement]] = {}
    for link in links.order_by("target__order"):
        by_source.setdefault(link.source_id, []).append(link.target)
    this_year = list(Requirement.objects.filter(document=current, is_requirement=True).order_by("order"))
    last_year = list(Requirement.objects.filter(document=previous, is_requirement=True).order_by("order"))
    carried_ids = {t.pk for targets in by_source.values() for t in targets}
    return CarryOver(
        carried=[(r, by_source[r.pk]) for r in this_year if r.pk in by_source],
        new=[r for r in this_year if r.pk not in by_source],
        dropped=[r for r in last_year if r.pk not in carried_ids],
    )


def coverage_document_list(*, user: User) -> QuerySet[PolicyDocument]:
    """Documents whose coverage the user may read: every one for the office, auditors and school leaders."""
    if permissions.sees_everything(user) or getattr(user, "is_school_leader", False):
        return PolicyDocument.objects.order_by("-id")
    return PolicyDocument.objects.none()
