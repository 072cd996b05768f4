"""`python -m bench [module ...]`: run the benchmarks (all modules with ``run()`` by default,
``load`` last), then print issue 14's summary table (``bench.common.summary``).

``BENCH=load make bench`` (``python -m bench load``) runs only the load test on the data
already in the bench database; the table then shows the other rows from their last run. A
module that fails is reported with its traceback and the others still run; the exit status
is then 1.
"""

import importlib
import pkgutil
import sys
import time
import traceback
from datetime import UTC, datetime
from pathlib import Path

from bench.common import save_results, setup_django, summary

SKIP = {"common", "__main__"}
# These run last, in this order: they measure on the data the other modules build (the
# dashboard sums every app's rows; the load test needs every dataset).
LAST = ("programme", "load")


def main(argv: list[str]) -> int:
    setup_django()
    here = Path(__file__).parent
    found = sorted(
        m.name for m in pkgutil.iter_modules([str(here)]) if m.name not in SKIP and not m.ispkg
    )
    names = argv or [n for n in found if n not in LAST] + [n for n in LAST if n in found]
    failed = []
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        if not hasattr(module, "run"):
            continue
        stamp = datetime.now(UTC).strftime("%H:%M:%S UTC")
        print(f"== bench.{name} ({stamp})", flush=True)
        start = time.perf_counter()
        try:
            module.run()
        except Exception:
            traceback.print_exc()
            failed.append(name)
            print(f"   bench.{name} FAILED", flush=True)
        print(f"   ({time.perf_counter() - start:.0f} s in all)", flush=True)
        save_results()
    summary()
    if failed:
        print(f"   failed: {', '.join(failed)}", flush=True)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
