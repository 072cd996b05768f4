"""Load test: the pages of issue 14's city-scale table through a real gunicorn, measured with wrk.

Starts gunicorn with 2 sync workers (DEBUG off, PostgreSQL, Redis cache) and, as production
runs, one Celery worker on a Redis broker (``BENCH_BROKER_URL``, db 12 of the local server;
``LOAD_BROKER=0``: no broker, jobs run in the request as under ``make run``) on the bench
database, all on the same cores as wrk; logs in as a portal admin by a real session cookie, warms each page up, then runs
``wrk -t2 -c4 -d20s`` per page and prints req/s, p50/p95/p99 latency and the page's bytes.
The post page cycles through 200 posts the reader never opened (a Lua ``request``), then
through the same posts again once their views are recorded (return visits), the dashboard row asks for a
fresh computation on every request (``?fresh=1``: uncached). Then one timed download of the
residents' CSV export (time to first byte, to the last, streamed or not) and a check that the
two Excel exports are background jobs (the view answers a redirect to the download's page).

It runs on the other modules' data: it builds what is missing through their own builders, so
``python -m bench load`` on an existing bench database measures at once. ``LOAD_SECONDS``
shortens each wrk run; ``LOAD_PAGES`` (words, comma-separated) measures only the pages whose
label holds one of them, and skips the exports (``LOAD_PAGES=post,dashboard``). wrk comes from Debian (``apt-get install wrk``; ``make bench``
installs it when root).

With the broker, a page's jobs (the post page's first views, board.tasks) run on the worker
while wrk measures, and before the next page starts the queue is drained, so one page's jobs
never land in the next page's figures; how many ran and how long the drain took is printed.
"""

import http.client
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from importlib import import_module
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.models import User
from django.urls import reverse
from django.utils import timezone

from bench.common import BENCH_CACHE_URL, BENCH_DATABASE_URL, ROOT, record

SECONDS = int(os.environ.get("LOAD_SECONDS", "20"))
BROKER = os.environ.get("BENCH_BROKER_URL", "redis://127.0.0.1:6379/12")
WITH_BROKER = os.environ.get("LOAD_BROKER", "1") != "0"
ONLY = [w.strip() for w in os.environ.get("LOAD_PAGES", "").split(",") if w.strip()]
WARMUP = 5  # requests per page before wrk (templates, query plans, the workers' caches)
ADMIN = "bench_load_admin"
COMMON_WORD = "주차장"
# A word for "any word": the one of these nearest 5 % of the approved posts (주차장: ~35 %).
MID_WORDS = ("도서관", "가로등", "경로당", "주민센터", "키오스크", "야간")
MID_SHARE = 0.05
LUA = """
local paths = {%(paths)s}
local i = 0
request = function()
  i = i + 1
  return wrk.format(nil, paths[(i %% #paths) + 1])
end
done = function(summary, latency, requests)
  io.write(string.format("RESULT %%.2f %%.2f %%.2f %%.2f %%d %%d\\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.timeout,
    summary.requests))
end
"""


@dataclass
class Page:
    label: str
    paths: list[str] = field(default_factory=list)
    note: str = ""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _session_cookie(user: User) -> str:
    """A real session in the database, as a login would leave it."""
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.save()
    return f"{settings.SESSION_COOKIE_NAME}={store.session_key}"


def _ensure_data() -> User:
    """Build what the other modules would have built, through their own builders, if it is
    missing; return the portal admin to log in as."""
    from bench import board, clubs, contests, proposals, scoring
    from contests.models import Round
    from org.roles import Role
    from org.services import staff_create
    from proposals.models import Proposal

    if board._bench_posts() < board.POSTS:
        user_ids, dept_ids = board._users()
        board._generate(user_ids, dept_ids)
    board._keys()
    if Proposal.objects.filter(receipt_number__startswith=proposals.PREFIX).count() < proposals.N:
        proposals._setup()
    clubs._setup()
    first, _last = scoring._users()
    scoring._ledger(first)
    if not Round.objects.filter(title=contests.TITLE).exists():
        contests._setup()
    return staff_create(
        username=ADMIN, password=None, last_name="부하", first_name="관리",
        roles=(Role.PORTAL_ADMIN, Role.STAFF),
    )  # fmt: skip


