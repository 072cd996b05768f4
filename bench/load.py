"""Load test: the pages of the city-scale table through a real gunicorn, measured with wrk.

Starts gunicorn with 2 sync workers (DEBUG off, PostgreSQL, Redis cache) on the bench
database, logs in as a portal admin by a real session cookie, warms each page up, then runs
``wrk -t2 -c4 -d20s`` per page and prints req/s and p50/p95/p99 latency. It needs the bench
data of the other modules; it builds what is missing first (``bench.board``, ``bench.proposals``,
``bench.clubs`` keep their data between runs). ``LOAD_SECONDS`` shortens a run.

wrk comes from Debian (``apt-get install wrk``); ``make bench`` installs it when root.
"""

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import BENCH_DATABASE_URL

ROOT = Path(__file__).resolve().parent.parent
SECONDS = int(os.environ.get("LOAD_SECONDS", "20"))
LUA = """
done = function(summary, latency, requests)
  io.write(string.format("RESULT %.2f %.2f %.2f %.2f %d %d\\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    summary.requests))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _session_cookie(username: str) -> str:
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )

    user = get_user_model().objects.get(username=username)
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _paths() -> list[tuple[str, str]]:
    """(label, path) of each page in the issue's table, on the bench data."""
    from django.urls import reverse

    from board.models import Post
    from clubs.models import Club

    post = Post.objects.filter(title__startswith="bbd_").order_by("-id").values("pk").first()
    club = Club.objects.filter(name__startswith="bench_club").order_by("-id").values("pk").first()
    area = reverse("board:area_list", args=["worksharing"])
    paths = [
        ("board list page", area),
        ("search for a common word (주차장)", area + "?q=%EC%A3%BC%EC%B0%A8%EC%9E%A5"),
        ("proposals list for admins", reverse("proposals:index")),
        ("proposals statistics", reverse("proposals:statistics")),
        ("admin dashboard", reverse("programme:dashboard")),
    ]
    if post:
        paths.insert(1, ("post page", reverse("board:post_detail", args=[post["pk"]])))
    if club:
        paths.append(("club page for admins", reverse("clubs:club_detail", args=[club["pk"]])))
    return paths


def _ensure_data() -> str:
    """Build the other modules' data if it is missing; return the admin to log in as."""
    from django.contrib.auth import get_user_model

    from bench import board, clubs, proposals
    from org.roles import Role
    from org.services import staff_create

    if not board._bench_posts():
        user_ids, dept_ids = board._users()
        board._generate(user_ids, dept_ids)
        board._rebuild_keys()
    proposals._setup()
    clubs._setup()
    if not get_user_model().objects.filter(username="bench_load_admin").exists():
        staff_create(
            username="bench_load_admin", password=None, last_name="부하",
            first_name="관리", roles=(Role.PORTAL_ADMIN, Role.STAFF),
        )  # fmt: skip
    return "bench_load_admin"


def _start_gunicorn(port: int) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "DATABASE_URL": BENCH_DATABASE_URL,
        "CACHE_URL": os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14"),
        "DEBUG": "0",
        "SECRET_KEY": "bench-only-" + "x" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_MANIFEST": "0",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("PYTEST_VERSION", None)
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"), "jisik_portal.wsgi", "--workers", "2",
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "--timeout", "60",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)  # noqa: S603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


def _get(url: str, cookie: str) -> tuple[int, int]:
    req = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:  # noqa: S310
            return resp.status, len(resp.read())
    except urllib.error.HTTPError as exc:
        return exc.code, 0


def run() -> None:
    wrk = shutil.which("wrk")
    if not wrk:
        print("  wrk is not installed (Debian package wrk): load test skipped", flush=True)
        return
    admin = _ensure_data()
    cookie = _session_cookie(admin)
    port = _free_port()
    proc = _start_gunicorn(port)
    try:
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
            lua.write(LUA)
        print(
            f"  wrk -t2 -c4 -d{SECONDS}s, gunicorn 2 sync workers, logged in as an admin",
            flush=True,
        )
        for label, path in _paths():
            url = f"http://127.0.0.1:{port}{path}"
            status, size = _get(url, cookie)  # warm-up, and the page's size
            for _ in range(3):
                _get(url, cookie)
            out = subprocess.run(  # noqa: S603
                [wrk, "-t2", "-c4", f"-d{SECONDS}s", "-s", lua.name, "-H", f"Cookie: {cookie}", url],
                capture_output=True, text=True, check=False,
            )  # fmt: skip
            line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT")), None)
            if line is None:
                print(f"  {label:<40} wrk failed: {out.stderr.strip()[:200]}", flush=True)
                continue
            rps, p50, p95, p99, errors, total = line.split()[1:]
            print(
                f"  {label:<40} {float(rps):7.1f} req/s  p50 {float(p50):7.1f} ms  "
                f"p95 {float(p95):7.1f} ms  p99 {float(p99):7.1f} ms  "
                f"HTTP {status}, {size / 1024:.0f} kB, {errors} errors / {total}",
                flush=True,
            )
        os.unlink(lua.name)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


if __name__ == "__main__":
    from bench.common import setup_django

    setup_django()
    run()
    sys.exit(0)
