from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
