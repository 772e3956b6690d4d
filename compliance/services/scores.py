"""The scoring rule of the 督办考核: the office changes its weights (each change in the history)."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from .. import permissions
from ..models import ScoringRule, User
from . import ServiceError

LIMIT = Decimal(1000)


def scoring_rule_update(
    *,
    by: User,
    on_time_weight: Decimal,
    overdue_penalty: Decimal,
    return_penalty: Decimal,
    late_report_penalty: Decimal,
    urge_penalty: Decimal,
) -> ScoringRule:
    """Set the weights of the rule in force (created on first use); every weight is 0 to 1000."""
    permissions.require(permissions.is_administrator(by), _("只有管理员可以修改评分规则。"))
    weights = {
        "on_time_weight": on_time_weight,
        "overdue_penalty": overdue_penalty,
        "return_penalty": return_penalty,
        "late_report_penalty": late_report_penalty,
        "urge_penalty": urge_penalty,
    }
    for value in weights.values():
        if not value.is_finite() or not Decimal(0) <= value <= LIMIT:
            raise ServiceError(_("每项权重应在 0 到 1000 之间。"))
    with transaction.atomic():
        rule = ScoringRule.objects.select_for_update().order_by("-id").first() or ScoringRule()
        for name, value in weights.items():
            setattr(rule, name, value.quantize(Decimal("0.01")))
        rule.updated_by = by
        rule._history_user = by
        rule.save()
    return rule
