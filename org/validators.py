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


# Words a guesser tries first in a Korean office: the district and its neighbourhoods, the
# country and its cities, the portal and the office, and the usual words; in roman letters
# and in Hangul. Keyboard runs and the 2-set Hangul keyboard typed in English mode
# ("tkfkd" is 사랑) are guessed as well.
GUESSED_WORDS = frozenset(
    """
    seoul korea hanguk daehanminguk junggu jung gu sindang hoehyeon myeongdong euljiro sogong
    pildong jangchung gwanghui dasan yaksu cheonggu donghwa hwanghak jungnim busan incheon
    daegu daejeon gwangju ulsan sejong jeju gangnam jongno mapo
    jisik jisiknanum nanum portal office gucheong guchung changui admin administrator staff
    user guest test manager master root login password passwd pass pw secret welcome hello
    love sarang iloveyou happy lucky dragon monkey sunshine princess qwerty asdf zxcv
    tkfkd tkfkdgo dkssud dkssudgktpdy
    서울 중구 대한민국 한국 신당 회현 명동 을지로 지식 지식나눔 나눔 구청 사랑 비밀번호 관리자
    """.split()
)
_KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "abcdefghijklmnopqrstuvwxyz")
_DIGIT_ROW = "01234567890"
# Walks over the keyboard that cross the digit and letter rows (1q2w3e4r, 1qaz2wsx).
_KEYBOARD_WALKS = (
    "1q2w3e4r5t6y7u8i9o0p",
    "q1w2e3r4t5y6u7i8o9p0",
    "1qaz2wsx3edc4rfv5tgb",
    "qazwsxedcrfvtgb",
)


def _keyboard_run(piece: str) -> bool:
    if len(piece) < 3:
        return False
    return any(piece in row or piece in row[::-1] for row in _KEYBOARD_ROWS)


def _weak_digits(digits: str) -> bool:
    """A number a guesser tries: short, a year, a piece repeated (1111, 123123), or a run
    (1234, 4321)."""
    if len(digits) <= 2 or _repeated(digits):
        return True
    if digits in _DIGIT_ROW or digits in _DIGIT_ROW[::-1]:
        return True
    if len(digits) == 4 and 1950 <= int(digits) <= 2049:
        return True
    # Two years or a year and a run (19992000, 20161234)
    return len(digits) == 8 and _weak_digits(digits[:4]) and _weak_digits(digits[4:])


def _words_only(letters: str) -> bool:
    """Whether a run of letters is made of guessed words and keyboard runs only."""
    reachable = [True] + [False] * len(letters)
    for end in range(1, len(letters) + 1):
        reachable[end] = any(
            reachable[start]
            and (letters[start:end] in GUESSED_WORDS or _keyboard_run(letters[start:end]))
            for start in range(end)
        )
    return reachable[-1]


def _repeated(text: str) -> bool:
    """The same piece typed twice or more (staff1staff1, abcabc)."""
    return any(
        len(text) % size == 0 and text[:size] * (len(text) // size) == text
        for size in range(1, len(text) // 2 + 1)
    )


def guessable(password: str) -> bool:
    """True when the password, symbols aside, is nothing but guessed words, keyboard runs,
    years and easy numbers, or one piece repeated: ``korea123``, ``seoul2016``,
    ``staff1staff1``, ``qwer1234``, ``jisik2016!``. One letter of its own is enough to pass
    (``junggu-2016x``): the other validators ask for length and kinds."""
    text = "".join(ch for ch in password.lower() if ch.isalnum())
    if not text:
        return True
    if _repeated(text) or any(text in walk for walk in _KEYBOARD_WALKS):
        return True
    runs: list[str] = []
    for ch in text:
        if runs and runs[-1][-1].isdigit() == ch.isdigit():
            runs[-1] += ch
        else:
            runs.append(ch)
    return all(_weak_digits(run) if run[0].isdigit() else _words_only(run) for run in runs)


class KoreanCommonPasswordValidator:
    """Refuse passwords made of what a guesser tries first in a Korean office (see
    ``guessable``); Django's CommonPasswordValidator covers the world's common list."""

    def validate(self, password: str, user: object = None) -> None:
        if guessable(password):
            raise ValidationError(
                _(
                    "쉽게 짐작할 수 있는 비밀번호입니다. 지명·연도·키보드 배열(qwer, 1234)이나 "
                    "같은 글자의 반복만으로 만들지 마세요."
                ),
                code="password_guessable",
            )

    def get_help_text(self) -> str:
        return _("지명·연도·키보드 배열이나 반복만으로 된 비밀번호는 쓸 수 없습니다.")
