"""Forms of the club pages. They only parse input; the rules live in services."""

from datetime import date
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext_lazy as _

from common import periods
from common.periods import Period
from org.models import Bureau, display_name
from org.people import PersonField, person_label

from . import calculations as calc
from .models import Club, Incentive, Meeting, Membership, StudyGroup, SupportExpense, Topic

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MIN_YEAR, MAX_YEAR = 2000, 2100  # the years a club may have (the database checks them too)


def year_or(raw: str | None, default: int) -> int:
    """A year typed in a query string, or ``default`` when it is not a sane year."""
    text = (raw or "").strip()
    if text.isascii() and text.isdigit() and len(text) == 4 and MIN_YEAR <= int(text) <= MAX_YEAR:
        return int(text)
    return default


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return person_label(obj)


class PeopleField(forms.ModelMultipleChoiceField[User]):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj: User) -> str:
        return display_name(obj)


class ClubForm(forms.Form):
    bureau = forms.ModelChoiceField(Bureau.objects.all(), label=_("국·소"))
    year = forms.IntegerField(label=_("연도"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    name = forms.CharField(label=_("동아리명"), max_length=100, required=False,
                           help_text=_("비워 두면 '국·소명 학습동아리'로 정합니다."))  # fmt: skip
    topic_1 = forms.ModelChoiceField(Topic.objects.all(), label=_("과제 1 (목록)"), required=False)
    topic_1_free = forms.CharField(label=_("과제 1 (직접 입력)"), max_length=200, required=False)
    topic_2 = forms.ModelChoiceField(Topic.objects.all(), label=_("과제 2 (목록)"), required=False)
    topic_2_free = forms.CharField(label=_("과제 2 (직접 입력)"), max_length=200, required=False,
                                   help_text=_("업무개선, 예산절감, 세입증대, 주민편익 등 목록에 없는 과제는 직접 적으세요."))  # fmt: skip


class GroupForm(forms.Form):
    name = forms.CharField(label=_("분임명"), max_length=50)


class MembershipAddForm(forms.Form):
    group = forms.ModelChoiceField(StudyGroup.objects.none(), label=_("분임"))
    # Searched as you type (org.people): never a <select> of every member of staff.
    user = PersonField(label=_("직원"))
    role = forms.ChoiceField(label=_("역할"), choices=Membership.Role.choices)
    start_date = forms.DateField(label=_("시작일"), widget=DATE_INPUT)

    def __init__(
        self, *args: Any, club: Club, groups: list[StudyGroup] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        group = cast(forms.ModelChoiceField[StudyGroup], self.fields["group"])
        group.queryset = club.groups.all()
        if groups is not None:
            # The page has the groups loaded: the select shows them without a query (a
            # submitted form is checked against the queryset above).
            group.widget.choices = [
                ("", group.empty_label or ""),
                *((g.pk, str(g)) for g in groups),
            ]


class MembershipEndForm(forms.Form):
    end_date = forms.DateField(label=_("종료일"), widget=DATE_INPUT)
    reason = forms.ChoiceField(
        label=_("종료 사유"),
        choices=[c for c in Membership.EndReason.choices if c[0] != "role_change"],
    )


class RoleChangeForm(forms.Form):
    role = forms.ChoiceField(label=_("새 역할"), choices=Membership.Role.choices)
    on_date = forms.DateField(label=_("변경일"), widget=DATE_INPUT)


class MeetingForm(forms.Form):
    held_on = forms.DateField(label=_("모임 날짜"), widget=DATE_INPUT)
    kind = forms.ChoiceField(label=_("모임 종류"), choices=Meeting.Kind.choices)
    place = forms.CharField(label=_("장소"), max_length=100)
    hours = forms.DecimalField(
        label=_("학습 시간(시간)"), min_value=0.5, max_value=8, decimal_places=1, initial=2,
        help_text=_("출석자 1인당 상시학습으로 인정되는 시간입니다 (반기별 최대 12시간)."),
    )  # fmt: skip
    attendees = PeopleField(User.objects.none(), label=_("참석자"))
    minutes = forms.CharField(label=_("회의록"), widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args: Any, group: StudyGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Everyone who was a member at some time this year; the service checks the date.
        ids = group.memberships.values_list("user_id", flat=True)
        attendees = cast(forms.ModelMultipleChoiceField[User], self.fields["attendees"])
        attendees.queryset = User.objects.filter(pk__in=ids).order_by("last_name", "first_name")


class MonthlyReportForm(forms.Form):
    month = forms.TypedChoiceField(label=_("보고 월"), coerce=date.fromisoformat)
    title = forms.CharField(label=_("제목"), max_length=200)
    body = forms.CharField(
        label=_("활동 내용"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("그 달의 모임과 출석 현황은 보고서에 자동으로 붙습니다."),
    )

    def __init__(self, *args: Any, months: list[date], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        month = cast(forms.TypedChoiceField, self.fields["month"])
        month.choices = [
            (m.isoformat(), _("%(year)d년 %(month)02d월") % {"year": m.year, "month": m.month})
            for m in months
        ]


class ResearchReportForm(forms.Form):
    title = forms.CharField(label=_("제목"), max_length=200)
    summary = forms.CharField(
        label=_("요약"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3})
    )
    body = forms.CharField(label=_("연구성과 내용"), widget=forms.Textarea(attrs={"rows": 10}))


class ExpenseForm(forms.Form):
    spent_on = forms.DateField(label=_("지출일"), widget=DATE_INPUT)
    category = forms.ChoiceField(label=_("항목"), choices=SupportExpense.Category.choices)
    amount = forms.IntegerField(label=_("금액(원)"), min_value=1, max_value=calc.MAX_EXPENSE_WON)
    description = forms.CharField(label=_("내용"), max_length=200)


class TopContributorForm(forms.Form):
    user = PersonChoiceField(User.objects.none(), label=_("추천할 회원"))

    def __init__(self, *args: Any, club: Club, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = Membership.objects.filter(club=club).values_list("user_id", flat=True)
        user = cast(forms.ModelChoiceField[User], self.fields["user"])
        user.queryset = (
            User.objects.filter(pk__in=ids)
            .select_related("staff_profile__department")
            .order_by("last_name", "first_name")
        )


class IncentiveWithdrawForm(forms.Form):
    """Which of the club's top-contributor recommendations to withdraw (an id the page gave;
    anything else is a form error, never a server error)."""

    incentive = forms.ModelChoiceField(Incentive.objects.none())

    def __init__(self, *args: Any, club: Club, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[Incentive], self.fields["incentive"])
        field.queryset = Incentive.objects.filter(club=club).select_related("user", "group")


class HalfYearForm(forms.Form):
    year = forms.IntegerField(
        label=_("연도"), min_value=MIN_YEAR, max_value=MAX_YEAR,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )  # fmt: skip
    half = forms.TypedChoiceField(
        label=_("반기"), coerce=int, choices=[(1, _("상반기")), (2, _("하반기"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )  # fmt: skip

    def half_year(self) -> Period:
        return periods.half(self.cleaned_data["year"], self.cleaned_data["half"])
