import pytest
from django.conf import LazySettings


@pytest.fixture(autouse=True)
def dashboard_uncached(settings: LazySettings) -> None:
    """Each test sees the data it made; the cache has its own test."""
    settings.PROGRAMME_DASHBOARD_CACHE_SECONDS = 0


@pytest.fixture(autouse=True)
def programme_seeded(request: pytest.FixtureRequest) -> None:
    """The plans and figures the migrations seed, back again if a transactional test of
    another app flushed them earlier in the session."""
    if "django_db" not in request.keywords and "transactional_db" not in request.fixturenames:
        return
    request.getfixturevalue("db")
    from datetime import date

    from programme.services import programme_seed_ensure

    programme_seed_ensure(today=date(2026, 6, 1))
