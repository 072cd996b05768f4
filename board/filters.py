"""List filters (django-filter): department, status, period, keyword."""

from datetime import timedelta

import django_filters
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.models import Department

from . import selectors
from .models import Post, PostStatus

PERIODS = {
    "week": (_("최근 1주"), timedelta(days=7)),
    "month": (_("최근 1개월"), timedelta(days=31)),
    "quarter": (_("최근 3개월"), timedelta(days=92)),
    "year": (_("최근 1년"), timedelta(days=366)),
}


class PostFilter(django_filters.FilterSet):
    keyword = django_filters.CharFilter(label=_("검색어"), method="filter_keyword")
    department = django_filters.ModelChoiceFilter(
        label=_("부서"),
        queryset=Department.objects.order_by("name"),
        empty_label=_("전체 부서"),
    )
    status = django_filters.ChoiceFilter(
        label=_("상태"),
        choices=[c for c in PostStatus.choices],
        empty_label=_("전체 상태"),
    )
    period = django_filters.ChoiceFilter(
        label=_("기간"),
        choices=[(k, v[0]) for k, v in PERIODS.items()],
        empty_label=_("전체 기간"),
        method="filter_period",
    )

    class Meta:
        model = Post
        fields = ["keyword", "department", "status", "period"]

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            css = "form-control" if name == "keyword" else "form-select"
            field.widget.attrs.setdefault("class", css)

    def filter_keyword(self, qs: QuerySet[Post], name: str, value: str) -> QuerySet[Post]:
        return selectors.search(qs, value) if value.strip() else qs

    def filter_period(self, qs: QuerySet[Post], name: str, value: str) -> QuerySet[Post]:
        if value not in PERIODS:
            return qs
        return qs.filter(created_at__gte=timezone.now() - PERIODS[value][1])
