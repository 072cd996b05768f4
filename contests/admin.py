"""Django admin for the programme admins: committees and members, rounds with their stages,
rubrics and quotas, entries, the budget, the case contacts. What a service guards is read-only
here once the service would refuse it: a round's quotas once its awards are confirmed, a
stage's committee and rubric once it opened, an entry once its round is confirmed. Scores,
results, awards and the ledgers are read-only: they change only through the services; the
audit log hides score values while a stage of the round is open (``contests.view_audit_values``),
from superusers too."""

from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from org.admin_people import PeopleAdminMixin

from . import calculations as calc
from . import selectors
from .models import (
    AuditEntry,
    Award,
    AwardQuota,
    CaseContact,
    Committee,
    CommitteeMember,
    Criterion,
    Entry,
    PrizeBudget,
    PrizePayment,
    Round,
    Stage,
    StageStatus,
)
from .rules import round_is_scoring


class ReadOnlyAdmin(PeopleAdminMixin, admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class MemberInline(PeopleAdminMixin, admin.TabularInline):
    model = CommitteeMember
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Committee)
class CommitteeAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind"]
    inlines = [MemberInline]


def _round_started(rnd: Round | None) -> bool:
    return rnd is not None and rnd.stages.exclude(status=StageStatus.PENDING).exists()


class StageInline(PeopleAdminMixin, admin.TabularInline):
    model = Stage
    extra = 0
    fields = ["order", "name", "committee", "advance_count", "status"]
    readonly_fields = ["status"]
    show_change_link = True

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # Once a stage opened, its committee, order and cut are what the assignments used.
        if _round_started(obj):
            return ["order", "name", "committee", "advance_count", "status"]
        return self.readonly_fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _round_started(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _round_started(obj) and super().has_delete_permission(request, obj)


class QuotaFormSet(BaseInlineFormSet):
    def clean(self) -> None:
        super().clean()
        entries = self.instance.entries.count() if self.instance.pk else 0
        quotas = [
            (f.cleaned_data["grade"], f.cleaned_data["count"])
            for f in self.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        problem = calc.quota_problem(quotas, entries) if entries else None
        if problem:
            raise ValidationError(problem)


class QuotaInline(PeopleAdminMixin, admin.TabularInline):
    """Editable until the awards are confirmed (``round_quotas_set`` refuses after that)."""

    model = AwardQuota
    formset = QuotaFormSet
    extra = 0

    def _editable(self, obj: Round | None) -> bool:
        return obj is None or obj.confirmed_at is None

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Round)
class RoundAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "year", "confirmed_at"]
    list_filter = ["kind", "year"]
    readonly_fields = ["confirmed_at", "confirmed_by", "created_at"]
    inlines = [StageInline, QuotaInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.confirmed_at is not None:
            # A confirmed round is a record: its awards and prizes were computed from these.
            return [f.name for f in Round._meta.fields if f.name != "id"]
        if _round_started(obj):
            return [*self.readonly_fields, "kind", "blind", "drop_extremes"]
        return self.readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        # New rounds come from the staff page, which adds the kind's default stages.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _round_started(obj) and super().has_delete_permission(request, obj)


class CriterionInline(PeopleAdminMixin, admin.TabularInline):
    """The rubric is edited before the stage opens; once scores exist it is fixed."""

    model = Criterion
    extra = 0

    def _editable(self, obj: Stage | None) -> bool:
        return obj is None or obj.status == StageStatus.PENDING

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Stage)
class StageAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["__str__", "committee", "status"]
    list_select_related = ["round", "committee"]
    readonly_fields = ["status", "opened_at", "closed_at"]
    inlines = [CriterionInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is not None and obj.status != StageStatus.PENDING:
            return ["round", "order", "name", "committee", "advance_count", *self.readonly_fields]
        return self.readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return (obj is None or obj.status == StageStatus.PENDING) and super().has_delete_permission(
            request, obj
        )


@admin.register(Entry)
class EntryAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["title", "round", "owner_name", "department", "source_type", "source_id"]
    list_filter = ["round"]
    list_select_related = ["round", "department"]
    search_fields = ["title", "owner_name"]
    readonly_fields = ["round", "source_type", "source_id", "created_at", "owner", "file_name"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # entries come from the apps that feed rounds (entry_create)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.round.confirmed_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.round.stages.exclude(status=StageStatus.PENDING).exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(CaseContact)
class CaseContactAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["department", "user"]
    list_select_related = ["department", "user"]
    autocomplete_fields = ["user"]


@admin.register(PrizeBudget)
class PrizeBudgetAdmin(PeopleAdminMixin, admin.ModelAdmin):
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

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).order_by("round", selectors.grade_ordering(), "id")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    """The audit log in words; score values hidden while a stage of the round is open."""

    list_display = ["at", "actor", "round", "action", "object_type", "object_id"]
    list_select_related = ["actor", "round"]
    list_filter = ["action"]
    list_per_page = 50
    ordering = ["-at", "-id"]
    show_full_result_count = False  # the log only grows
    fields = ("at", "actor", "round", "action", "object_type", "object_id", "before_text",
              "after_text")  # fmt: skip
    readonly_fields = fields

    def _lines(self, obj: AuditEntry, values: Any) -> str:
        # The same predicate as the rule ``contests.view_audit_values``: whoever looks.
        if obj.action in selectors.SCORE_ACTIONS and round_is_scoring(None, obj.round):
            return _("심사 마감 후 공개")
        return "\n".join(selectors.audit_lines(values)) or "-"

    @admin.display(description=gettext_lazy("변경 전"))
    def before_text(self, obj: AuditEntry) -> str:
        return self._lines(obj, obj.before)

    @admin.display(description=gettext_lazy("변경 후"))
    def after_text(self, obj: AuditEntry) -> str:
        return self._lines(obj, obj.after)
