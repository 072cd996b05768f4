"""인사 자료 가져오기 at office and city scale: 1,300 staff (Jung-gu) and 50,000 (Seoul).

Builds its own files in memory (.xlsx as the HR system exports them, 6 bureaus, 44
departments, teams), then times, each inside a transaction that is rolled back so the
bench database is left as it was: a first import that creates everyone, re-importing the
same file (nothing changes), and a January reshuffle moving 10 % of the people.
"""

import random
import time

from django.db import transaction

from org.staff_import import staff_import
from org.tests.staff_files import Upload, person, xlsx_bytes

BUREAUS = ["벤치기획국", "벤치행정국", "벤치복지국", "벤치도시국", "벤치안전국", "벤치보건소"]
PREFIX = "BX"


class Rollback(Exception):
    pass


def _departments() -> list[tuple[str, str]]:
    out = [(BUREAUS[i % len(BUREAUS)], f"벤치{i:02d}과") for i in range(44)]
    return out + [("벤치행정국", f"벤치{i:02d}동") for i in range(15)]


def _rows(n: int, *, moved: float = 0.0, seed: int = 16) -> list[list[object]]:
    rng = random.Random(seed)
    depts = _departments()
    rows = []
    for i in range(n):
        bureau, dept = depts[i % len(depts)]
        if moved and rng.random() < moved:
            bureau, dept = depts[(i + 7) % len(depts)]
        team = f"{i % 4 + 1}팀" if not dept.endswith("동") else ""
        rows.append(
            person(
                f"{PREFIX}{i:07d}", f"김직원{i}", dept, bureau=bureau, team=team,
                email=f"bx{i}@bench.example.kr", position="팀장" if i % 12 == 0 else "주무관",
            )
        )  # fmt: skip
    return rows


def _timed(label: str, upload: Upload, **kw: object) -> float:
    start = time.perf_counter()
    upload.seek(0)
    result = staff_import(**upload.args(), **kw)  # type: ignore[arg-type]
    seconds = time.perf_counter() - start
    plan = result.plan
    print(
        f"  {label:<44} {seconds:7.1f} s   (new {len(plan.creates):,}, changed "
        f"{len(plan.changes):,}, deactivated {len(plan.deactivations):,})",
        flush=True,
    )
    return seconds


def _scenario(n: int) -> None:
    start = time.perf_counter()
    first = Upload(xlsx_bytes(_rows(n)), f"bench-{n}.xlsx")
    reshuffle = Upload(xlsx_bytes(_rows(n, moved=0.1)), f"bench-{n}-moved.xlsx")
    print(
        f"  {n:,} staff: files built in {time.perf_counter() - start:.1f} s "
        f"({first.size / 1e6:.1f} MB .xlsx)",
        flush=True,
    )
    try:
        with transaction.atomic():
            _timed(f"{n:,} staff, first import", first, create_departments=True)
            _timed(f"{n:,} staff, the same file again", first)
            _timed(f"{n:,} staff, 10 % transferred", reshuffle)
            raise Rollback
    except Rollback:
        pass


def run() -> None:
    _scenario(1_300)
    _scenario(50_000)
