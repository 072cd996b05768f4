"""Guessable passwords are refused (issue 12 #10): the audit's korea123, seoul2016 and
staff1staff1 passed the office's rules."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from org.demo import DEMO_PASSWORD
from org.validators import KoreanCommonPasswordValidator, guessable

pytestmark = pytest.mark.smoke

AUDIT = ["korea123", "seoul2016", "staff1staff1", "qwer1234"]
GUESSABLE = [
    *AUDIT,
    "jisik2016!",
    "Seoul2016!",
    "서울2016!!",
    "tkfkd1234",
    "admin1234",
    "password1!",
    "1q2w3e4r!",
    "q1w2e3r4",
    "sindang-hoehyeon-88",
    "junggu19992000",
    "abcabc123123",
]
FINE = ["junggu-2016x", "Gh7#kq2!xw", "hanbit2016!", "가로등-LED-교체", "cheong-ri-42z"]


@pytest.mark.parametrize("password", GUESSABLE)
def test_a_guessable_password_is_found(password: str) -> None:
    assert guessable(password)


@pytest.mark.parametrize("password", FINE)
def test_a_password_with_something_of_its_own_passes(password: str) -> None:
    assert not guessable(password)


@pytest.mark.django_db
@pytest.mark.parametrize("password", AUDIT)
def test_the_configured_rules_refuse_what_the_audit_got_through(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.django_db
def test_the_refusal_says_why_in_korean() -> None:
    with pytest.raises(ValidationError) as caught:
        KoreanCommonPasswordValidator().validate("seoul2016")
    assert caught.value.error_list[0].code == "password_guessable"
    assert "지명·연도·키보드 배열" in caught.value.messages[0]


@pytest.mark.django_db
def test_django_s_common_list_is_on_too() -> None:
    with pytest.raises(ValidationError) as caught:
        validate_password("trustno1")
    assert [e.code for e in caught.value.error_list] == ["password_too_common"]


def test_the_demo_password_would_not_be_accepted_for_a_real_account() -> None:
    """Demo accounts are made directly (no form), so `make run`'s logins keep working; a real
    account could not choose the demo password."""
    assert guessable(DEMO_PASSWORD)
