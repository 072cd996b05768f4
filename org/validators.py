"""Password rule of the office: at least 8 characters of at least 2 kinds."""

import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def character_kinds(password: str) -> int:
    """Count the kinds used: lower-case, upper-case, digits, symbols (anything else)."""
    kinds = [
        any(c in string.ascii_lowercase for c in password),
        any(c in string.ascii_uppercase for c in password),
        any(c.isdigit() for c in password),
        any(not (c.isascii() and c.isalnum()) for c in password),
    ]
    return sum(kinds)


class CharacterKindsValidator:
    def __init__(self, min_kinds: int = 2) -> None:
        self.min_kinds = min_kinds

    def validate(self, password: str, user: object = None) -> None:
        if character_kinds(password) < self.min_kinds:
            raise ValidationError(
                _(
                    "비밀번호는 영문 대문자, 영문 소문자, 숫자, 특수문자 중 %(n)d종류 이상을 섞어야 합니다."
                )
                % {"n": self.min_kinds},
                code="password_too_few_kinds",
            )

    def get_help_text(self) -> str:
        return _("영문 대·소문자, 숫자, 특수문자 중 %(n)d종류 이상을 섞어 주세요.") % {
            "n": self.min_kinds
        }
