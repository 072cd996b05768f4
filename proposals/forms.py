"""Forms of the proposals app. Every message is Korean; typed text is kept on errors."""

import re
from datetime import date, datetime, time
from typing import Any

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from common.once import OnceTokenField
from org.files import ALLOWED_EXTENSIONS_LABEL as ALLOWED_LABEL
from org.files import check_upload
from org.models import Department

from .calculations import FIRST_RECEIPT_YEAR, STATUS_LABELS, TRANSITIONS, received_on_error
from .consent import CURRENT_VERSION
from .models import (
    BENCHMARK_NEXT,
    DONGS,
    OTHER_DONG,
    BenchmarkCase,
    Channel,
    LinkKind,
    ThemeRound,
    ThemeTask,
)
from .selectors import open_theme_tasks

TITLE_MAX = 200
CONTENT_MAX = 4000
EFFECT_MAX = 2000
PHONE_RE = re.compile(r"^0\d{1,2}-?\d{3,4}-?\d{4}$")
FORM_STARTED_SALT = "proposals.form-started"


def min_fill_seconds() -> int:
    return getattr(settings, "PROPOSAL_MIN_FILL_SECONDS", 5)


def started_token() -> str:
    """A signed time stamp put in the form when it is shown (the minimum fill time)."""
    return signing.dumps(timezone.now().timestamp(), salt=FORM_STARTED_SALT)


def _dong_choices() -> list[tuple[str, str | Promise]]:
    choices: list[tuple[str, str | Promise]] = [("", _("선택하세요"))]
    return choices + [(d, d) for d in DONGS] + [(OTHER_DONG, OTHER_DONG)]


def _phone_clean(value: str) -> str:
    value = value.strip()
    if value and not PHONE_RE.match(value.replace(" ", "")):
        raise forms.ValidationError(_("전화번호 형식이 올바르지 않습니다. 예: 010-1234-5678"))
    return value.replace(" ", "")


