"""Admin: rules and caps (editable per year, with a recompute), the ledger (read-only), and
the quarterly rounds (confirm, replace one winner with a reason, recompute with a reason)."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import calculations as calc
from .forms import RecomputeForm, WinnerReplaceForm
from .models import (
    Activity,
    MonthlyCap,
    PointRule,
    QuarterRound,
    RoundEvent,
    RoundWinner,
    RuleRecompute,
)
from .services import (
    RoundError,
    quarter_round_confirm,
    quarter_round_recompute,
    round_winner_replace,
    rules_copy_year,
    scoring_recompute,
)


def _recompute_years(modeladmin: admin.ModelAdmin, request: HttpRequest, qs: QuerySet) -> None:
    for year in sorted(set(qs.values_list("year", flat=True))):
        log = scoring_recompute(year=year, by=request.user)
        modeladmin.message_user(
            request, f"{year}년 점수를 다시 계산했습니다 (원장 {log.rows}건 점수 변경)."
        )


_recompute_years.short_description = _("선택한 연도의 점수를 현재 기준으로 다시 계산")  # type: ignore[attr-defined]


def _copy_to_this_year(modeladmin: admin.ModelAdmin, request: HttpRequest, qs: QuerySet) -> None:
    """A year's table is used whole: give this year its own copy of the chosen year's table
    and caps before editing a value, so earlier years keep theirs."""
    this_year = timezone.now().astimezone(calc.KST).year
    source = max(qs.values_list("year", flat=True))
    created = rules_copy_year(from_year=source, to_year=this_year)
    modeladmin.message_user(
        request, f"{source}년 기준을 {this_year}년으로 복사했습니다 ({created}건)."
    )


_copy_to_this_year.short_description = _("선택한 연도의 기준과 상한을 올해 기준으로 복사")  # type: ignore[attr-defined]


@admin.register(PointRule)
class PointRuleAdmin(admin.ModelAdmin):
    list_display = ["year", "area", "kind", "points"]
    list_editable = ["points"]
    list_filter = ["year", "area", "kind"]
    actions = [_recompute_years, _copy_to_this_year]


@admin.register(MonthlyCap)
class MonthlyCapAdmin(admin.ModelAdmin):
    list_display = ["year", "kind", "cap"]
    list_editable = ["cap"]
    list_filter = ["year"]
    actions = [_recompute_years]


@admin.register(RuleRecompute)
class RuleRecomputeAdmin(admin.ModelAdmin):
    list_display = ["year", "at", "by", "rows"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    """The ledger is appended and voided by services only: read-only here."""

    list_display = ["occurred_at", "user", "area", "kind", "points", "source_type", "source_id",
                    "voided_at"]  # fmt: skip
    list_filter = ["kind", "area", "month"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]
    show_full_result_count = False  # no COUNT(*) over millions of rows
    raw_id_fields = ["user"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class RoundWinnerInline(admin.TabularInline):
    model = RoundWinner
    extra = 0
    fields = ["place", "user", "active", "replaced_reason", "prize_won", "notified_at",
              "prize_recorded_at"]  # fmt: skip
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class RoundEventInline(admin.TabularInline):
    model = RoundEvent
    extra = 0
    fields = ["at", "action", "by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(QuarterRound)
class QuarterRoundAdmin(admin.ModelAdmin):
    list_display = ["__str__", "status", "computed_at", "confirmed_at", "confirmed_by"]
    list_filter = ["status", "year"]
    readonly_fields = ["year", "quarter", "status", "computed_at", "confirmed_at", "confirmed_by"]
    inlines = [RoundWinnerInline, RoundEventInline]
    actions = ["confirm"]
    change_form_template = "admin/scoring/quarterround/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # rounds come from the task or `manage.py scoring_quarter_round`

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # the official record

    @admin.action(description=_("선택한 분기의 창의왕 확정 (통보 및 시상 기록)"))
    def confirm(self, request: HttpRequest, qs: QuerySet) -> None:
        for rnd in qs:
            quarter_round_confirm(round=rnd, by=request.user)
            self.message_user(request, f"{rnd}: 확정했습니다.")

    def get_urls(self) -> list:
        return [
            path(
                "<int:pk>/replace/",
                self.admin_site.admin_view(self.replace_view),
                name="scoring_quarterround_replace",
            ),
            path(
                "<int:pk>/recompute/",
                self.admin_site.admin_view(self.recompute_view),
                name="scoring_quarterround_recompute",
            ),
            *super().get_urls(),
        ]

    def _page(
        self, request: HttpRequest, rnd: QuarterRound, form: object, title: str
    ) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": rnd,
            "title": title,
            "form": form,
        }
        return render(request, "admin/scoring/quarterround/action_form.html", context)

    def _back(self, rnd: QuarterRound) -> HttpResponse:
        return redirect(reverse("admin:scoring_quarterround_change", args=[rnd.pk]))

    def replace_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        rnd = get_object_or_404(QuarterRound, pk=pk)
        if not self.has_change_permission(request, rnd):
            return self._back(rnd)
        form = WinnerReplaceForm(request.POST or None, round=rnd)
        if request.method == "POST" and form.is_valid():
            try:
                round_winner_replace(
                    winner=form.cleaned_data["winner"],
                    user=form.cleaned_data["entry"].user,
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except RoundError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(request, "창의왕을 교체했습니다.")
                return self._back(rnd)
        return self._page(request, rnd, form, f"{rnd}: 창의왕 교체")

    def recompute_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        rnd = get_object_or_404(QuarterRound, pk=pk)
        if not self.has_change_permission(request, rnd):
            return self._back(rnd)
        form = RecomputeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                quarter_round_recompute(
                    round=rnd, by=request.user, reason=form.cleaned_data["reason"]
                )
            except RoundError as exc:
                self.message_user(request, str(exc), level=messages.ERROR)
            else:
                self.message_user(request, "현재 원장으로 다시 집계했습니다 (기록에 남음).")
            return self._back(rnd)
        return self._page(request, rnd, form, f"{rnd}: 재집계")
