"""``{% load paging %}``: the page numbers a pager shows around the current page."""

from collections.abc import Iterator

from django import template
from django.core.paginator import Page

register = template.Library()


@register.filter
def page_range(page: Page) -> Iterator[str | int]:
    """1 … 4 5 [6] 7 8 … 20: the current page with two on each side and one at each end.

    ``paginator.get_elided_page_range`` without a number elides around page 1, so a deep
    page's own number was not shown."""
    return page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
