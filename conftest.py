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
from celery import current_app
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings
from kombu import pools as kombu_pools

# Playwright's sync API runs an event loop in this thread; the ORM calls made by tests and by
# the live server are still synchronous, so Django's async guard must be lifted for tests.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
# Loaded by URL from the portal's own static files, so the page's Content-Security-Policy
# (script-src 'self', enforced in tests too) allows it; an inline copy would be refused.
AXE_URL = "/static/vendor/axe-core/axe.min.js"
TEST_REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """PostgreSQL-only tests are skipped on SQLite (the smoke pass or a machine without it)."""
    if connection.vendor == "postgresql":
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL")
    for item in items:
        if "postgres" in item.keywords or "celery" in item.keywords:
            item.add_marker(skip)


@pytest.fixture
def with_broker() -> Iterator[None]:
    """Tasks go to a broker (production settings) instead of running eagerly."""
    saved = current_app.conf.task_always_eager
    current_app.conf.task_always_eager = False
    try:
        yield
    finally:
        current_app.conf.task_always_eager = saved


@pytest.fixture
def redis_cache() -> Iterator[str]:
    """The default cache on the test Redis (as in production), under a key prefix of this
    test's own (yielded: a worker started with ``CACHE_URL=…?key_prefix=`` shares it); its
    keys are deleted afterwards."""
    import redis

    prefix = f"test-cache-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    caches = {
        **settings.CACHES,
        "default": {
            "BACKEND": "common.cache.PortalRedisCache",
            "LOCATION": TEST_REDIS_URL,
            "KEY_PREFIX": prefix,
        },
    }
    with override_settings(CACHES=caches):
        yield prefix
    client = redis.Redis.from_url(TEST_REDIS_URL)
    for key in client.scan_iter(f"{prefix}:*"):
        client.delete(key)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Every test starts with an empty cache: the board's cached page parts (board.pagecache)
    are keyed by versions that a rolled-back test's writes moved, not by the rows now there."""
    cache.clear()


# --- Browser ---------------------------------------------------------------------------------


# Every page records what its Content-Security-Policy refused; axe_violations reports it.
WATCH_CSP = """
document.addEventListener("securitypolicyviolation", function (e) {
    (window.__csp = window.__csp || []).push(e.violatedDirective + " " + (e.blockedURI || "inline"));
});
"""


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
    context.add_init_script(WATCH_CSP)
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
    """Run the vendored axe-core on the page; return the violations of the given impacts.

    axe comes from the live server's /static/ (a <script src>), so it runs under the enforced
    Content-Security-Policy like the portal's own scripts."""
    # What the page's policy refused is read before axe runs: axe's own CSS preload re-parses
    # a stylesheet's @import (KRDS output.css) through an inline <style>, which the policy
    # refuses; that is the harness's doing, not the page's, and is dropped after the run.
    refused = page.evaluate("() => (window.__csp || []).slice()")  # type: ignore[attr-defined]
    if not page.evaluate("() => typeof axe !== 'undefined'"):  # type: ignore[attr-defined]
        page.add_script_tag(url=AXE_URL)  # type: ignore[attr-defined]
    result = page.evaluate(  # type: ignore[attr-defined]
        "async () => await axe.run(document, {resultTypes: ['violations']})"
    )
    page.evaluate("n => { if (window.__csp) window.__csp.length = n; }", len(refused))  # type: ignore[attr-defined]
    found = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in impacts
    ]
    # What the enforced Content-Security-Policy refused on this page is a failure too.
    if refused:
        found.append({"id": "content-security-policy", "impact": "serious", "nodes": refused[:5]})
    return found


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


# --- Directory (OpenLDAP) --------------------------------------------------------------------

import socket  # noqa: E402 - kept with the fixture that uses it

SLAPD = os.environ.get("SLAPD_PATH", "/usr/sbin/slapd")
SLAPADD = os.environ.get("SLAPADD_PATH", "/usr/sbin/slapadd")
SLAPD_SUFFIX = "dc=junggu,dc=example"
SLAPD_ROOT_DN = f"cn=admin,{SLAPD_SUFFIX}"
SLAPD_ROOT_PASSWORD = "slapd-test-root"  # noqa: S105 - a throwaway test directory
SLAPD_SCHEMAS = ("core", "cosine", "inetorgperson", "nis")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def slapd(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A real OpenLDAP server (Debian's slapd) on a free local port, for this test session.

    A temporary slapd.conf (mdb backend, the password-policy overlay so an account can be
    locked in the directory), an empty tree (ou=people, ou=groups) loaded with slapadd.
    Tests add their own entries as the root DN. Skipped only where slapd is not installed
    (CI installs it: scripts/ensure-system.sh)."""
    if not (Path(SLAPD).exists() and Path(SLAPADD).exists()):
        pytest.skip("slapd is not installed (apt-get install slapd ldap-utils)")
    root = tmp_path_factory.mktemp("slapd")
    (root / "db").mkdir()
    schemas = "\n".join(f"include /etc/ldap/schema/{s}.schema" for s in SLAPD_SCHEMAS)
    (root / "slapd.conf").write_text(
        f"""{schemas}
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
pidfile {root}/slapd.pid
database mdb
maxsize 10485760
suffix "{SLAPD_SUFFIX}"
rootdn "{SLAPD_ROOT_DN}"
rootpw {SLAPD_ROOT_PASSWORD}
directory {root}/db
overlay ppolicy
ppolicy_default "cn=default,ou=policies,{SLAPD_SUFFIX}"
ppolicy_use_lockout
"""
    )
    (root / "base.ldif").write_text(
        f"""dn: {SLAPD_SUFFIX}
objectClass: dcObject
objectClass: organization
o: Jung-gu
dc: junggu

dn: ou=policies,{SLAPD_SUFFIX}
objectClass: organizationalUnit
ou: policies

dn: cn=default,ou=policies,{SLAPD_SUFFIX}
objectClass: pwdPolicy
objectClass: device
cn: default
pwdAttribute: userPassword
pwdLockout: TRUE

dn: ou=people,{SLAPD_SUFFIX}
objectClass: organizationalUnit
ou: people

dn: ou=groups,{SLAPD_SUFFIX}
objectClass: organizationalUnit
ou: groups
"""
    )
    conf = str(root / "slapd.conf")
    subprocess.run(
        [SLAPADD, "-f", conf, "-l", str(root / "base.ldif")], check=True, capture_output=True
    )
    port = _free_port()
    uri = f"ldap://127.0.0.1:{port}"
    log = (root / "slapd.log").open("w")
    proc = subprocess.Popen(
        [SLAPD, "-f", conf, "-h", f"{uri}/", "-d", "0"], stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 20
    while True:
        if proc.poll() is not None:
            pytest.fail(f"slapd exited early:\n{(root / 'slapd.log').read_text()[-3000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            if time.monotonic() > deadline:
                proc.kill()
                pytest.fail("slapd did not listen within 20 s")
            time.sleep(0.1)
    yield {
        "uri": uri,
        "suffix": SLAPD_SUFFIX,
        "root_dn": SLAPD_ROOT_DN,
        "root_password": SLAPD_ROOT_PASSWORD,
    }
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
    log.close()
