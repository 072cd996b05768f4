"""Template tags of the contests pages."""

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import template
from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from contests.selectors import ResultRow

register = template.Library()

_NUMBER_FORMAT = "contests.number_format"


def decimal_formatter() -> Callable[[Decimal], str]:
    """``localize(value)`` for a Decimal, as ``{{ value }}`` prints it, with the active
    language's separators looked up once: ``localize`` looks up three formats per call,
    most of a results cell's time (500 cells on a page)."""
    lang = get_language()
    decimal_sep = get_format("DECIMAL_SEPARATOR", lang, use_l10n=True)
    grouping = get_format("NUMBER_GROUPING", lang, use_l10n=True)
    thousand_sep = get_format("THOUSAND_SEPARATOR", lang, use_l10n=True)

    def format_decimal(value: Decimal) -> str:
        return numberformat.format(
            value, decimal_sep, None, grouping, thousand_sep, force_grouping=False, use_l10n=True
        )

    return format_decimal


@register.simple_tag(takes_context=True)
def result_cells(context: Any, row: ResultRow) -> SafeString:
    """A results row's member cells: the weighted total (localized, as ``{{ total }}``
    printed it) or, in grey, why there is none. Built in one call: on a page of 50 entries ×
    10 members the template's loop over the 500 cells was a third of the page's time. The
    number format is looked up once per page (kept in the render context), not per cell."""
    fmt = context.render_context.get(_NUMBER_FORMAT)
    if fmt is None:
        fmt = context.render_context[_NUMBER_FORMAT] = decimal_formatter()
    cells = [
        f"<td>{conditional_escape(fmt(total))}</td>"
        if total is not None
        else f'<td class="text-body-secondary">{conditional_escape(note or "-")}</td>'
        for _member, total, note in row.totals
    ]
    return mark_safe("".join(cells))  # noqa: S308 (every value is escaped above)
