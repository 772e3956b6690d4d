"""Department scores (年度督办考核): the dashboard's ranking figures weighed by the scoring rule.

score = 按期办结权重 × 按期率 − 每项逾期扣分 × 逾期数 − 每次退回扣分 × 退回次数
        − 每次迟报扣分 × 迟报次数 − 每次被催办扣分 × 被催办次数

按期率 is the one in rules.py (completed on time ÷ (completed + overdue)); a department with
nothing completed or overdue in the period has lost nothing to lateness and counts as 100 %.
The office, auditors and school leaders see every department's score; a department's people see
their own departments' scores, each with the rule and how the score was reached.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext_lazy as _

from . import permissions, selectors, selectors_dashboard
from .models import Assignment, ScoringRule, User
from .selectors_dashboard import RankRow

WEIGHTS = ("on_time_weight", "overdue_penalty", "return_penalty", "late_report_penalty", "urge_penalty")


def scoring_rule_current() -> ScoringRule:
    """The rule in force (the newest); the defaults when the office has set none."""
    return ScoringRule.objects.order_by("-id").first() or ScoringRule()


def scoring_rule_text(rule: ScoringRule) -> str:
    """The rule in one line, printed next to every score (page, workbook, bulletin)."""
    return str(
        _("得分 = %(a)s × 按期率 − %(b)s × 逾期事项数 − %(c)s × 退回次数 − %(d)s × 迟报次数 − %(e)s × 被催办次数")
        % {
            "a": rule.on_time_weight,
            "b": rule.overdue_penalty,
            "c": rule.return_penalty,
            "d": rule.late_report_penalty,
            "e": rule.urge_penalty,
        }
    )


@dataclass
class ScorePart:
    label: str
    count: str
    weight: Decimal
    points: Decimal


@dataclass
class ScoreRow:
    department_id: int
    name: str
    figures: RankRow
    on_time_rate: Decimal
    parts: list[ScorePart]
    score: Decimal

    @property
    def explanation(self) -> str:
        """How the score was reached, term by term (e.g. ``100 × 80.0% − 5 × 2 …``)."""
        head, *rest = self.parts
        text = f"{head.weight} × {head.count}"
        for p in rest:
            text += f" − {p.weight} × {p.count}"
        return f"{text} = {self.score}"


def _q(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def score_row(r: RankRow, rule: ScoringRule) -> ScoreRow:
    rate = Decimal(str(r.on_time_rate)) if r.on_time_rate is not None else Decimal(1)
    parts = [
        ScorePart(str(_("按期率")), f"{_q(rate * 100)}%", Decimal(rule.on_time_weight), rule.on_time_weight * rate),
        ScorePart(str(_("逾期")), str(r.overdue), Decimal(rule.overdue_penalty), -rule.overdue_penalty * r.overdue),
        ScorePart(str(_("退回")), str(r.returns), Decimal(rule.return_penalty), -rule.return_penalty * r.returns),
        ScorePart(
            str(_("迟报")),
            str(r.late_reports),
            Decimal(rule.late_report_penalty),
            -rule.late_report_penalty * r.late_reports,
        ),
        ScorePart(str(_("被催办")), str(r.urges), Decimal(rule.urge_penalty), -rule.urge_penalty * r.urges),
    ]
    for p in parts:
        p.points = _q(Decimal(p.points))
    return ScoreRow(
        department_id=r.department_id,
        name=r.name,
        figures=r,
        on_time_rate=rate,
        parts=parts,
        score=_q(sum((Decimal(p.points) for p in parts), Decimal(0))),
    )


def sees_all_scores(user: User) -> bool:
    return permissions.sees_everything(user) or bool(getattr(user, "is_school_leader", False))


def department_scores(
    *, user: User, start: dt.date, end: dt.date, rule: ScoringRule | None = None, document: int | None = None
) -> list[ScoreRow]:
    """Each department's score over the items due in [start, end], best first (ties by name)."""
    if sees_all_scores(user):
        base = Assignment.objects.all()
    else:
        base = selectors.assignment_list(user=user).select_related(None)
    if document:
        base = base.filter(requirement__document_id=document)
    rule = rule or scoring_rule_current()
    ranking = selectors_dashboard.department_ranking(base=base, rank_from=start, rank_to=end)
    rows = [score_row(r, rule) for r in ranking]
    rows.sort(key=lambda s: (-s.score, s.name))
    return rows
