"""Links from requirements to the upstream requirements they implement (上下贯通).

The office links by hand or accepts proposals that ``links_propose`` makes by Chinese text
similarity (compliance.tracing, the code ``manage.py trace_links`` uses). A rejected proposal
stays recorded, so that the same pair is not proposed again; accepting or linking by hand records
who linked and when.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import permissions
from ..models import PolicyDocument, Requirement, RequirementLink, User
from ..tracing import propose
from ..tracing.parsed import passages
from . import ServiceError

L = RequirementLink.Status


def _require_office(by: User) -> None:
    permissions.require(permissions.is_administrator(by), _("只有管理员可以维护上下贯通关联。"))


def link_create(*, by: User, source: Requirement, target: Requirement) -> RequirementLink:
    """Link ``source`` to the upstream ``target`` it implements (an existing proposal is accepted)."""
    _require_office(by)
    if source.document_id == target.document_id:
        raise ServiceError(_("只能关联其他文件中的条款。"))
    with transaction.atomic():
        link, _created = RequirementLink.objects.select_for_update().get_or_create(
            source=source, target=target, defaults={"created_by": by, "status": L.PROPOSED}
        )
        return _decide(link, by, accept=True)


def _decide(link: RequirementLink, by: User, *, accept: bool) -> RequirementLink:
    link.status = L.ACCEPTED if accept else L.REJECTED
    link.decided_by = by
    link.decided_at = timezone.now()
    link._history_user = by
    link._change_reason = "accept" if accept else "reject"
    link.save()
    return link


def link_decide(*, link: RequirementLink, by: User, accept: bool) -> RequirementLink:
    """Accept or reject a proposal (an accepted link may also be withdrawn: rejected)."""
    _require_office(by)
    with transaction.atomic():
        current = RequirementLink.objects.select_for_update().get(pk=link.pk)
        return _decide(current, by, accept=accept)


def _rows(document: PolicyDocument) -> list[Requirement]:
    return list(Requirement.objects.filter(document=document).order_by("order"))


def links_propose(*, by: User, document: PolicyDocument, upstream: PolicyDocument, top: int = 3) -> int:
    """Propose, for every requirement row of ``document``, its ``top`` most similar rows of ``upstream``.

    Pairs already linked, proposed or rejected are left as they are. Returns how many were added.
    """
    _require_office(by)
    if document.pk == upstream.pk:
        raise ServiceError(_("请选择另一份上级文件。"))
    if not 1 <= int(top) <= 10:
        raise ServiceError(_("候选数应在 1 到 10 之间。"))
    own, up = _rows(document), _rows(upstream)
    proposals = propose(passages(own), passages(up), top=int(top))
    existing = set(
        RequirementLink.objects.filter(source__document=document, target__document=upstream).values_list(
            "source_id", "target_id"
        )
    )
    new = []
    for row, candidates in proposals:
        source = own[row.key]
        for rank, c in enumerate(candidates, start=1):
            target = up[c.key]
            if (source.pk, target.pk) in existing:
                continue
            new.append(RequirementLink(source=source, target=target, score=c.score, rank=rank, created_by=by))
    with transaction.atomic():
        RequirementLink.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)
