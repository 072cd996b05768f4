"""Helpers shared by the benchmarks: timing, the bench database, printing, and the results
registry behind the closing summary table of issue 14 (``summary()``).

Every ``report()`` and ``record()`` is kept under the calling module and the printed name, in
memory and in the bench database's ``bench_result`` table, so ``python -m bench load`` alone
still prints the whole table, the rows of the other modules from their last run (marked with
their time). The table's rows (``ROWS``) pick their figure by module and name prefix: a module
that renames its line shows up as "not measured" instead of silently dropping out.
"""

import json
import os
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent

BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jisik_bench"
)
# The load test's cache (its servers' CACHE_URL), where the summary times a Redis round trip.
BENCH_CACHE_URL = os.environ.get("BENCH_CACHE_URL", "redis://127.0.0.1:6379/14")

Result = dict[str, Any]
# (module, name) -> result, this run's and (loaded from the database) the earlier runs'.
RESULTS: dict[tuple[str, str], Result] = {}
_THIS_RUN: set[tuple[str, str]] = set()


def setup_django() -> None:
    """Point Django at the bench database (created if missing) and migrate it."""
    os.environ["DATABASE_URL"] = BENCH_DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jisik_portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only-" + "x" * 50)
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import environ
    import psycopg2

    cfg = environ.Env.db_url_config(BENCH_DATABASE_URL)
    conn = psycopg2.connect(
        host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"],
        password=cfg["PASSWORD"] or None, dbname="postgres",
    )  # fmt: skip
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [cfg["NAME"]])
        if not cur.fetchone():
            cur.execute(f"CREATE DATABASE \"{cfg['NAME']}\" ENCODING 'UTF8' TEMPLATE template0")
    conn.close()

    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    _load_results()


