from dataclasses import dataclass
from datetime import date
from typing import Any, cast
from urllib.parse import urlencode

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _gettext
from django.utils.translation import gettext_lazy as _

from common import periods

from . import calculations as calc
from .models import QuarterRound, RoundEntry, RoundWinner

FIRST_YEAR = 2016  # the programme's first year of points


def _years() -> list[tuple[int, str]]:
    this = periods.local_date(timezone.now()).year
    return [(y, _gettext("%(year)s년") % {"year": y}) for y in range(this, FIRST_YEAR - 1, -1)]


PERIOD_KINDS = [
    ("month", _("월")),
    ("quarter", _("분기")),
    ("half", _("반기")),
    ("year", _("연간")),
]
VIEWS = [("people", _("개인")), ("departments", _("부서별"))]


def _months() -> list[tuple[int, str]]:
    return [(m, _gettext("%(month)s월") % {"month": m}) for m in periods.MONTHS]


def _quarter_choices() -> list[tuple[int, str]]:
    return [(q, _gettext("%(quarter)s분기") % {"quarter": q}) for q in periods.QUARTERS]


def _halves() -> list[tuple[int, str]]:
    return [(1, _gettext("상반기")), (2, _gettext("하반기"))]


class PeriodForm(forms.Form):
    """Which period and view the leaderboard shows (GET). Without ``period`` the kind follows
    the value given (``?year=2026&quarter=3`` is that quarter); anything invalid falls back
    to the current period."""

    period = forms.ChoiceField(label=_("기간"), choices=PERIOD_KINDS, required=False)
    year = forms.TypedChoiceField(label=_("연도"), coerce=int, choices=_years)
    month = forms.TypedChoiceField(label=_("월"), coerce=int, choices=_months, required=False)
    quarter = forms.TypedChoiceField(
        label=_("분기"), coerce=int, choices=_quarter_choices, required=False
    )
    half = forms.TypedChoiceField(label=_("반기"), coerce=int, choices=_halves, required=False)
    view = forms.ChoiceField(label=_("보기"), choices=VIEWS, required=False)

    def selection(self, today: date) -> "PeriodChoice":
        """The chosen period, completed with ``today``'s month, quarter or half."""
        data: dict[str, Any] = self.cleaned_data if self.is_valid() else {"year": today.year}
        kind: str = data.get("period") or next(
            (k for k in ("month", "quarter", "half") if data.get(k)), "quarter"
        )
        same_year = data["year"] == today.year
        values = {
            "month": data.get("month") or (today.month if same_year else 1),
            "quarter": data.get("quarter") or (periods.quarter_of(today) if same_year else 1),
            "half": data.get("half") or (periods.half_of(today) if same_year else 1),
        }
        view: str = data.get("view") or "people"
        return PeriodChoice(kind, data["year"], values, view)


@dataclass(frozen=True)
class PeriodChoice:
    kind: str  # month / quarter / half / year
    year: int
    values: dict[str, int]  # the month, quarter and half shown in the selectors
    view: str  # people / departments

    @property
    def kwargs(self) -> dict[str, int]:
        """The keyword arguments of period_ranking / leaderboard for this period."""
        if self.kind == "year":
            return {"year": self.year}
        return {"year": self.year, self.kind: self.values[self.kind]}

    @property
    def title(self) -> str:
        values = {"year": self.year, **self.values}
        if self.kind == "month":
            return _gettext("%(year)s년 %(month)s월") % values
        if self.kind == "quarter":
            return _gettext("%(year)s년 %(quarter)s분기") % values
        if self.kind == "half":
            half = _gettext("상반기") if self.values["half"] == 1 else _gettext("하반기")
            return _gettext("%(year)s년 %(half)s") % {"year": self.year, "half": half}
        return _gettext("%(year)s년 연간") % values

    def query(self, **change: str | int) -> str:
        """The query string of this choice with some values changed (for tabs and links)."""
        params: dict[str, str | int] = {"period": self.kind, "year": self.year, "view": self.view}
        if self.kind != "year":
            params[self.kind] = self.values[self.kind]
        params.update(change)
        kind = params["period"]
        for other in ("month", "quarter", "half"):
            if other != kind:
                params.pop(other, None)
            elif other not in params:
                params[other] = self.values[other]
        return urlencode(params)


class WinnerReplaceForm(forms.Form):
    """Admin: replace one proposed 창의왕 with another eligible person, with a reason."""

    winner: "forms.ModelChoiceField[RoundWinner]" = forms.ModelChoiceField(
        label=_("교체할 창의왕"), queryset=RoundWinner.objects.none()
    )
    entry: "forms.ModelChoiceField[RoundEntry]" = forms.ModelChoiceField(
        label=_("새 창의왕(제안 제출자)"), queryset=RoundEntry.objects.none()
    )
    reason = forms.CharField(label=_("교체 사유"), max_length=300, widget=forms.Textarea)

    def __init__(self, *args: Any, round: QuarterRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        winner_field = cast(forms.ModelChoiceField, self.fields["winner"])
        entry_field = cast(forms.ModelChoiceField, self.fields["entry"])
        winner_field.queryset = round.winners.filter(active=True).select_related("user")
        # The best 200 eligible non-winners (a select of 25,000 people helps nobody); a pk
        # list rather than a slice, so the field can still validate the choice.
        candidates = (
            round.entries.filter(eligible=True)
            .exclude(user__in=round.winners.filter(active=True).values("user"))
            .order_by("position")
            .values_list("pk", flat=True)[:200]
        )
        entry_field.queryset = (
            round.entries.filter(pk__in=list(candidates))
            .select_related("user")
            .order_by("position")
        )
        entry_field.label_from_instance = _entry_label  # type: ignore[method-assign,assignment]


class RecomputeForm(forms.Form):
    reason = forms.CharField(label=_("재집계 사유"), max_length=300, widget=forms.Textarea)


def _entry_label(entry: RoundEntry) -> str:
    return _gettext("%(rank)s위 %(label)s %(total)s점") % {
        "rank": entry.rank,
        "label": entry.label,
        "total": calc.points_text(entry.total),
    }


class TieSettleForm(forms.Form):
    """Admin: decide a tie at the last prize place — pick among the tied, or award them all."""

    chosen: "forms.ModelMultipleChoiceField[RoundEntry]" = forms.ModelMultipleChoiceField(
        label=_("창의왕으로 선정할 동점자"),
        queryset=RoundEntry.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    award_all = forms.BooleanField(label=_("동점자 모두 시상 (각자 상품권 지급)"), required=False)
    reason = forms.CharField(label=_("결정 사유"), max_length=300, widget=forms.Textarea)

    def __init__(self, *args: Any, round: QuarterRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        chosen = cast(forms.ModelMultipleChoiceField, self.fields["chosen"])
        chosen.queryset = (
            round.entries.filter(tied=True).select_related("user").order_by("position")
        )
        chosen.label_from_instance = _tied_label  # type: ignore[method-assign,assignment]


def _tied_label(entry: RoundEntry) -> str:
    return _gettext("%(label)s — 합계 %(total)s점, 승인 %(approval)s점, %(rank)s위") % {
        "label": entry.label,
        "total": calc.points_text(entry.total),
        "approval": calc.points_text(entry.approval_points),
        "rank": entry.rank,
    }
