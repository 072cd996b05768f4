import unicodedata
from collections.abc import Iterator

from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User as AuthUser
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from .staff_import import MAX_FILE_BYTES

UserModel = get_user_model()


class LoginForm(AuthenticationForm):
    """Korean labels (KRDS: labels above fields, never placeholders alone)."""

    username = forms.CharField(
        label=_("아이디"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"}),
    )
    password = forms.CharField(
        label=_("비밀번호"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "아이디 또는 비밀번호가 올바르지 않습니다. 입력한 내용을 확인하고 다시 시도해 주세요. "
            "5회 연속 틀리면 30분 동안 로그인할 수 없습니다."
        ),
        "inactive": _("사용이 중지된 계정입니다. 혁신평가팀에 문의해 주세요."),
    }


class StaffImportForm(forms.Form):
    """인사 자료 가져오기: the HR file and what the import may do."""

    file = forms.FileField(
        label=_("직원 파일"),
        help_text=_(
            ".xlsx 또는 CSV(UTF-8, CP949). 열: 직원번호, 성명, 국·소, 부서, 팀, 직급, 직위, "
            "전자우편, 재직 상태"
        ),
    )
    create_departments = forms.BooleanField(
        label=_("부서·팀 새로 만들기 (없는 국·소, 부서, 팀을 만들고 부서의 국·소를 고칩니다)"),
        required=False,
    )
    skip_bad_lines = forms.BooleanField(
        label=_("문제 있는 줄 건너뛰기 (나머지 줄만 가져옵니다)"), required=False
    )
    send_invites = forms.BooleanField(
        label=_("새 직원에게 비밀번호 설정 링크를 전자우편으로 보내기"), required=False
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        # Refused by its size before a byte of it is parsed.
        if (upload.size or 0) > MAX_FILE_BYTES:
            raise forms.ValidationError(
                _("파일이 너무 큽니다(%(size)s). 인사 자료는 %(max)s까지 받습니다.")
                % {"size": filesizeformat(upload.size or 0), "max": filesizeformat(MAX_FILE_BYTES)}
            )
        return upload


class StaffImportConfirmForm(forms.Form):
    """The second step: the file already checked in the dry run, by its token."""

    token = forms.CharField(widget=forms.HiddenInput, max_length=64)
    create_departments = forms.BooleanField(widget=forms.HiddenInput, required=False)
    skip_bad_lines = forms.BooleanField(widget=forms.HiddenInput, required=False)
    send_invites = forms.BooleanField(widget=forms.HiddenInput, required=False)


class PasswordResetForm(auth_forms.PasswordResetForm):
    """비밀번호 찾기 for local accounts, and a new account's first password.

    Django sends no link to an account without a usable password (a directory account has
    none to reset); a new account that never signed in has none yet either, and gets one.
    """

    email = forms.EmailField(
        label=_("전자우편"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def get_users(self, email: str) -> Iterator[AuthUser]:
        email_field = UserModel.get_email_field_name()
        users = UserModel._default_manager.filter(
            **{f"{email_field}__iexact": email, "is_active": True}
        )
        for user in users:
            if (user.has_usable_password() or user.last_login is None) and (
                _same_email(email, getattr(user, email_field))
            ):
                yield user


def _same_email(a: str, b: str) -> bool:
    """Django's own comparison (NFKC, case-folded), so 'ǰ' and 'J\u030c' are not one address."""
    return (
        unicodedata.normalize("NFKC", a).casefold() == unicodedata.normalize("NFKC", b).casefold()
    )
