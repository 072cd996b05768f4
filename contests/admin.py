"""Django admin for the programme admins: committees and members, rounds with their stages,
rubrics and quotas, entries, the budget. Scores, results, awards and the ledgers are
read-only here: they change only through the services (review pages, confirm page)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest

from . import calculations as calc
from .models import (
    AuditEntry,
    Award,
    AwardQuota,
    Committee,
    CommitteeMember,
    Criterion,
    Entry,
    PrizeBudget,
    PrizePayment,
    Round,
    Stage,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class MemberInline(admin.TabularInline):
    model = CommitteeMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    inlines = [MemberInline]


class StageInline(admin.TabularInline):
    model = Stage
    extra = 0
    fields = ["order", "name", "committee", "advance_count", "status"]
    readonly_fields = ["status"]
    show_change_link = True


class QuotaFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        entries = self.instance.entries.count() if self.instance.pk else 0
        quotas = [
            (f.cleaned_data["grade"], f.cleaned_data["count"])
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        if entries and calc.quotas_exceed_entries(quotas, entries):
            raise ValidationError(
                f"시상 인원 합계({calc.quota_total(quotas)}명)가 출품작 수({entries}건)보다 많습니다."
            )


class QuotaInline(admin.TabularInline):
    model = AwardQuota
    formset = QuotaFormSet
    extra = 0


@admin.register(Round)
class RoundAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "year", "confirmed_at"]
    list_filter = ["kind", "year"]
    readonly_fields = ["confirmed_at", "confirmed_by", "created_at"]
    inlines = [StageInline, QuotaInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New rounds come from the staff page, which adds the kind's default stages.
        return False


class CriterionInline(admin.TabularInline):
    """The rubric is edited before the stage opens; once scores exist it is fixed."""

    model = Criterion
    extra = 0

    def _editable(self, obj: Stage | None) -> bool:
        return obj is None or obj.status == "pending"

    def has_add_permission(self, request: HttpRequest, obj: Stage | None = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Stage | None = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Stage | None = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "committee", "status"]
    list_select_related = ["round", "committee"]
    readonly_fields = ["status", "opened_at", "closed_at"]
    inlines = [CriterionInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


@admin.register(Entry)
class EntryAdmin(admin.ModelAdmin):
    list_display = ["title", "round", "owner_name", "department", "source_type", "source_id"]
    list_filter = ["round"]
    list_select_related = ["round", "department"]
    search_fields = ["title", "owner_name"]
    readonly_fields = ["round", "source_type", "source_id", "created_at", "owner"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # entries come from the apps that feed rounds (entry_create)


@admin.register(PrizeBudget)
class PrizeBudgetAdmin(admin.ModelAdmin):
    list_display = ["year", "amount_won"]


@admin.register(PrizePayment)
class PrizePaymentAdmin(ReadOnlyAdmin):
    list_display = ["paid_at", "year", "title", "recipient_name", "amount_won", "source_type"]
    list_filter = ["year", "source_type"]


@admin.register(Award)
class AwardAdmin(ReadOnlyAdmin):
    list_display = ["round", "entry", "grade", "prize_won", "performance_points", "confirmed_at"]
    list_select_related = ["round", "entry"]
    list_filter = ["round__year", "grade"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "round", "action", "object_type", "object_id"]
    list_select_related = ["actor", "round"]
    list_filter = ["action"]
