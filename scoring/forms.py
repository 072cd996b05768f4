from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import calculations as calc


def _years() -> list[tuple[int, str]]:
    this = timezone.now().astimezone(calc.KST).year
    return [(y, f"{y}년") for y in range(this, 2015, -1)]


class QuarterForm(forms.Form):
    """Which quarter to show (GET). Invalid input falls back to the current quarter."""

    year = forms.TypedChoiceField(label=_("연도"), coerce=int, choices=_years)
    quarter = forms.TypedChoiceField(
        label=_("분기"), coerce=int, choices=[(q, f"{q}분기") for q in (1, 2, 3, 4)]
    )


class WinnerReplaceForm(forms.Form):
    """Admin: replace one proposed 창의왕 with another eligible person, with a reason."""

    winner = forms.ModelChoiceField(label=_("교체할 창의왕"), queryset=None)
    entry = forms.ModelChoiceField(label=_("새 창의왕(제안 제출자)"), queryset=None)
    reason = forms.CharField(label=_("교체 사유"), max_length=300, widget=forms.Textarea)

    def __init__(self, *args: object, round: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["winner"].queryset = round.winners.filter(active=True).select_related("user")
        # The best 200 eligible non-winners (a select of 25,000 people helps nobody); a pk
        # list rather than a slice, so the field can still validate the choice.
        candidates = (
            round.entries.filter(eligible=True)
            .exclude(user__in=round.winners.filter(active=True).values("user"))
            .order_by("position")
            .values_list("pk", flat=True)[:200]
        )
        self.fields["entry"].queryset = (
            round.entries.filter(pk__in=list(candidates))
            .select_related("user")
            .order_by("position")
        )
        self.fields["entry"].label_from_instance = lambda e: (
            f"{e.rank}위 {e.user} ({e.department or '미지정'}) {e.total}점"
        )


class RecomputeForm(forms.Form):
    reason = forms.CharField(label=_("재집계 사유"), max_length=300, widget=forms.Textarea)
