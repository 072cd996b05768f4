"""Forms of the review and admin pages. A score sheet is checked by the same pure function
the service runs (``calculations.check_score_sheet``), so every field shows its own problem;
the service checks again and its refusal comes back through ``common.errors.add_to_form``."""

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from org.people import PersonField

from . import calculations as calc
from .models import Criterion, Grade, MemberKind, MemberRole, Result, Round, RoundKind, Score


class ScoreSheetForm(forms.Form):
    """One score field and one optional comment per criterion, plus an overall comment."""

    def __init__(
        self,
        *args: Any,
        criteria: list[Criterion],
        scores: Mapping[int, Score] | None = None,
        comment: str = "",
        submit: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.submit = submit
        scores = scores or {}
        for c in criteria:
            existing = scores.get(c.pk)
            self.fields[f"score_{c.pk}"] = forms.CharField(
                label=_("%(name)s (0–%(max)s점, 가중치 %(weight)s)")
                % {"name": c.name, "max": c.max_score, "weight": c.weight},
                required=False,
                initial=existing.value if existing else None,
                widget=forms.NumberInput(attrs={"step": 1, "inputmode": "numeric"}),
            )
            self.fields[f"comment_{c.pk}"] = forms.CharField(
                label=_("%(name)s 의견(선택)") % {"name": c.name},
                required=False,
                max_length=500,
                initial=existing.comment if existing else "",
            )
        self.fields["comment"] = forms.CharField(
            label=_("종합 의견(선택)"),
            required=False,
            initial=comment,
            widget=forms.Textarea(attrs={"rows": 3}),
        )

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kwargs = self.service_kwargs()
        check = calc.check_score_sheet(
            [calc.CriterionRule(c.pk, c.name, c.max_score) for c in self.criteria],
            kwargs["scores"],
            kwargs["comments"],
            submit=self.submit,
        )
        for cid, message in check.errors.items():
            self.add_error(f"score_{cid}" if cid is not None else None, message)
        return data

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "scores": {c.pk: data.get(f"score_{c.pk}") for c in self.criteria},
            "comments": {c.pk: data.get(f"comment_{c.pk}", "") or "" for c in self.criteria},
            "comment": data.get("comment", ""),
        }


class RecusalForm(forms.Form):
    reason = forms.CharField(
        label=_("회피 사유"),
        max_length=200,
        error_messages={"required": _("회피 사유를 입력하세요.")},
    )


class RoundForm(forms.Form):
    kind = forms.ChoiceField(label=_("구분"), choices=RoundKind.choices)
    year = forms.IntegerField(label=_("연도"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("제목"), max_length=200)
    starts_on = forms.DateField(
        label=_("시작일"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    ends_on = forms.DateField(
        label=_("종료일"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    blind = forms.BooleanField(label=_("블라인드 심사(이름·부서 숨김)"), required=False)
    drop_extremes = forms.BooleanField(label=_("최고·최저점 제외 평균"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year


class QuotaForm(forms.Form):
    """The three grades' counts, prizes (won) and performance points."""

    def __init__(self, *args: Any, round: Round, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = {q.grade: q for q in round.quotas.all()}
        for grade, label in Grade.choices:
            q = current.get(grade)
            self.fields[f"{grade}_count"] = forms.IntegerField(
                label=_("%(grade)s 인원") % {"grade": label},
                min_value=0,
                max_value=100,
                initial=q.count if q else 0,
            )
            self.fields[f"{grade}_prize"] = forms.IntegerField(
                label=_("%(grade)s 상금(원)") % {"grade": label},
                min_value=0,
                max_value=100_000_000,
                initial=q.prize_won if q else 0,
            )
            self.fields[f"{grade}_points"] = forms.DecimalField(
                label=_("%(grade)s 성과포인트") % {"grade": label},
                min_value=0,
                max_value=9,
                decimal_places=1,
                initial=q.performance_points if q else 0,
            )


class ConfirmForm(forms.Form):
    """A grade per final-stage entry; proposed grades preset, ties for the committee."""

    def __init__(self, *args: Any, results: list[Result], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.results = results
        choices = [("", _("수상 없음")), *Grade.choices]
        for r in results:
            self.fields[f"grade_{r.entry_id}"] = forms.ChoiceField(
                label=_("%(title)s 등급") % {"title": r.entry.title},
                choices=choices,
                required=False,
                initial=r.grade,
            )

    def grades(self) -> dict[int, str]:
        return {r.entry_id: self.cleaned_data.get(f"grade_{r.entry_id}", "") for r in self.results}


class ReopenForm(forms.Form):
    reason = forms.CharField(
        label=_("다시 여는 사유"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("다시 여는 사유를 입력하세요.")},
    )


class CaseForm(forms.Form):
    """A department's best-practice case: title, summary, and its file (checked by content in
    the service, ``case_submit`` / ``case_replace``). Replacing, the file may stay as it was."""

    title = forms.CharField(label=_("사례 제목"), max_length=200)
    summary = forms.CharField(label=_("사례 요지"), widget=forms.Textarea(attrs={"rows": 5}))
    file = forms.FileField(
        label=_("사례 파일(pdf, hwp, hwpx, docx, pptx, xlsx, 20MB 이하)"),
        error_messages={"required": _("사례 파일을 첨부하세요.")},
    )

    def __init__(self, *args: Any, replacing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if replacing:
            self.fields["file"].required = False
            self.fields["file"].help_text = _(
                "새 파일을 올리지 않으면 제출한 파일이 그대로 남습니다."
            )


class CommitteeMemberForm(forms.Form):
    """Seat a member: the person is searched as you type (org.people), never a <select> of
    every member of staff (50,000 people)."""

    user = PersonField(label=_("위원"))
    role = forms.ChoiceField(label=_("직책"), choices=MemberRole.choices, initial=MemberRole.MEMBER)
    kind = forms.ChoiceField(label=_("구분"), choices=MemberKind.choices)
    term_start = forms.DateField(
        label=_("임기 시작일"), widget=forms.DateInput(attrs={"type": "date"})
    )
    term_end = forms.DateField(
        label=_("임기 종료일"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("위촉직은 비워 두면 임기 2년으로 정해집니다."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["term_start"].initial = timezone.localdate()