def _mid_word() -> tuple[str, str]:
    """(the mid-frequency word, what share of posts have 주차장 and it)."""
    from board import selectors
    from board.models import Post

    base = Post.objects.filter(area="worksharing", status="approved")
    total = max(base.count(), 1)
    common = selectors.search(base, COMMON_WORD).count() / total
    shares = {word: selectors.search(base, word).count() / total for word in MID_WORDS}
    chosen = min(shares, key=lambda word: abs(shares[word] - MID_SHARE))
    return chosen, (
        f"{COMMON_WORD} in {common:.0%}, {chosen} in {shares[chosen]:.1%} of the "
        f"{total:,} approved 업무나눔터 posts"
    )


def _pages() -> tuple[list[Page], str]:
    """Each page of the table on the bench data, and a note on the search words."""
    from bench import board, clubs, contests, scoring
    from board.models import Post
    from clubs.models import Club
    from contests.models import Stage
    from scoring.models import UserQuarter

    area = reverse("board:area_list", args=["worksharing"])
    search = reverse("board:search")
    posts = list(
        Post.objects.filter(
            area="worksharing", status="approved", author__username__startswith=board.PREFIX
        )
        .order_by("?")
        .values_list("pk", flat=True)[:200]
    )
    word, words_note = _mid_word()
    club = Club.objects.filter(name=f"{clubs.PREFIX} 0", year=clubs.YEARS[-1]).first()
    stage = Stage.objects.filter(round__title=contests.TITLE).order_by("-pk").first()
    quarter = (
        UserQuarter.objects.filter(year=scoring.YEAR)
        .order_by("-quarter")
        .values_list("quarter", flat=True)
        .first()
    )
    past_q = max((quarter or 2) - 1, 1)  # a finished quarter of the ledger's year
    year = timezone.localdate().year
    pages = [
        Page("board list page", [area]),
        # 200 posts the reader has not opened: ~10 % of the requests are first views (a job
        # each, on the worker) and the first request of each post renders its shared part.
        Page("post page", [reverse("board:post_detail", args=[pk]) for pk in posts],
             "200 posts the reader opens for the first time"),
        # The same posts again once the worker has recorded those views: return visits.
        Page("post page, return visits", [reverse("board:post_detail", args=[pk]) for pk in posts],
             "the same 200 posts, views recorded"),
        # The search rows of issue 14 go through the search over every area (통합 검색), which
        # renders each time: an area's list keeps its rendered part in the cache
        # (board.pagecache), so wrk asking one keyword again measures the cache instead.
        Page("search 주차장", [f"{search}?keyword={quote(COMMON_WORD)}"], "every area, not cached"),
        Page(f"search, mid-frequency word {word}", [f"{search}?keyword={quote(word)}"], "every area, not cached"),
        Page(f"cached area list, keyword {COMMON_WORD}", [f"{area}?keyword={quote(COMMON_WORD)}"]),
        Page("proposals list for admins", [reverse("proposals:index")]),
        Page("proposals statistics", [reverse("proposals:statistics")]),
        Page("club page for admins", [reverse("clubs:club_detail", args=[club.pk])] if club else []),
        Page("admin dashboard, uncached", [f"{reverse('programme:dashboard')}?year={year}&fresh=1"]),
        Page("admin dashboard, cached", [f"{reverse('programme:dashboard')}?year={year}"]),
        Page(
            "contests results page",
            [reverse("contests:stage_results", args=[stage.pk])] if stage else [],
        ),
        Page(
            f"leaderboard {scoring.YEAR} Q{past_q}",
            [f"{reverse('scoring:leaderboard')}?{urlencode({'year': scoring.YEAR, 'quarter': past_q})}"],
        ),
    ]  # fmt: skip
    return pages, words_note


def _server_env() -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": BENCH_DATABASE_URL,
        "CACHE_URL": BENCH_CACHE_URL,
        "DEBUG": "0",
        "SECRET_KEY": settings.SECRET_KEY,  # the key the session cookie was signed with
        "ALLOWED_HOSTS": "127.0.0.1",
        "STATIC_MANIFEST": "0",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("PYTEST_VERSION", None)
    if WITH_BROKER:
        env["CELERY_BROKER_URL"] = BROKER
    else:
        env.pop("CELERY_BROKER_URL", None)
    return env


