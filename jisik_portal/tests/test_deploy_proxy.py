"""Behind the reverse proxy every limit is per client, not global (issue 12 #2).

nginx on the same machine: every request's REMOTE_ADDR is 127.0.0.1 and nginx appends the
client's address to X-Forwarded-For (deploy/nginx.conf); TRUSTED_PROXY_COUNT=1.
"""

import time

import pytest
from django.core import signing
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from org.tests.factories import TEST_PASSWORD, UserFactory
from proposals.forms import FORM_STARTED_SALT
from proposals.models import Proposal

pytestmark = pytest.mark.django_db
PROXY = "127.0.0.1"


@pytest.fixture(autouse=True)
def _fresh_limits() -> None:
    cache.clear()


def behind_proxy(address: str, *, spoofed: str = "") -> Client:
    forwarded = f"{spoofed}, {address}" if spoofed else address
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)


def _wrong(client: Client, username: str = "kim") -> int:
    return client.post(
        reverse("login"), {"username": username, "password": "wrong-one-1"}
    ).status_code


def _right(client: Client, username: str = "kim") -> int:
    return client.post(
        reverse("login"), {"username": username, "password": TEST_PASSWORD}
    ).status_code


def test_an_attacker_behind_the_proxy_does_not_lock_out_a_colleague(settings: object) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="kim")
    attacker, colleague = behind_proxy("10.0.0.66"), behind_proxy("10.0.0.7")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        _wrong(attacker)
    assert _right(attacker) == 429
    assert _right(colleague) == 302


def test_an_attacker_cannot_escape_the_lockout_by_forging_the_header(settings: object) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="kim")
    for i in range(settings.AXES_FAILURE_LIMIT):
        _wrong(behind_proxy("10.0.0.66", spoofed=f"192.0.2.{i}"))
    assert _right(behind_proxy("10.0.0.66", spoofed="192.0.2.200")) == 429


def test_without_trusted_proxies_a_forged_header_is_ignored(settings: object) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    UserFactory(username="kim")
    for i in range(settings.AXES_FAILURE_LIMIT):
        _wrong(Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}"))
    assert _right(Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="192.0.2.99")) == 429


def _proposal(title: str) -> dict:
    return {
        "proposer_name": "김민수",
        "phone": "010-1234-5678",
        "email": "",
        "dong": "신당동",
        "title": title,
        "content": f"{title}: 신당동 골목길이 어둡습니다.",
        "expected_effect": "",
        "consent": "on",
        "consent_version": "2016-1",
        "website": "",
        "started": signing.dumps(time.time() - 30, salt=FORM_STARTED_SALT),
    }


def test_two_households_behind_the_proxy_have_their_own_form_limits(settings: object) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    settings.PROPOSAL_RATE_LIMIT = 2
    first, second = behind_proxy("10.1.0.1"), behind_proxy("10.1.0.2")
    for i in range(3):
        first.post("/propose/", _proposal(f"첫째 집 제안 {i}"))
    assert Proposal.objects.count() == 2
    second.post("/propose/", _proposal("둘째 집 제안"))
    assert Proposal.objects.count() == 3


def test_without_trusted_proxies_the_form_limit_ignores_a_forged_header(settings: object) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    settings.PROPOSAL_RATE_LIMIT = 2
    for i in range(3):
        Client(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=f"192.0.2.{i}").post(
            "/propose/", _proposal(f"제안 {i}")
        )
    assert Proposal.objects.count() == 2
