"""Admin: rules and caps (editable per year, with a recompute), the ledger (read-only), and
the quarterly rounds (confirm, replace one winner with a reason, recompute with a reason)."""

from typing import Any, cast

from django import forms
from django.contrib import admin
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import periods
from common.access import get_for_user
from common.errors import ServiceError, add_to_form
from common.web import message_error

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
    quarter_round_confirm,
    quarter_round_recompute,
    round_winner_replace,
    rules_copy_year,
    scoring_recompute,
)


def _by(request: HttpRequest) -> User:
    """The admin acting (``admin_view`` lets only logged-in staff in)."""
    return cast(User, request.user)


@admin.action(description=gettext_lazy("선택한 연도의 점수를 현재 기준으로 다시 계산"))
def _recompute_years(
    modeladmin: "admin.ModelAdmin[Any]", request: HttpRequest, qs: QuerySet[Any]
) -> None:
    for year in sorted(set(qs.values_list("year", flat=True))):
        log = scoring_recompute(year=year, by=_by(request))
        modeladmin.message_user(
            request,
            _("%(year)s년 점수를 다시 계산했습니다 (원장 %(rows)s건 점수 변경).")
            % {"year": year, "rows": log.rows},
        )


@admin.action(description=gettext_lazy("선택한 연도의 기준과 상한을 올해 기준으로 복사"))
def _copy_to_this_year(
    modeladmin: "admin.ModelAdmin[Any]", request: HttpRequest, qs: QuerySet[Any]
) -> None:
    """A year's table is used whole: give this year its own copy of the chosen year's table
    and caps before editing a value, so earlier years keep theirs."""
    this_year = periods.local_date(timezone.now()).year
    source = max(qs.values_list("year", flat=True))
    created = rules_copy_year(from_year=source, to_year=this_year)
    modeladmin.message_user(
        request,
        _("%(source)s년 기준을 %(year)s년으로 복사했습니다 (%(created)s건).")
        % {"source": source, "year": this_year, "created": created},
    )


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
    fields = ("place", "user", "active", "replaced_reason", "prize_won", "notified_at",
              "prize_recorded_at")  # fmt: skip
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class RoundEventInline(admin.TabularInline):
    model = RoundEvent
    extra = 0
    fields = ("at", "action", "by", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


MANAGE = "scoring.manage_rounds"


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

    @admin.action(description=gettext_lazy("선택한 분기의 창의왕 확정 (통보 및 시상 기록)"))
    def confirm(self, request: HttpRequest, qs: QuerySet) -> None:
        for rnd in qs:
            quarter_round_confirm(round=rnd, by=_by(request))
            self.message_user(request, _("%(round)s: 확정했습니다.") % {"round": rnd})

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
        self, request: HttpRequest, rnd: QuarterRound, form: forms.Form, title: str
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
        rnd = get_for_user(request.user, QuarterRound, MANAGE, pk=pk)
        form = WinnerReplaceForm(request.POST or None, round=rnd)
        if request.method == "POST" and form.is_valid():
            try:
                round_winner_replace(
                    winner=form.cleaned_data["winner"],
                    user=form.cleaned_data["entry"].user,
                    reason=form.cleaned_data["reason"],
                    by=_by(request),
                )
            except ServiceError as exc:
                add_to_form(form, exc)
            else:
                self.message_user(request, _("창의왕을 교체했습니다."))
                return self._back(rnd)
        return self._page(request, rnd, form, _("%(round)s: 창의왕 교체") % {"round": rnd})

    def recompute_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        rnd = get_for_user(request.user, QuarterRound, MANAGE, pk=pk)
        form = RecomputeForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                quarter_round_recompute(
                    round=rnd, by=_by(request), reason=form.cleaned_data["reason"]
                )
            except ServiceError as exc:
                message_error(request, exc)
            else:
                self.message_user(request, _("현재 원장으로 다시 집계했습니다 (기록에 남음)."))
            return self._back(rnd)
        return self._page(request, rnd, form, _("%(round)s: 재집계") % {"round": rnd})
