"""The summary's line of round trips (``bench.common._round_trips``): real figures from the
database and Redis the bench uses, so two machines' tables can be compared."""

import re

import pytest

from bench import common

pytestmark = pytest.mark.django_db


def test_the_line_gives_the_round_trips_the_buffers_and_the_file_cache() -> None:
    line = common._round_trips()
    found = re.fullmatch(
        r"SELECT 1 (\d+) µs, Redis GET (\d+) µs \(medians of 2,000\); "
        r"shared_buffers (\S+), file cache (\d+\.\d GiB|unknown)",
        line,
    )
    assert found, line
    assert int(found[1]) > 0 and int(found[2]) > 0


def test_an_unreachable_redis_is_said_not_hidden(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(common, "BENCH_CACHE_URL", "redis://127.0.0.1:1/0")  # nothing listens
    assert "Redis not reached" in common._round_trips()
