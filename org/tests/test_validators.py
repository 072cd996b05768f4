import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from org.validators import CharacterKindsValidator, character_kinds

pytestmark = pytest.mark.smoke


@pytest.mark.parametrize(
    ("password", "kinds"),
    [
        ("abcdefgh", 1),
        ("abcd1234", 2),
        ("ABCDabcd", 2),
        ("abc!@#de", 2),
        ("Ab1!", 4),
        ("비밀번호1", 2),
    ],
)
def test_it_counts_character_kinds(password: str, kinds: int) -> None:
    assert character_kinds(password) == kinds


def test_it_rejects_a_single_kind_with_a_korean_message() -> None:
    with pytest.raises(ValidationError) as exc:
        CharacterKindsValidator(min_kinds=2).validate("abcdefghij")
    assert "2종류 이상" in exc.value.messages[0]


@pytest.mark.django_db
def test_the_configured_validators_need_8_characters_of_2_kinds() -> None:
    with pytest.raises(ValidationError):
        validate_password("ab12")  # too short
    with pytest.raises(ValidationError):
        validate_password("qwertyuiopzx")  # one kind
    validate_password("junggu-2016x")  # 8+ characters, 3 kinds: accepted
