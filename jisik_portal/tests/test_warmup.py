"""jisik_portal.warmup, what gunicorn's workers load before their first request: the task
queue's connection is open afterwards (a real Redis broker), and a broker that cannot be
reached is logged without stopping the worker."""

import logging

import pytest
import redis
from celery import Celery

from board import textsim
from jisik_portal.warmup import web_worker_warm


@pytest.fixture
def analyser_calls(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    monkeypatch.setattr(textsim, "warm", lambda: calls.append(1))
    return calls


def _app(broker: str) -> Celery:
    return Celery("warm-test", broker=broker, backend=broker, set_as_current=False)


def test_the_first_job_finds_the_queue_ready(
    analyser_calls: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    broker = "redis://127.0.0.1:6379/11"
    app = _app(broker)
    web_worker_warm(app)
    assert analyser_calls == [1]
    with app.producer_or_acquire() as producer:  # the pool's connection, already open
        assert producer.connection.connected

    def built_again() -> None:
        raise AssertionError("the result backend was built on the first job")

    monkeypatch.setattr(app, "_get_backend", built_again)
    try:
        app.send_task("warm.test", queue="warm-test", ignore_result=True)
        assert redis.Redis.from_url(broker).llen("warm-test") == 1
    finally:
        redis.Redis.from_url(broker).delete("warm-test")


def test_an_unreachable_broker_is_logged_and_the_worker_starts(
    analyser_calls: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    app = _app("redis://127.0.0.1:1/0")
    with caplog.at_level(logging.WARNING, logger="jisik_portal.warmup"):
        web_worker_warm(app)
    assert analyser_calls == [1]
    assert "task queue unreachable" in caplog.text


def test_without_a_broker_only_the_analyser(analyser_calls: list[int]) -> None:
    app = _app("memory://")
    app.conf.task_always_eager = True
    web_worker_warm(app)
    assert analyser_calls == [1]
    assert "backend" not in app.__dict__
