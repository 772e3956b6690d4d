"""Template filters the pages share: department name lists and long text that folds."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

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


@register.simple_tag
def options(choices: Iterable[tuple[object, str]], selected: object = None, width: int = 40) -> SafeString:
    """<option> elements for (value, label) pairs, the ``selected`` value marked, labels cut at
    ``width`` characters. Joined in Python: a {% for %} loop with truncatechars took about 0.3 s for
    3,000 documents."""
    return _options_html(choices, {str(selected)} if selected not in (None, "") else set(), int(width))


def _options_html(choices: Iterable[tuple[object, str]], selected: set[str], width: int) -> SafeString:
    """The <option> elements, built with html.escape (format_html per option cost 40 µs each)."""

    def cut(label: str) -> str:
        return label if len(label) <= width else label[: width - 1] + "…"

    parts = []
    for value, label in choices:
        v = str(value)
        mark = " selected" if v in selected else ""
        parts.append(f'<option value="{escape(v)}"{mark}>{escape(cut(str(label)))}</option>')
    return SafeString("".join(parts))
