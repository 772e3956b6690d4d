"""Template filters the pages share: department name lists and long text that folds."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.template.defaultfilters import linebreaksbr, truncatechars
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..display import names_joined, options_html

register = template.Library()

# Text longer than this (characters) shows its beginning and a 展开全文 switch.
FOLD_AFTER = 280


@register.filter
def names(items: Iterable[object]) -> str:
    """Department (or any) names joined with 、, e.g. 国际合作与交流处、科学技术处."""
    return names_joined(items)


@register.filter
def fold(text: str | None, limit: int = FOLD_AFTER) -> SafeString:
    """Long text as its beginning plus a 展开全文 switch (a <details>, no script); short text as is."""
    text = text or ""
    if len(text) <= int(limit):
        return format_html('<span class="prose">{}</span>', linebreaksbr(text, autoescape=True))
    return format_html(
        '<details class="fold"><summary><span class="fold-preview prose">{}</span>'
        ' <span class="fold-more">{}</span><span class="fold-less">{}</span></summary>'
        '<div class="fold-full prose">{}</div></details>',
        truncatechars(text, int(limit)),
        _("展开全文（%(n)s 字）") % {"n": len(text)},
        _("收起"),
        linebreaksbr(text, autoescape=True),
    )


@register.simple_tag
def options(choices: Iterable[tuple[object, str]], selected: object = None, width: int = 40) -> SafeString:
    """<option> elements for (value, label) pairs, the ``selected`` value marked, labels cut at
    ``width`` characters. Joined in Python: a {% for %} loop with truncatechars spent a template
    render and a truncation per option, about a quarter of a second (under cProfile) for 3,242
    documents."""
    return options_html(choices, {str(selected)} if selected not in (None, "") else set(), int(width))


# Badges and bars every list row shows: tags rather than {% include %}s, which cost a template
# render each (three per row on a 50-row task list).
_LEVEL_LABELS = {"overdue": gettext_lazy("逾期"), "due_soon": gettext_lazy("临期"), "done": "—"}


@register.simple_tag
def level_badge(level: str) -> SafeString:
    """正常 / 临期 / 逾期 (or — once done) as a coloured badge (rules.warning_level's levels)."""
    return format_html('<span class="badge level-{}">{}</span>', level, _LEVEL_LABELS.get(level, _("正常")))


@register.simple_tag
def status_badge(assignment: object) -> SafeString:
    """The item's status (未开始 … 已办结) as a coloured badge."""
    return format_html('<span class="badge status-{}">{}</span>', assignment.status, assignment.get_status_display())


@register.simple_tag
def progress_bar(value: int) -> SafeString:
    """A percentage as a thin bar and its figure."""
    return format_html(
        '<svg class="bar" viewBox="0 0 100 8" preserveAspectRatio="none" role="progressbar" aria-valuemin="0"'
        ' aria-valuemax="100" aria-valuenow="{0}"><rect class="track" width="100" height="8"/>'
        '<rect class="fill" width="{0}" height="8"/></svg> <small>{0}%</small>',
        value,
    )
