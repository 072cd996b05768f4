"""List filters (django-filter): department, status, period; the keyword and the sort
order are fields of the same form, applied by the view (a search ranks its matches:
``selectors.search_ranked``)."""

from datetime import timedelta
from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from org.models import Department

from .models import Post, PostStatus

PERIODS = {
    "week": (_("최근 1주"), timedelta(days=7)),
    "month": (_("최근 1개월"), timedelta(days=31)),
    "quarter": (_("최근 3개월"), timedelta(days=92)),
    "year": (_("최근 1년"), timedelta(days=366)),
}


class PlainSelect(forms.Select):
    """A ``<select>`` built in Python. Django renders every ``<option>`` through a template:
    profiled on the bench board (200,000 posts), the filter form's selects were a third of
    the list page's rendering time."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        chosen = "" if value is None else str(value)
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (
                    "" if option is None else str(option),
                    " selected" if str("" if option is None else option) == chosen else "",
                    label,
                )
                for option, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final), options)


class PostFilter(django_filters.FilterSet):
    keyword = django_filters.CharFilter(label=_("검색어"), method="filter_keyword")
    # Choices read once per page with a plain query (a ModelChoiceFilter iterates its queryset
    # through a server-side cursor: DECLARE and FETCH round trips on every list page).
    department = django_filters.ChoiceFilter(
        label=_("부서"),
        choices=[],
        empty_label=_("전체 부서"),
        widget=PlainSelect,
        field_name="department_id",
    )
    status = django_filters.ChoiceFilter(
        label=_("상태"),
        choices=[c for c in PostStatus.choices],
        empty_label=_("전체 상태"),
        widget=PlainSelect,
    )
    sort = django_filters.ChoiceFilter(
        label=_("정렬"),
        choices=[
            ("latest", _("최신순")),
            ("views", _("조회순")),
            ("comments", _("의견순")),
        ],
        empty_label=_("정확도순"),
        widget=PlainSelect,
        method="filter_nothing",
    )
    period = django_filters.ChoiceFilter(
        label=_("기간"),
        choices=[(k, v[0]) for k, v in PERIODS.items()],
        empty_label=_("전체 기간"),
        widget=PlainSelect,
        method="filter_period",
    )

    class Meta:
        model = Post
        fields = ["keyword", "department", "status", "period", "sort"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.filters["department"].extra["choices"] = [
            (str(pk), name)
            for pk, name in Department.objects.order_by("name").values_list("pk", "name")
        ]
        for name, field in self.form.fields.items():
            css = "form-control" if name == "keyword" else "form-select"
            field.widget.attrs.setdefault("class", css)

    def filter_keyword(self, qs: QuerySet[Post], name: str, value: str) -> QuerySet[Post]:
        return qs  # the view ranks the matches (selectors.search_ranked)

    def filter_nothing(self, qs: QuerySet[Post], name: str, value: str) -> QuerySet[Post]:
        return qs  # the view orders the list

    def filter_period(self, qs: QuerySet[Post], name: str, value: str) -> QuerySet[Post]:
        if value not in PERIODS:
            return qs
        return qs.filter(created_at__gte=timezone.now() - PERIODS[value][1])