def measure(fn: Callable[[], object], *, repeat: int = 30, warmup: int = 3) -> dict[str, float]:
    """Run ``fn`` and return median and p95 wall time in milliseconds."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
    return {"median_ms": statistics.median(times), "p95_ms": p95, "n": len(times)}


def report(name: str, result: dict[str, float]) -> None:
    print(
        f"  {name:<48} median {result['median_ms']:9.1f} ms   p95 {result['p95_ms']:9.1f} ms"
        f"   (n={result['n']})",
        flush=True,
    )
    record(name, result, module=_caller_module())


# --- The results registry --------------------------------------------------------------------


def _caller_module() -> str:
    """``board`` for a call from bench/board.py (the frame two up: the module's own code)."""
    name = str(sys._getframe(2).f_globals.get("__name__", ""))
    return name.removeprefix("bench.")


def record(name: str, result: Mapping[str, Any], *, module: str | None = None) -> None:
    """Keep ``result`` for the summary table (``save_results`` stores it for a later run)."""
    module = module or _caller_module()
    row = {**result, "at": datetime.now(UTC).isoformat(timespec="seconds")}
    RESULTS[(module, name)] = row
    _THIS_RUN.add((module, name))


def save_results() -> None:
    """Store this run's results in the bench database (``__main__`` calls it after each
    module, outside the modules' transactions)."""
    from django.db import connection

    with connection.cursor() as cur:
        for (module, name), row in RESULTS.items():
            if (module, name) in _THIS_RUN:
                cur.execute(
                    "INSERT INTO bench_result (module, name, result) VALUES (%s, %s, %s)"
                    " ON CONFLICT (module, name) DO UPDATE SET result = EXCLUDED.result",
                    [module, name, json.dumps(row)],
                )


def _load_results() -> None:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE IF NOT EXISTS bench_result (module text, name text, result jsonb,"
            " PRIMARY KEY (module, name))"
        )
        cur.execute("SELECT module, name, result FROM bench_result")
        for module, name, result in cur.fetchall():
            # Django hands jsonb over as text (its JSONField decodes it); psycopg2 as a dict.
            value = json.loads(result) if isinstance(result, str) else result
            RESULTS.setdefault((module, name), value if isinstance(value, dict) else {})


def _find(module: str, prefix: str, contains: str = "") -> tuple[str, Result] | None:
    """The result of ``module`` whose name starts with ``prefix`` and has ``contains`` in it
    (this run's first)."""
    hits = [
        (k, v)
        for k, v in RESULTS.items()
        if k[0] == module and k[1].startswith(prefix) and contains in k[1]
    ]
    hits.sort(key=lambda kv: (kv[0] not in _THIS_RUN, kv[0][1]))
    return (hits[0][0][1], hits[0][1]) if hits else None


@dataclass(frozen=True)
class Row:
    """One row of issue 14's table: where its figure comes from and what it must meet."""

    label: str
    module: str
    name: str  # prefix of the name the module reports under
    budget: str
    p95_ms: float | None = None  # p95 under (wrk rows)
    median_ms: float | None = None  # median under (in-process rows)
    rps: float | None = None  # requests per second at least
    max_bytes: int | None = None  # the page's size under
    seconds: float | None = None  # a whole download under
    ratio_of: str | None = None  # name prefix of the slower figure: ≥ 10× faster than it
    background: str | None = None  # load's record of the export view (302 to /downloads/)
    contains: str = ""  # and the name has this in it


ROWS = [
    Row("board list page", "load", "board list page", "≥ 250 req/s, p95 < 60 ms",
        p95_ms=60, rps=250),
    Row("post page", "load", "post page", "≥ 250 req/s, p95 < 40 ms", p95_ms=40, rps=250),
    Row("post page, return visits", "load", "post page, return", "≥ 250 req/s, p95 < 40 ms",
        p95_ms=40, rps=250),
    Row("search 주차장 (35 % of posts)", "load", "search 주차장", "p95 < 100 ms", p95_ms=100),
    Row("search, a mid-frequency word", "load", "search, mid", "p95 < 100 ms", p95_ms=100),
    Row("proposals list for admins", "load", "proposals list", "p95 < 60 ms", p95_ms=60),
    Row("club page for admins", "load", "club page", "p95 < 100 ms, < 100 kB",
        p95_ms=100, max_bytes=100_000),
    Row("duplicate lookup, board", "board", "duplicate lookup, board", "median < 50 ms",
        median_ms=50),
    # bench.board measures the board's lookup (board/textsim.py), bench.proposals its own.
    Row("duplicate lookup, proposals", "proposals", "duplicate lookup, proposals", "median < 50 ms",
        median_ms=50),
    Row("창의왕 quarter ranking with users", "scoring", "quarter_ranking", "≥ 10× the GROUP BY",
        ratio_of="raw GROUP BY", contains="with users"),
    Row("proposals statistics", "load", "proposals statistics", "p95 < 100 ms", p95_ms=100),
    Row("admin dashboard, uncached", "load", "admin dashboard, uncached", "p95 < 200 ms",
        p95_ms=200),
    Row("contests results page 600×10", "load", "contests results", "p95 < 150 ms, paginated",
        p95_ms=150),
    Row("leaderboard (창의왕, a quarter)", "load", "leaderboard", "p95 < 1 s", p95_ms=1000),
    Row("residents CSV export 133k", "load", "residents CSV", "< 5 s, streamed", seconds=5),
    Row("창의왕 ranking Excel 50k", "scoring", "ranking Excel", "background job; build time",
        background="ranking Excel view"),
    Row("scores.xlsx 30k scores", "contests", "GET scores.xlsx", "background job; build time",
        background="scores.xlsx view"),
]  # fmt: skip


def _columns(text: str) -> int:
    """The terminal columns ``text`` takes (a Hangul syllable takes two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * max(width - _columns(text), 0)


def _ms(value: float) -> str:
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"


def _judge(row: Row) -> tuple[str, str, str]:
    """(measured, met?, when) of ``row`` from the registry."""
    found = _find(row.module, row.name, row.contains)
    if found is None:
        return "not measured", "?", ""
    name, res = found
    when = "" if (row.module, name) in _THIS_RUN else f"earlier: {res.get('at', '?')}"
    if res.get("error"):
        return str(res["error"])[:60], "NO", when
    parts: list[str] = []
    met: list[bool] = []
    if "rps" in res:
        parts.append(f"{res['rps']:,.0f} req/s")
        parts.append(f"p50 {_ms(res['p50_ms'])}, p95 {_ms(res['p95_ms'])}")
        if res.get("status") not in (None, 200):
            parts.append(f"HTTP {res['status']}")
            met.append(False)
        if res.get("errors"):
            parts.append(f"{res['errors']} errors")
            met.append(False)
    elif "seconds" in res:
        parts.append(f"{res['seconds']:.2f} s, first byte {_ms(res['first_byte_ms'])}")
        parts.append("streamed" if res.get("streamed") else "NOT streamed")
        met.append(bool(res.get("streamed")) and res.get("status") == 200)
    elif "median_ms" in res:
        parts.append(f"median {_ms(res['median_ms'])}, p95 {_ms(res['p95_ms'])}")
    if "bytes" in res:
        parts.append(f"{res['bytes'] / 1000:,.1f} kB")
    if row.rps is not None and "rps" in res:
        met.append(res["rps"] >= row.rps)
    if row.p95_ms is not None and "p95_ms" in res:
        met.append(res["p95_ms"] < row.p95_ms)
    if row.median_ms is not None and "median_ms" in res:
        met.append(res["median_ms"] < row.median_ms)
    if row.max_bytes is not None and "bytes" in res:
        met.append(res["bytes"] < row.max_bytes)
    if row.seconds is not None and "seconds" in res:
        met.append(res["seconds"] < row.seconds)
    if row.ratio_of is not None:
        slower = _find(row.module, row.ratio_of)
        if slower is None:
            return " ".join(parts) + "; no GROUP BY figure", "?", when
        ratio = slower[1]["median_ms"] / max(res["median_ms"], 1e-9)
        parts.append(f"{ratio:.1f}× faster than the GROUP BY ({_ms(slower[1]['median_ms'])})")
        met.append(ratio >= 10)
    if row.background is not None:
        view = _find("load", row.background)
        if view is None:
            parts.append("view not checked")
            met.append(False)
        else:
            queued = bool(view[1].get("background"))
            parts.append("view queues a download" if queued else "view builds in the request")
            met.append(queued)
    verdict = "?" if not met else ("yes" if all(met) else "NO")
    return "; ".join(parts), verdict, when


CENSUS = [
    ("posts", "SELECT count(*) FROM board_post"),
    ("comments", "SELECT count(*) FROM board_comment"),
    ("views", "SELECT count(*) FROM board_postview"),
    ("ledger rows", "SELECT count(*) FROM scoring_activity"),
    ("proposals", "SELECT count(*) FROM proposals_proposal"),
    ("active staff", "SELECT count(*) FROM org_staffprofile p JOIN auth_user u ON u.id = p.user_id"
     " WHERE u.is_active"),
    ("club attendance", "SELECT count(*) FROM clubs_attendance"),
    ("contest scores", "SELECT count(*) FROM contests_score"),
]  # fmt: skip


def _census() -> str:
    """What the bench database holds, against issue 14's scale."""
    from django.db import connection

    parts = []
    with connection.cursor() as cur:
        for label, sql in CENSUS:
            cur.execute(sql)
            row = cur.fetchone()
            parts.append(f"{row[0] if row else 0:,} {label}")
    return ", ".join(parts)


def _cpu_yardstick() -> str:
    """One fixed piece of pure Python, timed: machines of the same kind differ by 2-3x here,
    and every row of the table moves with them, so figures from two machines are compared
    through this line (and the raw GROUP BY's time, a yardstick for the database)."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for i in range(10_000_000):
            total += i
        best = min(best, time.perf_counter() - start)
    return f"{os.cpu_count()} cores; 10,000,000 Python additions in {best:.2f} s (best of 3)"


def _round_trips() -> str:
    """What a page pays per statement and per cache read on this machine, apart from the
    CPU: the median round trip of ``SELECT 1`` to the bench database and of a Redis ``GET``
    to the load test's cache, PostgreSQL's ``shared_buffers`` and the kernel's file cache
    now (a machine that gives its file cache back reads cold rows from disk)."""
    import redis
    from django.db import connection

    def median_us(call: Callable[[], object]) -> float:
        return measure(call, repeat=2_000, warmup=20)["median_ms"] * 1000

    with connection.cursor() as cursor:
        sql_us = median_us(lambda: (cursor.execute("SELECT 1"), cursor.fetchone()))
        cursor.execute("SHOW shared_buffers")
        buffers = cursor.fetchone()[0]
    try:
        client = redis.Redis.from_url(BENCH_CACHE_URL)
        cache = f"Redis GET {median_us(lambda: client.get('bench:round-trip')):.0f} µs"
    except redis.RedisError as err:
        cache = f"Redis not reached ({err})"
    file_cache = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        cached = [line for line in meminfo.read_text().splitlines() if line.startswith("Cached:")]
        if cached:
            file_cache = f"{int(cached[0].split()[1]) / 2**20:.1f} GiB"
    return (
        f"SELECT 1 {sql_us:.0f} µs, {cache} (medians of 2,000); "
        f"shared_buffers {buffers}, file cache {file_cache}"
    )


def summary() -> None:
    """Print issue 14's table: every row, what was measured, its budget, met or not."""
    from django.db import connection

    width = max(_columns(r.label) for r in ROWS)
    load = os.getloadavg()
    print("", flush=True)
    print(f"== summary (issue 14), database {connection.settings_dict['NAME']}, load average"
          f" {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} now", flush=True)  # fmt: skip
    print(f"   data: {_census()}", flush=True)
    print(f"   machine: {_cpu_yardstick()}", flush=True)
    print(f"   round trips: {_round_trips()}", flush=True)
    for key in ("load test",):
        found = _find("common", key)
        if found:
            print(f"   {key}: {found[1].get('text', '')}", flush=True)
    print(f"   {_pad('path', width)} | {'met?':<4} | {'budget':<28} | measured", flush=True)
    print(f"   {'-' * width}-+-{'-' * 4}-+-{'-' * 28}-+-{'-' * 40}", flush=True)
    for row in ROWS:
        measured, met, when = _judge(row)
        extra = f"  ({when})" if when else ""
        print(
            f"   {_pad(row.label, width)} | {met:<4} | {_pad(row.budget, 28)} | {measured}{extra}",
            flush=True,
        )
