"""One address guessing over many usernames is locked (issue 12 #10): 240 guesses from one
address over many usernames locked nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from org.tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashes(settings: object) -> None:
    # The guesses are what is tested, not the hasher: 240 logins with PBKDF2 take minutes.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(client: Client, username: str, password: str) -> int:
    return client.post(reverse("login"), {"username": username, "password": password}).status_code


def test_240_guesses_over_many_usernames_lock_the_address(settings: object) -> None:
    for i in range(240):
        UserFactory(username=f"staff{i}")
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    answers = [_login(attacker, f"staff{i}", "korea123") for i in range(240)]
    # The guess that reaches the limit is answered with the lockout page, and so is every
    # guess after it: only the limit's worth of guesses were ever checked.
    locked_at = answers.index(429)
    assert locked_at == settings.AXES_ADDRESS_FAILURE_LIMIT - 1
    assert set(answers[locked_at:]) == {429}
    # Locked as an address: even a right password from there is refused...
    assert _login(attacker, "staff7", TEST_PASSWORD) == 429
    # ...and only there: a colleague elsewhere logs in.
    assert _login(Client(REMOTE_ADDR="10.0.0.7"), "staff7", TEST_PASSWORD) == 302


def test_logging_in_to_an_own_account_does_not_clear_the_address_count(settings: object) -> None:
    UserFactory(username="mine")
    for i in range(30):
        UserFactory(username=f"victim{i}")
    attacker = Client(REMOTE_ADDR="203.0.113.66")
    answers = []
    for i in range(30):
        answers.append(_login(attacker, f"victim{i}", "korea123"))
        if i % 4 == 3:
            _login(attacker, "mine", TEST_PASSWORD)
            attacker.logout()
    assert answers.count(200) == settings.AXES_ADDRESS_FAILURE_LIMIT - 1
    assert answers[-1] == 429


def test_a_person_who_mistypes_is_still_locked_per_account_after_five(settings: object) -> None:
    UserFactory(username="lee")
    client = Client(REMOTE_ADDR="10.0.0.8")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "lee", "nope-nope-1") == 200
    assert _login(client, "lee", "nope-nope-1") == 429
    response = client.post(reverse("login"), {"username": "lee", "password": TEST_PASSWORD})
    assert response.status_code == 429
    body = response.content.decode()
    assert "30분 동안 제한" in body
    assert f"비밀번호를 {settings.AXES_FAILURE_LIMIT}회 잘못 입력" in body


def test_a_few_mistakes_then_a_success_start_over(settings: object) -> None:
    UserFactory(username="park")
    client = Client(REMOTE_ADDR="10.0.0.9")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _login(client, "park", "nope-nope-1")
    assert _login(client, "park", TEST_PASSWORD) == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _login(client, "park", "nope-nope-1") == 200
