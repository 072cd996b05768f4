"""Django admin for the programme admins. Residents' personal data is not listed here in
full: lists use the staff pages (masked), and full views go through the logged detail page."""

from django.contrib import admin
from django.http import HttpRequest

from org.admin_people import PeopleAdminMixin

from .models import (
    BenchmarkCase,
    Evaluation,
    HistoricalStatistic,
    PersonalDataAccess,
    ThemeRound,
    ThemeTask,
)


class ThemeTaskInline(PeopleAdminMixin, admin.TabularInline):
    model = ThemeTask
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(ThemeRound)
class ThemeRoundAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["title", "opens_on", "closes_on"]
    inlines = [ThemeTaskInline]


@admin.register(BenchmarkCase)
class BenchmarkCaseAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["title", "origin", "source", "department", "state", "registered_at"]
    list_filter = ["state", "source"]
    list_select_related = ["department"]
    # The state and its review follow BENCHMARK_NEXT through services.benchmark_case_advance
    # (the department's review page): read-only here, so no admin edit skips a step.
    readonly_fields = [
        "state", "review_reason", "reviewed_by", "reviewed_at", "adopted_on", "implemented_on",
        "registered_by", "registered_at",
    ]  # fmt: skip

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # registered on the staff page, through the service


@admin.register(Evaluation)
class EvaluationAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "period_start", "period_end", "contests_round_id"]


@admin.register(HistoricalStatistic)
class HistoricalStatisticAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["year", "half", "total", "residents", "staff", "grand", "excellent", "merit"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["at", "actor", "subject", "action", "detail"]
    list_filter = ["action"]
    list_select_related = ["actor"]

    # The access log is evidence: nobody edits or deletes it.
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: PersonalDataAccess | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: PersonalDataAccess | None = None
    ) -> bool:
        return False
