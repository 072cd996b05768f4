"""Admin: rules and caps (editable per year, with a recompute), the ledger (read-only), and
the quarterly rounds (confirm, replace one winner with a reason, recompute with a reason)."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.models import User
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common import periods
from common.access import get_for_user
from common.admin import Confirmation, confirmation_page, confirmed
from common.errors import ServiceError, add_to_form
from common.web import message_error
from org.admin_people import PERSON_RELATED, PeopleAdminMixin, person_label
from org.models import UNASSIGNED_LABEL, display_name
from org.selectors import department_label

from . import calculations as calc
from .forms import RecomputeForm, TieSettleForm, WinnerReplaceForm
from .models import (
    Activity,
    MonthlyCap,
    PointRule,
    QuarterRound,
    RoundEntry,
    RoundEvent,
    RoundWinner,
    RuleRecompute,
)
from .selectors import WinnerLine, round_winner_lines
from .services import (
    ledger_recompute,
    round_confirm,
    round_recompute,
    round_tie_settle,
    round_winner_replace,
    rules_copy_year,
)


def _by(request: HttpRequest) -> User:
    """The admin acting (``admin_view`` lets only logged-in staff in)."""
    return cast(User, request.user)


def _ledger_rows(years: list[int]) -> int:
    """The ledger rows of those years (month ranges, so the month index answers)."""
    within = Q()
    for year in years:
        within |= Q(month__gte=date(year, 1, 1), month__lt=date(year + 1, 1, 1))
    return Activity.objects.filter(within).count() if years else 0


@admin.action(description=gettext_lazy("선택한 연도의 점수를 현재 기준으로 다시 계산"))
def _recompute_years(
    modeladmin: "admin.ModelAdmin[Any]", request: HttpRequest, qs: QuerySet[Any]
) -> HttpResponse | None:
    years = sorted(set(qs.values_list("year", flat=True)))
    if not confirmed(request):
        summary = [
            _(
                "%(n)d개 연도(%(years)s)의 원장 점수 %(rows)s건을 지금의 기준표와 상한으로 다시 "
                "계산합니다. 바뀐 점수는 되돌릴 수 없고, 재계산은 기록에 남습니다. 확정된 분기의 "
                "창의왕 선정은 바뀌지 않습니다."
            )
            % {
                "n": len(years),
                "years": ", ".join(f"{y}년" for y in years),
                "rows": intcomma(_ledger_rows(years)),
            }
        ]
        return confirmation_page(
            modeladmin, request, qs, action="_recompute_years",
            confirmation=Confirmation(
                title=_("점수 다시 계산"), summary=summary, button=_("다시 계산")
            ),
        )  # fmt: skip
    for year in years:
        log = ledger_recompute(year=year, by=_by(request))
        modeladmin.message_user(
            request,
            _("%(year)s년 점수를 다시 계산했습니다 (원장 %(rows)s건 점수 변경).")
            % {"year": year, "rows": log.rows},
        )
    return None


@admin.action(description=gettext_lazy("선택한 연도의 기준과 상한을 올해 기준으로 복사"))
def _copy_to_this_year(
    modeladmin: "admin.ModelAdmin[Any]", request: HttpRequest, qs: QuerySet[Any]
) -> HttpResponse | None:
    """A year's table is used whole: give this year its own copy of the chosen year's table
    and caps before editing a value, so earlier years keep theirs."""
    this_year = periods.local_date(timezone.now()).year
    source = max(qs.values_list("year", flat=True))
    if not confirmed(request):
        rules = PointRule.objects.filter(year=source).count()
        caps = MonthlyCap.objects.filter(year=source).count()
        summary = [
            _(
                "%(source)s년 점수 기준 %(rules)d건과 월 상한 %(caps)d건을 %(year)s년으로 "
                "복사합니다. %(year)s년에 이미 있는 항목은 그대로 둡니다."
            )
            % {"source": source, "rules": rules, "caps": caps, "year": this_year}
        ]
        return confirmation_page(
            modeladmin, request, qs, action="_copy_to_this_year",
            confirmation=Confirmation(
                title=_("기준 복사"), summary=summary, button=_("복사")
            ),
        )  # fmt: skip
    created = rules_copy_year(from_year=source, to_year=this_year)
    modeladmin.message_user(
        request,
        _("%(source)s년 기준을 %(year)s년으로 복사했습니다 (%(created)s건).")
        % {"source": source, "year": this_year, "created": created},
    )
    return None


@admin.register(PointRule)
class PointRuleAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["year", "area", "kind", "points"]
    list_editable = ["points"]
    list_filter = ["year", "area", "kind"]
    actions = [_recompute_years, _copy_to_this_year]


@admin.register(MonthlyCap)
class MonthlyCapAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["year", "kind", "cap"]
    list_editable = ["cap"]
    list_filter = ["year"]
    actions = [_recompute_years]


@admin.register(RuleRecompute)
class RuleRecomputeAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["year", "at", "by", "rows"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Activity)
class ActivityAdmin(PeopleAdminMixin, admin.ModelAdmin):
    """The ledger is appended and voided by services only: read-only here."""

    list_display = ["occurred_at", "user", "area", "kind", "points", "source_type", "source_id",
                    "voided_at"]  # fmt: skip
    list_filter = ["kind", "area", "month"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__last_name", "user__first_name"]
    show_full_result_count = False  # no COUNT(*) over millions of rows

    def object_label(self, obj: Activity) -> str:
        when = periods.local_date(obj.occurred_at).isoformat()
        return f"{person_label(obj.user)} · {obj.get_kind_display()} · {when}"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def _entry_of(field: str) -> Subquery:
    """One value of the winner's frozen entry in the round (for the inline's columns)."""
    return Subquery(
        RoundEntry.objects.filter(round=OuterRef("round"), user=OuterRef("user")).values(field)[:1]
    )


class RoundWinnerInline(PeopleAdminMixin, admin.TabularInline):
    """The 창의왕 of a round, with the points and eligibility the round froze."""

    model = RoundWinner
    extra = 0
    fields = ("place", "person", "total", "approval", "eligible", "active", "replaced_reason",
              "prize_won", "notified_at", "prize_recorded_at")  # fmt: skip
    readonly_fields = fields
    can_delete = False
    verbose_name = gettext_lazy("창의왕")
    verbose_name_plural = gettext_lazy("창의왕 (점수와 대상 여부는 집계 당시 기준)")

    def get_queryset(self, request: HttpRequest) -> QuerySet[RoundWinner]:
        return (
            super()
            .get_queryset(request)
            .select_related("user")
            .annotate(
                entry_total=_entry_of("total"),
                entry_approval=_entry_of("approval_points"),
                entry_eligible=_entry_of("eligible"),
                entry_department=_entry_of("department"),
            )
        )

    @admin.display(description=gettext_lazy("이름 (부서)"))
    def person(self, obj: RoundWinner) -> str:
        department = getattr(obj, "entry_department", "") or UNASSIGNED_LABEL
        return f"{display_name(obj.user)} ({department})"

    @admin.display(description=gettext_lazy("합계 점수"))
    def total(self, obj: RoundWinner) -> str:
        return _points(getattr(obj, "entry_total", None))

    @admin.display(description=gettext_lazy("승인 점수"))
    def approval(self, obj: RoundWinner) -> str:
        return _points(getattr(obj, "entry_approval", None))

    @admin.display(description=gettext_lazy("창의왕 대상"), boolean=True)
    def eligible(self, obj: RoundWinner) -> bool | None:
        return getattr(obj, "entry_eligible", None)

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


def _points(value: Decimal | None) -> str:
    return "-" if value is None else calc.points_text(value)


class RoundEventInline(PeopleAdminMixin, admin.TabularInline):
    model = RoundEvent
    extra = 0
    fields = ("at", "action", "by", "note")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


MANAGE = "scoring.manage_rounds"


@dataclass
class ConfirmPlan:
    """What confirming one round does: who gets what (the confirmation page)."""

    round: QuarterRound
    lines: list[WinnerLine]
    tie_open: bool


@admin.register(QuarterRound)
class QuarterRoundAdmin(PeopleAdminMixin, admin.ModelAdmin):
    list_display = ["round_label", "status", "winners_label", "tie_label", "computed_at",
                    "confirmed_at", "confirmed_by_label"]  # fmt: skip
    list_filter = ["status", "year"]
    readonly_fields = ["year", "quarter", "status", "computed_at", "confirmed_at", "confirmed_by",
                       "tie_settled_at", "tie_settled_by", "tie_reason"]  # fmt: skip
    inlines = [RoundWinnerInline, RoundEventInline]
    actions = ["confirm"]
    change_form_template = "admin/scoring/quarterround/change_form.html"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # rounds come from the scheduled job (`manage.py job_scoring_quarter`)

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # the official record

    def get_queryset(self, request: HttpRequest) -> QuerySet[QuarterRound]:
        return (
            super()
            .get_queryset(request)
            .select_related("confirmed_by__staff_profile__department")
            .prefetch_related(
                Prefetch(
                    "winners",
                    queryset=RoundWinner.objects.filter(active=True).select_related(
                        f"user__{PERSON_RELATED}"
                    ),
                    to_attr="active_winners",
                )
            )
            .annotate(
                tied_count=Count("entries", filter=Q(entries__tied=True)),
            )
        )

    @admin.display(description=gettext_lazy("분기"), ordering="-year")
    def round_label(self, obj: QuarterRound) -> str:
        return str(obj)

    @admin.display(description=gettext_lazy("창의왕"))
    def winners_label(self, obj: QuarterRound) -> str:
        winners = getattr(obj, "active_winners", [])
        return ", ".join(person_label(w.user) for w in winners) or "-"

    @admin.display(description=gettext_lazy("동점"))
    def tie_label(self, obj: QuarterRound) -> str:
        if not getattr(obj, "tied_count", 0):
            return "-"
        return str(_("결정함") if obj.tie_settled_at else _("결정 필요"))

    @admin.display(description=gettext_lazy("확정자"))
    def confirmed_by_label(self, obj: QuarterRound) -> str:
        user = obj.confirmed_by
        return f"{display_name(user)} ({department_label(user)})" if user else "-"

    @admin.action(description=gettext_lazy("선택한 분기의 창의왕 확정 (통보 및 시상 기록)"))
    def confirm(self, request: HttpRequest, qs: QuerySet[QuarterRound]) -> HttpResponse | None:
        """A confirmation page first (who gets what); only its 확정 button confirms."""
        rounds = list(qs.filter(status=QuarterRound.Status.PROPOSED))
        if request.POST.get("confirmed") != "yes":
            return self._confirm_page(request, rounds, action=True)
        for rnd in rounds:
            try:
                round_confirm(round=rnd, by=_by(request))
            except ServiceError as exc:
                self.message_user(request, f"{rnd}: {exc}", level=messages.ERROR)
            else:
                self.message_user(request, _("%(round)s: 확정했습니다.") % {"round": rnd})
        return None

    def get_urls(self) -> list[URLPattern]:
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/replace/", view(self.replace_view), name="scoring_quarterround_replace"),
            path(
                "<int:pk>/recompute/",
                view(self.recompute_view),
                name="scoring_quarterround_recompute",
            ),
            path("<int:pk>/tie/", view(self.tie_view), name="scoring_quarterround_tie"),
            path("<int:pk>/confirm/", view(self.confirm_view), name="scoring_quarterround_confirm"),
            *super().get_urls(),
        ]

    def change_view(
        self,
        request: HttpRequest,
        object_id: str,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        rnd = self.get_object(request, object_id)  # None for an unknown or malformed id
        context = {**(extra_context or {})}
        if rnd is not None:
            context["tied_entries"] = list(
                rnd.entries.filter(tied=True).select_related("user").order_by("position")
            )
            context["tie_open"] = bool(context["tied_entries"]) and rnd.tie_settled_at is None
        return super().change_view(request, object_id, form_url, context)

    def _confirm_page(
        self, request: HttpRequest, rounds: list[QuarterRound], *, action: bool
    ) -> HttpResponse:
        plans = [ConfirmPlan(rnd, round_winner_lines(round=rnd), rnd.tie_open) for rnd in rounds]
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("창의왕 확정"),
            "plans": plans,
            "action": action,
            "selected": [rnd.pk for rnd in rounds],
            "can_confirm": bool(plans) and not any(p.tie_open for p in plans),
            "prize": RoundWinner.PRIZE_WON,
            "back": reverse(
                "admin:scoring_quarterround_change", args=[rounds[0].pk]
            ) if len(rounds) == 1 and not action else reverse(
                "admin:scoring_quarterround_changelist"
            ),
        }  # fmt: skip
        return render(request, "admin/scoring/quarterround/confirm.html", context)

    def confirm_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        rnd = get_for_user(request.user, QuarterRound, MANAGE, pk=pk)
        if request.method == "POST" and request.POST.get("confirmed") == "yes":
            try:
                round_confirm(round=rnd, by=_by(request))
            except ServiceError as exc:
                message_error(request, exc)
            else:
                self.message_user(request, _("%(round)s: 확정했습니다.") % {"round": rnd})
            return self._back(rnd)
        if rnd.status == QuarterRound.Status.CONFIRMED:
            return self._back(rnd)
        return self._confirm_page(request, [rnd], action=False)

    def tie_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        rnd = get_for_user(request.user, QuarterRound, MANAGE, pk=pk)
        form = TieSettleForm(request.POST or None, round=rnd)
        if request.method == "POST" and form.is_valid():
            try:
                round_tie_settle(
                    round=rnd,
                    chosen=[e.user for e in form.cleaned_data["chosen"]],
                    award_all=form.cleaned_data["award_all"],
                    reason=form.cleaned_data["reason"],
                    by=_by(request),
                )
            except ServiceError as exc:
                add_to_form(form, exc)
            else:
                self.message_user(request, _("동점을 결정했습니다 (기록에 남음)."))
                return self._back(rnd)
        return self._page(request, rnd, form, _("%(round)s: 동점 결정") % {"round": rnd})

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
                round_recompute(round=rnd, by=_by(request), reason=form.cleaned_data["reason"])
            except ServiceError as exc:
                message_error(request, exc)
            else:
                self.message_user(request, _("현재 원장으로 다시 집계했습니다 (기록에 남음)."))
            return self._back(rnd)
        return self._page(request, rnd, form, _("%(round)s: 재집계") % {"round": rnd})
