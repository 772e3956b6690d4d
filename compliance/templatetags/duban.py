"""Template filters the pages share: department name lists and long text that folds."""

from __future__ import annotations

from collections.abc import Iterable

from django import template
from django.template.defaultfilters import linebreaksbr, truncatechars
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from ..display import names_joined

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
