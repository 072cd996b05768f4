import os
from unittest import mock

import pytest
from django.test import Client
from kombu import pools as kombu_pools

from jisik_portal.celery import app

pytestmark = pytest.mark.django_db
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.mark.smoke
def test_it_answers_ok_with_the_broker_eager_when_there_is_none(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "broker": "eager",
    }
    assert "no-cache" in response["Cache-Control"]


def test_a_database_failure_is_a_503(client: Client) -> None:
    with mock.patch.dict(
        "jisik_portal.health.CHECKS",
        {"database": mock.Mock(side_effect=ConnectionError("down"))},
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "error: ConnectionError"
    assert response.json()["status"] == "error"


def test_a_cache_that_forgets_is_a_503(client: Client) -> None:
    with mock.patch("jisik_portal.health.cache.get", return_value=None):
        response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["cache"].startswith("error")


def _drop_pools(app: object) -> None:
    """Connections to the old broker URL go; the next user of the app opens new ones."""
    app.pool.force_close_all()  # type: ignore[attr-defined]
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]
    kombu_pools.reset()


@pytest.mark.celery
def test_it_reaches_a_real_redis_broker_and_reports_a_dead_one(client: Client) -> None:
    saved = {k: app.conf.get(k) for k in ("broker_url", "task_always_eager")}
    try:
        app.conf.update(broker_url=TEST_REDIS_URL, task_always_eager=False)
        _drop_pools(app)
        response = client.get("/healthz")
        assert response.status_code == 200 and response.json()["broker"] == "ok"
        app.conf.update(broker_url="redis://127.0.0.1:1/0")  # nothing listens on port 1
        _drop_pools(app)
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["broker"].startswith("error")
    finally:
        app.conf.update(saved)
        _drop_pools(app)
