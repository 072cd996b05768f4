"""The fixed cost of a logged-in page (issue 14): what every request pays before the view.

Requests go through Django's real WSGI handler (``WSGIHandler``: request_started/finished
signals, the whole middleware stack, the URL resolver), not the test client, with the
production-like settings: DEBUG off, PostgreSQL (the bench database), the Redis cache
(``CACHE_URL``, else ``BENCH_REDIS_URL``: db 13 on the local server; the bench re-runs
itself in a child process with it, so the settings derive the rest as in production), persistent connections as
configured. Each row is the median and p95 wall time of one request and its query count
(BEGIN/COMMIT included, as psycopg sends them under ATOMIC_REQUESTS):

- ``bare``: a view returning an empty HttpResponse, logged in (middleware + session + user);
- ``empty page``: a view rendering base.html with no content, logged in (+ context processors
  and the layout) — the fixed cost every logged-in page pays;
- the same anonymous, and a few real pages (notifications list, home).

``BENCH_PROFILE=1`` prints the cProfile of 200 empty pages (cumulative, top 40).
"""

import cProfile
import io
import os
import pstats
import subprocess
import sys
from collections.abc import Callable
from http.cookies import SimpleCookie

from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.test.utils import CaptureQueriesContext
from django.urls import include, path

from bench.common import measure, report

BENCH_REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
USERNAME = "bench_request_staff"


def _bare(request: HttpRequest) -> HttpResponse:
    request.user.is_authenticated  # noqa: B018 - load the user as every page does
    return HttpResponse(b"")


def _empty_page(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html", {})


# The portal's own URLs (the layout reverses them) plus the two bench views.
urlpatterns = [
    path("__bench/bare/", _bare),
    path("__bench/empty/", _empty_page),
    path("", include("jisik_portal.urls")),
]


class WsgiClient:
    """Calls a WSGIHandler with a hand-made environ, as gunicorn would, keeping cookies."""

    def __init__(self, handler: Callable) -> None:
        self.handler = handler
        self.cookies: dict[str, str] = {}

    def get(self, url: str) -> tuple[int, bytes]:
        path_info, _, query = url.partition("?")
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path_info,
            "QUERY_STRING": query,
            "SCRIPT_NAME": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_ACCEPT_LANGUAGE": "ko-KR,ko;q=0.9",
            "HTTP_COOKIE": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.url_scheme": "http",
            "wsgi.version": (1, 0),
            "wsgi.multithread": True,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
        }
        status: list[str] = []

        def start_response(line: str, headers: list[tuple[str, str]], exc_info=None) -> None:  # type: ignore[no-untyped-def]
            status.append(line)
            for name, value in headers:
                if name.lower() == "set-cookie":
                    for key, morsel in SimpleCookie(value).items():
                        self.cookies[key] = morsel.value

        result = self.handler(environ, start_response)
        try:
            body = b"".join(result)
        finally:
            if hasattr(result, "close"):
                result.close()
        return int(status[0].split()[0]), body


def run() -> None:
    """Re-run in a child process whose settings see a Redis CACHE_URL, as production's do
    (settings.py derives the session engine from it), unless this one already does."""
    if not os.environ.get("CACHE_URL", "").startswith(("redis", "rediscache")):
        env = {**os.environ, "CACHE_URL": BENCH_REDIS_URL.replace("redis://", "rediscache://")}
        child = (
            "from bench.common import save_results, setup_django; setup_django(); "
            "from bench import request; request.run(); save_results()"
        )
        subprocess.run([sys.executable, "-c", child], env=env, check=True)  # noqa: S603
        return

    from django.conf import settings
    from django.test import override_settings

    plain = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # DEBUG off as in production; plain static storage (the bench has no collectstatic
    # manifest); the portal's URLs plus the two bench views.
    with override_settings(
        DEBUG=False, STORAGES=plain, ROOT_URLCONF="bench.request", ALLOWED_HOSTS=["127.0.0.1"]
    ):
        _run()


def _login(client: WsgiClient) -> None:
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client

    from org.roles import Role
    from org.services import staff_create

    user = User.objects.filter(username=USERNAME).first() or staff_create(
        username=USERNAME, password=None, last_name="벤", first_name="치", roles=(Role.STAFF,)
    )
    helper = Client()
    helper.force_login(user)
    client.cookies[settings.SESSION_COOKIE_NAME] = helper.cookies[
        settings.SESSION_COOKIE_NAME
    ].value


def _queries(client: WsgiClient, url: str) -> int:
    client.get(url)  # the first request fills the caches (session, roles)
    with CaptureQueriesContext(connection) as ctx:
        status, _ = client.get(url)
    assert status == 200, (url, status)
    return len(ctx.captured_queries)


def _run() -> None:
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler

    from programme.services import programme_seed_ensure

    programme_seed_ensure()
    handler = WSGIHandler()  # after override_settings: the middleware reads the settings now
    db = settings.DATABASES["default"]
    print(
        f"   session engine {settings.SESSION_ENGINE}, cache {settings.CACHES['default']['BACKEND']}, "
        f"CONN_MAX_AGE {db.get('CONN_MAX_AGE')}, health checks {db.get('CONN_HEALTH_CHECKS')}",
        flush=True,
    )
    anonymous = WsgiClient(handler)
    staff = WsgiClient(handler)
    _login(staff)
    rows = [
        ("bare (empty response), logged in", staff, "/__bench/bare/"),
        ("empty page (base.html), logged in", staff, "/__bench/empty/"),
        ("empty page (base.html), anonymous", anonymous, "/__bench/empty/"),
        ("GET /notifications/ (none), logged in", staff, "/notifications/"),
        ("GET / (home), logged in", staff, "/"),
    ]
    for name, client, url in rows:
        queries = _queries(client, url)
        report(
            f"{name} [{queries} q]",
            measure(lambda c=client, u=url: c.get(u), repeat=200, warmup=20),
        )
    if os.environ.get("BENCH_PROFILE"):
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(200):
            staff.get("/__bench/empty/")
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(40)
        print(out.getvalue())
