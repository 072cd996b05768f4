"""Django admin for the programme admins. Residents' personal data is not listed here in
full: lists use the staff pages (masked), and full views go through the logged detail page."""

from django.contrib import admin

from .models import (
    BenchmarkCase,
    Evaluation,
    HistoricalStatistic,
    PersonalDataAccess,
    ThemeRound,
    ThemeTask,
)


class ThemeTaskInline(admin.TabularInline):
    model = ThemeTask
    extra = 0
    autocomplete_fields = ["department"]


@admin.register(ThemeRound)
class ThemeRoundAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_on", "closes_on"]
    inlines = [ThemeTaskInline]


@admin.register(BenchmarkCase)
class BenchmarkCaseAdmin(admin.ModelAdmin):
    list_display = ["title", "origin", "source", "department", "state", "registered_at"]
    list_filter = ["state", "source"]
    list_select_related = ["department"]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "period_start", "period_end", "contests_round_id"]


@admin.register(HistoricalStatistic)
class HistoricalStatisticAdmin(admin.ModelAdmin):
    list_display = ["year", "half", "total", "residents", "staff", "grand", "excellent", "merit"]


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = ["at", "actor", "subject", "action", "detail"]
    list_filter = ["action"]
    list_select_related = ["actor"]

    # The access log is evidence: nobody edits or deletes it.
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