def _start_worker() -> subprocess.Popen[bytes] | None:
    """One Celery worker (one process) on the bench broker, its queue emptied first; ready
    when ``celery inspect ping`` (the same settings) has its answer."""
    if not WITH_BROKER:
        return None
    import redis

    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    redis.Redis.from_url(BROKER).delete(queue)
    celery = str(ROOT / ".venv" / "bin" / "celery")
    node = f"bench-load-{os.getpid()}@{socket.gethostname()}"
    cmd = [
        celery, "-A", "jisik_portal", "--quiet", "worker", "--concurrency", "1", "--loglevel",
        "warning", "--without-gossip", "--without-mingle", "--without-heartbeat", "-Q", queue,
        "-n", node,
    ]  # fmt: skip
    env = _server_env()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)  # noqa: S603
    ping = [celery, "-A", "jisik_portal", "inspect", "ping", "--timeout", "2", "-d", node]
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and proc.poll() is None:
        answer = subprocess.run(ping, cwd=ROOT, env=env, capture_output=True, check=False)  # noqa: S603
        if answer.returncode == 0:
            return proc
        time.sleep(0.5)
    proc.kill()
    raise RuntimeError("the Celery worker did not start")


def _drain() -> None:
    """Wait until the worker has taken every job the page queued (at most 5 minutes)."""
    if not WITH_BROKER:
        return
    import redis
    from django.core.cache.backends.base import default_key_func

    from board.services import VIEWS_PENDING

    client = redis.Redis.from_url(BROKER)
    views = redis.Redis.from_url(BENCH_CACHE_URL)  # the servers' cache: the pending views
    pending = default_key_func(VIEWS_PENDING, "", 1)  # the servers' cache key (no prefix)
    queue = settings.CELERY_TASK_DEFAULT_QUEUE

    def waiting() -> tuple[int, int]:
        return int(client.llen(queue)), int(views.llen(pending))

    start = time.perf_counter()
    first = left = waiting()
    while any(left) and time.perf_counter() - start < 300:
        time.sleep(0.2)
        left = waiting()
    if any(first):
        time.sleep(1)  # the last batch taken off the list, committing
        print(
            f"  {'':<44} (worker: {first[0]:,} jobs and {first[1]:,} views still queued"
            f" after wrk, drained in {time.perf_counter() - start:.1f} s"
            f"{'; NOT drained' if any(left) else ''})",
            flush=True,
        )


def _start_gunicorn(port: int) -> subprocess.Popen[bytes]:
    env = _server_env()
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"), "jisik_portal.wsgi", "--workers", "2",
        "--worker-class", "sync", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        "--config", "python:bench.gunicorn_hooks",
        "--timeout", "180",
    ]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env)  # noqa: S603
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2)
            return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("gunicorn did not start")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


def _get(url: str, cookie: str) -> tuple[int, bytes, dict[str, str]]:
    req = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
    try:
        with _OPENER.open(req, timeout=180) as resp:
            return resp.status, resp.read(), dict(resp.headers)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), dict(exc.headers)


def _wrk(wrk: str, base: str, page: Page, cookie: str) -> dict[str, float] | str:
    """wrk's figures for ``page`` (its paths in turn), or why there are none."""
    paths = ", ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in page.paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(LUA % {"paths": paths})
    try:
        out = subprocess.run(  # noqa: S603
            [wrk, "-t2", "-c4", f"-d{SECONDS}s", "--timeout", "10s", "-s", lua.name,
             "-H", f"Cookie: {cookie}", base + page.paths[0]],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    finally:
        os.unlink(lua.name)
    line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT")), None)
    if line is None:
        return f"wrk failed: {(out.stderr or out.stdout).strip()[:200]}"
    rps, p50, p95, p99, errors, total = line.split()[1:]
    return {
        "rps": float(rps), "p50_ms": float(p50), "p95_ms": float(p95), "p99_ms": float(p99),
        "errors": int(errors), "requests": int(total),
    }  # fmt: skip


def _page(wrk: str, base: str, page: Page, cookie: str) -> None:
    if not page.paths:
        record(page.label, {"error": "no bench data for this page"})
        print(f"  {page.label:<44} no bench data for this page", flush=True)
        return
    sizes = []
    for i in range(WARMUP):
        status, body, _headers = _get(base + page.paths[i % len(page.paths)], cookie)
        sizes.append(len(body))
        if status != 200:
            record(page.label, {"error": f"HTTP {status}", "status": status})
            print(f"  {page.label:<44} HTTP {status} at warm-up: {page.paths[0]}", flush=True)
            return
    result = _wrk(wrk, base, page, cookie)
    if isinstance(result, str):
        record(page.label, {"error": result})
        print(f"  {page.label:<44} {result}", flush=True)
        return
    size = max(sizes)
    record(page.label, {**result, "bytes": size, "status": 200, "path": page.paths[0]})
    print(
        f"  {page.label:<44} {result['rps']:7.1f} req/s  p50 {result['p50_ms']:7.1f} ms  "
        f"p95 {result['p95_ms']:7.1f} ms  p99 {result['p99_ms']:7.1f} ms  {size / 1000:7.1f} kB"
        f"  ({result['errors']} errors / {result['requests']:,})"
        + (f"  [{page.note}]" if page.note else ""),
        flush=True,
    )


def _csv_export(port: int, cookie: str) -> None:
    """One download of the residents' CSV export: first byte, last byte, streamed or not."""
    path = reverse("proposals:export")
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=180)
    start = time.perf_counter()
    conn.request("GET", path, headers={"Cookie": cookie})
    resp = conn.getresponse()
    first = resp.read(1)
    first_ms = (time.perf_counter() - start) * 1000
    rest = resp.read()
    seconds = time.perf_counter() - start
    conn.close()
    body = first + rest
    streamed = resp.getheader("Content-Length") is None
    lines = body.count(b"\n")
    record(
        "residents CSV export",
        {
            "seconds": seconds, "first_byte_ms": first_ms, "bytes": len(body),
            "lines": lines, "streamed": streamed, "status": resp.status,
        },
    )  # fmt: skip
    print(
        f"  {'residents CSV export':<44} HTTP {resp.status}, {lines:,} lines, "
        f"{len(body) / 1e6:.1f} MB in {seconds:.2f} s (first byte {first_ms:.0f} ms, "
        f"{'streamed' if streamed else 'NOT streamed: Content-Length ' + str(len(body))})",
        flush=True,
    )


