"""`python -m bench [module ...]`: run the benchmarks (all modules with ``run()`` by default)."""

import importlib
import pkgutil
import sys
import time
from pathlib import Path

from bench.common import setup_django

SKIP = {"common", "__main__"}
# The load test runs last: it uses the data the other modules build.
LAST = ("load",)


def main(argv: list[str]) -> None:
    setup_django()
    here = Path(__file__).parent
    found = sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name not in SKIP)
    names = argv or [n for n in found if n not in LAST] + [n for n in LAST if n in found]
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        if not hasattr(module, "run"):
            continue
        print(f"== bench.{name}", flush=True)
        start = time.perf_counter()
        module.run()
        print(f"   ({time.perf_counter() - start:.0f} s in all)", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
