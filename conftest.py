"""Shared test fixtures: headless Chromium through Playwright, axe-core, a real Celery worker.

Browser tests use Django's live server and Debian's Chromium (never a downloaded browser).
"""

import os
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from kombu import pools as kombu_pools

# Playwright's sync API runs an event loop in this thread; the ORM calls made by tests and by
# the live server are still synchronous, so Django's async guard must be lifted for tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
AXE_JS = Path(settings.BASE_DIR) / "static" / "vendor" / "axe-core" / "axe.min.js"
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PostgreSQL-only tests are skipped on SQLite (the smoke pass or a machine without it)."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL")
    for item in items:
        if "postgres" in item.keywords or "celery" in item.keywords:
            item.add_marker(skip)


# --- Browser ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make system-deps` (Debian chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: object, live_server: object) -> Iterator[object]:
    """A fresh Korean-locale page whose relative URLs go to the live server."""
    context = browser.new_context(  # type: ignore[attr-defined]
        base_url=live_server.url,  # type: ignore[attr-defined]
        locale="ko-KR",
        timezone_id="Asia/Seoul",
        accept_downloads=True,
    )
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page: object) -> Callable[[str, str], None]:
    """Log in through the real login form, as a person would."""

    def _login(username: str, password: str) -> None:
        page.goto("/accounts/login/")  # type: ignore[attr-defined]
        page.get_by_label("아이디").fill(username)  # type: ignore[attr-defined]
        page.get_by_label("비밀번호", exact=True).fill(password)  # type: ignore[attr-defined]
        page.get_by_role("button", name="로그인").click()  # type: ignore[attr-defined]
        page.wait_for_load_state()  # type: ignore[attr-defined]

    return _login


def axe_violations(page: object, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Run the vendored axe-core on the page; return the violations of the given impacts."""
    page.add_script_tag(path=str(AXE_JS))  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]


@pytest.fixture
def axe() -> Callable[..., list[dict]]:
    return axe_violations


# --- Celery ----------------------------------------------------------------------------------


def _database_url_for_worker() -> str:
    db = connection.settings_dict
    auth = db["USER"] or ""
    if db.get("PASSWORD"):
        auth += f":{db['PASSWORD']}"
    host = db["HOST"] or "127.0.0.1"
    port = db["PORT"] or 5432
    return f"postgres://{auth}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def celery_worker_process(transactional_db: None) -> Iterator[Callable[..., object]]:
    """Start a real Celery worker (optionally with beat) on the Redis broker.

    The worker is a separate process on the test database, so the test must commit its data
    (transactional_db). Each run gets its own queue, so parallel runs on one Redis don't mix.
    Returns a starter: ``start(beat=False, env=None)`` -> the Celery app, set to publish there.
    """
    from jisik_portal.celery import app

    queue = f"test-{uuid.uuid4().hex[:10]}"
    procs: list[subprocess.Popen] = []
    saved = {
        k: app.conf.get(k)
        for k in ("broker_url", "result_backend", "task_always_eager", "task_default_queue")
    }

    def start(beat: bool = False, env: dict[str, str] | None = None) -> object:
        worker_env = {
            **os.environ,
            "DATABASE_URL": _database_url_for_worker(),
            "CELERY_BROKER_URL": TEST_REDIS_URL,
            "CELERY_RESULT_BACKEND": TEST_REDIS_URL,
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            **(env or {}),
        }
        cmd = [
            sys.executable, "-m", "celery", "-A", "jisik_portal", "worker",
            "--pool=solo", "--loglevel=info", "--without-mingle", "--without-gossip",
            "-Q", queue, "-n", f"{queue}@%h",
        ]  # fmt: skip
        if beat:
            cmd += ["--beat", "--schedule", f"/tmp/{queue}-beat"]  # noqa: S108
        procs.append(
            subprocess.Popen(
                cmd,
                env=worker_env,
                cwd=settings.BASE_DIR,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )  # fmt: skip
        )
        app.conf.update(
            broker_url=TEST_REDIS_URL,
            result_backend=TEST_REDIS_URL,
            task_always_eager=False,
            task_default_queue=queue,
        )
        _drop_celery_pools(app)  # an earlier eager task may have pooled memory:// connections
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if procs[-1].poll() is not None:
                out = procs[-1].stdout.read() if procs[-1].stdout else ""
                pytest.fail(f"Celery worker exited early:\n{out[-3000:]}")
            replies = app.control.ping(destination=[f"{queue}@{os.uname().nodename}"], timeout=1)
            if replies:
                return app
        pytest.fail("Celery worker did not answer a ping within 60 s")

    yield start

    for proc in procs:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
    app.conf.update(saved)
    _drop_celery_pools(app)


def _drop_celery_pools(app: object) -> None:
    """Close the app's pooled broker connections and forget them (kombu's registry too), so
    the next use connects to the broker and backend now configured. A closed pool is never
    reopened."""
    app.pool.force_close_all()  # type: ignore[attr-defined]
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]
    kombu_pools.reset()
    # The result backend is cached per thread too (an eager task caches the in-memory one).
    vars(app._local).pop("backend", None)  # type: ignore[attr-defined]