def _export_views(base: str, cookie: str, year: int, quarter: int) -> None:
    """Whether the two Excel exports are background jobs: the view answers a redirect to the
    download's page (without a broker the build runs eagerly after the request's commit, so
    the time here includes the build; with Celery it is the time to queue it)."""
    from bench import contests
    from contests.models import Stage

    stage = Stage.objects.filter(round__title=contests.TITLE).order_by("-pk").first()
    views = [
        ("ranking Excel view",
         f"{reverse('scoring:export')}?{urlencode({'year': year, 'quarter': quarter})}"),
        ("scores.xlsx view",
         reverse("contests:stage_scores_export", args=[stage.pk]) if stage else ""),
    ]  # fmt: skip
    for label, path in views:
        if not path:
            record(label, {"error": "no bench data"})
            continue
        start = time.perf_counter()
        status, body, headers = _get(base + path, cookie)
        seconds = time.perf_counter() - start
        location = headers.get("Location", "")
        background = status in (301, 302, 303) and "/downloads/" in location
        record(label, {"status": status, "seconds": seconds, "background": background})
        what = (
            f"redirect to {location}" if background else f"HTTP {status}, {len(body) / 1e6:.1f} MB"
        )
        print(f"  {label:<44} {what} in {seconds:.2f} s", flush=True)


def run() -> None:
    wrk = shutil.which("wrk")
    if not wrk:
        print("  wrk is not installed (Debian package wrk): load test skipped", flush=True)
        record("board list page", {"error": "wrk is not installed"})
        return
    start = time.perf_counter()
    admin = _ensure_data()
    pages, words_note = _pages()
    if ONLY:
        pages = [p for p in pages if any(word in p.label for word in ONLY)]
    print(f"  data ready ({time.perf_counter() - start:.0f} s); {words_note}", flush=True)
    cookie = _session_cookie(admin)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    before = os.getloadavg()
    worker = _start_worker()
    proc = _start_gunicorn(port)
    jobs = "1 Celery worker on Redis" if worker else "no broker: jobs run in the request"
    try:
        print(
            f"  wrk -t2 -c4 -d{SECONDS}s after {WARMUP} warm-up requests; gunicorn 2 sync "
            f"workers, DEBUG off, Redis cache, {jobs}; logged in as {ADMIN} (portal admin); "
            f"load average {before[0]:.2f}",
            flush=True,
        )
        for page in pages:
            _page(wrk, base, page, cookie)
            _drain()
        if not ONLY:
            _csv_export(port, cookie)
            leaderboard = next(p for p in pages if p.label.startswith("leaderboard"))
            quarter = int(leaderboard.label.rsplit("Q", 1)[1])
            _export_views(base, cookie, int(leaderboard.label.split()[1]), quarter)
            _drain()
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
        if worker is not None:  # a warm shutdown: the job it runs is finished first
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=120)
    after = os.getloadavg()
    note = (
        f"wrk -t2 -c{4} -d{SECONDS}s, {jobs}, load average {before[0]:.2f} before, {after[0]:.2f} after "
        f"(1 min); {words_note}"
    )
    record("load test", {"text": note}, module="common")
    print(f"  {note}", flush=True)
