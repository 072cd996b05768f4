from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PlanActivity

MONTH_CHOICES = [(m, _("%(m)d월") % {"m": m}) for m in range(1, 13)]


class PlanActivityForm(forms.ModelForm):
    """Months as twelve checkboxes, as in the plan's table, instead of raw JSON."""

    months = forms.TypedMultipleChoiceField(
        label=_("추진 월"),
        choices=MONTH_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "programme-months"}),
    )

    class Meta:
        model = PlanActivity
        fields = ["order", "code", "name", "months", "note"]

    def clean_months(self) -> list[int]:
        return sorted(set(self.cleaned_data["months"]))
