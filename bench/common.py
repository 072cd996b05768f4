"""Helpers shared by the benchmarks: timing, the bench database, printing."""

import os
import statistics
import time
from collections.abc import Callable

BENCH_DATABASE_URL = os.environ.get(
    "BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jisik_bench"
)


def setup_django() -> None:
    """Point Django at the bench database (created if missing) and migrate it."""
    os.environ["DATABASE_URL"] = BENCH_DATABASE_URL
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jisik_portal.settings")
    os.environ.setdefault("SECRET_KEY", "bench-only")
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
