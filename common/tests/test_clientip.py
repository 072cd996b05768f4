"""The client address behind a configured number of trusted proxies (issue 12 #2)."""

import pytest
from django.test import RequestFactory

from common.clientip import client_ip

pytestmark = pytest.mark.smoke


def _request(remote: str = "127.0.0.1", forwarded: str | None = None) -> object:
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_a_spoofed_header_is_ignored(settings: object) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request("203.0.113.7", "10.1.1.1")) == "203.0.113.7"


def test_behind_one_proxy_the_address_it_saw_is_the_client(settings: object) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("127.0.0.1", "10.20.30.40")) == "10.20.30.40"


def test_what_the_client_wrote_in_front_is_ignored(settings: object) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("127.0.0.1", "1.2.3.4, 5.6.7.8, 10.20.30.40")) == "10.20.30.40"


def test_behind_two_proxies_the_second_from_the_right_is_the_client(settings: object) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    forwarded = "6.6.6.6, 198.51.100.9, 10.0.0.2"
    assert client_ip(_request("10.0.0.3", forwarded)) == "198.51.100.9"


def test_a_request_that_skipped_a_proxy_is_keyed_on_its_own_address(settings: object) -> None:
    settings.TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("10.9.9.9", "6.6.6.6")) == "10.9.9.9"
    assert client_ip(_request("10.9.9.9")) == "10.9.9.9"


def test_garbage_in_the_header_falls_back_to_the_proxy_address(settings: object) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(_request("127.0.0.1", "<script>")) == "127.0.0.1"
    assert client_ip(_request("127.0.0.1", " 2001:db8::1 ")) == "2001:db8::1"