class ResidentFieldsMixin(forms.Form):
    proposer_name = forms.CharField(label=_("성명"), max_length=50)
    phone = forms.CharField(
        label=_("휴대전화"),
        max_length=20,
        required=False,
        help_text=_("휴대전화나 전자우편 중 하나는 꼭 적어 주세요. 예: 010-1234-5678"),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    email = forms.EmailField(
        label=_("전자우편"),
        required=False,
        help_text=_("적어 주시면 처리 결과를 전자우편으로도 알려 드립니다."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("전자우편 주소 형식이 올바르지 않습니다.")},
    )
    dong = forms.ChoiceField(label=_("거주 동"), choices=_dong_choices)
    title = forms.CharField(
        label=_("제목"),
        max_length=TITLE_MAX,
        error_messages={"max_length": _("제목은 %(limit_value)d자 이내로 적어 주세요.")},
    )
    content = forms.CharField(
        label=_("제안 내용"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("현재의 문제점과 개선 방안을 적어 주세요. (%(n)d자 이내)") % {"n": CONTENT_MAX},
        error_messages={"max_length": _("제안 내용은 %(limit_value)d자 이내로 적어 주세요.")},
    )
    expected_effect = forms.CharField(
        label=_("기대효과"),
        max_length=EFFECT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("기대효과는 %(limit_value)d자 이내로 적어 주세요.")},
    )

    def clean_phone(self) -> str:
        return _phone_clean(self.cleaned_data.get("phone", ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("phone") or data.get("email")) and not (
            self.errors.get("phone") or self.errors.get("email")
        ):
            self.add_error("phone", _("휴대전화나 전자우편 중 하나는 적어 주세요."))
        return data


class PublicProposalForm(ResidentFieldsMixin):
    """The resident's form at /propose/."""

    attachment = forms.FileField(
        label=_("첨부파일 (선택)"),
        required=False,
        help_text=_("한 개, %(mb)dMB 이하. 형식: %(kinds)s")
        % {"mb": settings.ATTACHMENT_MAX_BYTES // (1024 * 1024), "kinds": ALLOWED_LABEL},
    )
    consent = forms.BooleanField(
        label=_("위 개인정보 수집·이용에 동의합니다."),
        error_messages={"required": _("개인정보 수집·이용에 동의해야 제안을 접수할 수 있습니다.")},
    )
    consent_version = forms.CharField(widget=forms.HiddenInput, initial=CURRENT_VERSION)
    publish_if_adopted = forms.BooleanField(
        label=_("채택되면 이 제안을 구청 누리집의 '채택 제안' 목록에 공개해도 좋습니다."),
        required=False,
        help_text=_(
            "선택 사항입니다. 성명·연락처·주소는 공개하지 않으며, 동의하지 않아도 접수와 "
            "심사에는 차이가 없습니다."
        ),
    )
    submission_token = OnceTokenField()
    # Honeypot: hidden from people (and from screen readers); bots fill every field.
    website = forms.CharField(label=_("이 칸은 비워 두세요"), required=False)
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        self.initial["started"] = started_token()
        self._posted_started = ""
        if self.is_bound:
            # The minimum fill time counts from when the form was FIRST shown: a form re-shown
            # after a refusal keeps the signed original start, so the resident who ticks the
            # consent box and sends again at once is not refused as "too fast". Only a missing,
            # forged or expired start is replaced (with now), so the re-shown form can be sent.
            data = self.data.copy()  # type: ignore[attr-defined]  # a QueryDict
            self._posted_started = data.get("started", "")
            if self.started_at(self._posted_started) is None:
                data["started"] = self.initial["started"]
            self.data = data

    @staticmethod
    def started_at(token: str) -> float | None:
        """The time stamp signed into ``started`` (a day at most), or None."""
        try:
            return float(signing.loads(token, salt=FORM_STARTED_SALT, max_age=86400))
        except (signing.BadSignature, TypeError, ValueError):
            return None

    def clean_attachment(self) -> Any:
        upload = self.cleaned_data.get("attachment")
        if upload:
            check_upload(upload, upload.name or "", upload.size or 0)
        return upload

    def clean_consent_version(self) -> str:
        version = self.cleaned_data["consent_version"]
        if version != CURRENT_VERSION:
            raise forms.ValidationError(
                _("안내문이 바뀌었습니다. 새 안내문을 읽고 다시 동의해 주세요.")
            )
        return version

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("website"):
            raise forms.ValidationError(_("제출할 수 없습니다. 비워 두어야 할 칸이 채워졌습니다."))
        started = self.started_at(self._posted_started)
        if started is None:
            raise forms.ValidationError(
                _(
                    "입력 시간이 지났거나 양식이 올바르지 않습니다. 내용을 확인하고 다시 제출해 주세요."
                )
            )
        if timezone.now().timestamp() - started < min_fill_seconds():
            raise forms.ValidationError(
                _("너무 빨리 제출되었습니다. 입력한 내용을 확인하신 뒤 다시 제출해 주세요.")
            )
        return data


class StatusLookupForm(forms.Form):
    receipt_number = forms.CharField(
        label=_("접수번호"),
        max_length=20,
        help_text=_("예: 2016-R-00042"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    contact = forms.CharField(label=_("접수할 때 적은 휴대전화 또는 전자우편"), max_length=254)


class OnBehalfForm(ResidentFieldsMixin):
    """Staff register a mail, visit or 국민신문고 proposal for the resident (대리 접수)."""

    channel = forms.ChoiceField(
        label=_("접수 경로"),
        choices=[(c.value, c.label) for c in Channel if c not in (Channel.WEB, Channel.BOARD)],
    )
    received_on = forms.DateField(
        label=_("접수일"),
        widget=forms.DateInput(attrs={"type": "date", "min": f"{FIRST_RECEIPT_YEAR}-01-01"}),
    )
    consented_at = forms.DateTimeField(
        label=_("동의 일시"),
        required=False,
        help_text=_("제안자가 동의한 일시(예: 2016-03-02 14:30). 비워 두면 접수일로 기록합니다."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    department = forms.ModelChoiceField(
        label=_("소관 부서"), queryset=Department.objects.all(), required=False
    )
    consent_obtained = forms.BooleanField(
        label=_("제안자에게 개인정보 수집·이용 안내를 하고 동의를 받았습니다."),
        error_messages={
            "required": _("제안자의 개인정보 수집·이용 동의를 받아야 접수할 수 있습니다.")
        },
    )

    def clean_received_on(self) -> date:
        day: date = self.cleaned_data["received_on"]
        error = received_on_error(day, timezone.localdate())
        if error:
            raise forms.ValidationError(error)
        return day

    def clean_consented_at(self) -> datetime | None:
        value: datetime | None = self.cleaned_data.get("consented_at")
        if value is not None and value > timezone.now():
            raise forms.ValidationError(_("동의 일시는 지금보다 늦을 수 없습니다."))
        return value

    def received_at(self) -> datetime:
        """The receipt instant: now when received today, else 09:00 of that day."""
        day: date = self.cleaned_data["received_on"]
        if day == timezone.localdate():
            return timezone.now()
        return timezone.make_aware(datetime.combine(day, time(9, 0)))


class StaffProposalForm(forms.Form):
    title = forms.CharField(label=_("제목"), max_length=TITLE_MAX)
    current_problem = forms.CharField(
        label=_("현황 및 문제점"), max_length=CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 5})
    )
    content = forms.CharField(
        label=_("제안 내용"), max_length=CONTENT_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )
    expected_effect = forms.CharField(
        label=_("기대효과"), max_length=EFFECT_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    department = forms.ModelChoiceField(
        label=_("소관 부서"), queryset=Department.objects.all(), required=False
    )
    theme_task = forms.ModelChoiceField(
        label=_("테마 과제 (선택)"), queryset=ThemeTask.objects.none(), required=False
    )
    submission_token = OnceTokenField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["theme_task"].queryset = open_theme_tasks()  # type: ignore[attr-defined]


class TransitionForm(forms.Form):
    to_status = forms.ChoiceField(label=_("다음 단계"))
    reason = forms.CharField(
        label=_("사유"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("보완요청과 불채택에는 사유가 꼭 필요합니다."),
    )  # fmt: skip
    answer = forms.CharField(
        label=_("제안자에게 알릴 답변"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    planned_on = forms.DateField(
        label=_("실시 예정일"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    implemented_on = forms.DateField(
        label=_("실시일"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    delay_reason = forms.CharField(label=_("지연 사유"), required=False)

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["to_status"].choices = [  # type: ignore[attr-defined]
            (s, STATUS_LABELS[s]) for s in sorted(TRANSITIONS.get(current, ()))
        ]


class LinkForm(forms.Form):
    primary_receipt = forms.CharField(label=_("먼저 접수된 제안의 접수번호"), max_length=20)
    kind = forms.ChoiceField(label=_("연결 구분"), choices=LinkKind.choices)


class ThemeRoundForm(forms.Form):
    title = forms.CharField(
        label=_("회차명"), max_length=100, help_text=_("예: 2016년 4월 맞춤형 테마제안")
    )
    opens_on = forms.DateField(label=_("시작일"), widget=forms.DateInput(attrs={"type": "date"}))
    closes_on = forms.DateField(label=_("마감일"), widget=forms.DateInput(attrs={"type": "date"}))


class ThemeTaskForm(forms.Form):
    title = forms.CharField(label=_("과제명"), max_length=200)
    description = forms.CharField(
        label=_("과제 설명"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    department = forms.ModelChoiceField(label=_("부서"), queryset=Department.objects.all())

    def __init__(self, *args: Any, own_department: Department | None = None, **kwargs: Any
                 ) -> None:  # fmt: skip
        """``own_department``: staff (not admins) post tasks for their own department only."""
        super().__init__(*args, **kwargs)
        if own_department is not None:
            field = self.fields["department"]
            field.queryset = Department.objects.filter(pk=own_department.pk)  # type: ignore[attr-defined]


class BenchmarkForm(forms.Form):
    title = forms.CharField(label=_("제목"), max_length=200)
    origin = forms.CharField(
        label=_("기관·국가"), max_length=100, help_text=_("예: 성동구, 일본 요코하마시")
    )
    summary = forms.CharField(label=_("정책 내용"), widget=forms.Textarea(attrs={"rows": 5}))
    source = forms.ChoiceField(label=_("출처"), choices=BenchmarkCase.Source.choices)
    link = forms.URLField(label=_("링크"), required=False, assume_scheme="https")
    source_date = forms.DateField(
        label=_("보도·견학일"), widget=forms.DateInput(attrs={"type": "date"})
    )
    department = forms.ModelChoiceField(label=_("검토 부서"), queryset=Department.objects.all())


class BenchmarkAdvanceForm(forms.Form):
    state = forms.ChoiceField(label=_("처리"))
    reason = forms.CharField(
        label=_("검토 의견"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("적용 가능·불가 판단에는 이유를 적어 주세요."),
    )  # fmt: skip
    on = forms.DateField(
        label=_("일자"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(BenchmarkCase.State.choices)
        self.fields["state"].choices = [  # type: ignore[attr-defined]
            (s, labels[s]) for s in sorted(BENCHMARK_NEXT[current])
        ]


class EvaluationForm(forms.Form):
    title = forms.CharField(
        label=_("심사명"), max_length=100, help_text=_("예: 2016년 상반기 제안 심사")
    )
    period_start = forms.DateField(
        label=_("수집 시작일"), widget=forms.DateInput(attrs={"type": "date"})
    )
    period_end = forms.DateField(
        label=_("수집 종료일"), widget=forms.DateInput(attrs={"type": "date"})
    )
    theme_round = forms.ModelChoiceField(
        label=_("맞춤형 테마제안 회차 (테마제안 심사일 때)"),
        queryset=ThemeRound.objects.filter(evaluation__isnull=True),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("period_start") and data.get("period_end"):
            if data["period_end"] < data["period_start"]:
                self.add_error("period_end", _("종료일은 시작일보다 빠를 수 없습니다."))
        return data


class HrExportForm(forms.Form):
    """The 성과포인트 list's year: a real year of the portal, else a clear error (never a 500)."""

    year = forms.IntegerField(
        label=_("연도"),
        required=False,
        min_value=FIRST_RECEIPT_YEAR,
        max_value=2100,
        error_messages={
            "invalid": _("연도는 숫자로 적어 주세요. 예: 2016"),
            "min_value": _("연도는 %(limit_value)s년 이후로 적어 주세요."),
            "max_value": _("연도는 %(limit_value)s년 이전으로 적어 주세요."),
        },
    )
