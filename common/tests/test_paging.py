"""The pagers show the current page's own number, however deep it is."""

from django.core.paginator import Paginator
from django.template.loader import render_to_string

from common.templatetags.paging import page_range


def test_a_deep_page_is_shown_with_its_neighbours() -> None:
    page = Paginator(range(1000), 10).page(50)
    numbers = list(page_range(page))
    assert numbers == [1, Paginator.ELLIPSIS, 48, 49, 50, 51, 52, Paginator.ELLIPSIS, 100]


def test_both_pagers_mark_the_current_deep_page() -> None:
    page = Paginator(range(1000), 10).page(50)
    for name in ("includes/pagination.html", "krds/pagination.html"):
        html = render_to_string(name, {"page": page, "query": "q=a"})
        assert 'aria-current="page"' in html, name
        assert ">50<" in html, name
        assert "page=49" in html and "page=51" in html, name
