"""창의왕 at city scale: 50,000 staff and 10 million ledger rows in one year (2026, 1 January to
now), generated in SQL; the roll-ups rebuilt set-based (what an admin recompute does). Measures
a quarter's ranking, the leaderboard and 내 점수 pages, one ledger write, and the round freeze.
The data stays in the bench database; a second run skips the generation."""

import random
import time
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from bench.common import measure, report
from common import periods
from org.models import Bureau, Department
from org.selectors import directory_changed
from scoring.exports import ranking_csv, ranking_workbook
from scoring.models import Activity, UserMonth, UserQuarter
from scoring.selectors import department_ranking, period_ranking, quarter_ranking
from scoring.services import activity_record, rollups_rebuild, round_run

User = get_user_model()

USERS = 50_000
ROWS = 10_000_000
CHUNK = 1_000_000
YEAR = 2026
PREFIX = "bsc_"
SOURCE = "bench.scoring"


def _users() -> tuple[int, int]:
    """50,000 staff with profiles in 40 departments; returns (first id, last id)."""
    ids = User.objects.filter(username__startswith=PREFIX).order_by("pk")
    if ids.count() < USERS:
        bureau, _ = Bureau.objects.get_or_create(name="벤치점수국", defaults={"order": 99})
        depts = [
            Department.objects.get_or_create(
                name=f"벤치점수{i:02d}과", defaults={"bureau": bureau}
            )[0]
            for i in range(40)
        ]
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                """
                INSERT INTO auth_user (password, is_superuser, username, first_name, last_name,
                    email, is_staff, is_active, date_joined)
                SELECT '!', false, %s || lpad(g::text, 5, '0'), '직원' || g, '김', '', false, true,
                       now()
                FROM generate_series(1, %s) g ON CONFLICT (username) DO NOTHING
                """,
                [PREFIX, USERS],
            )
            cur.execute(
                """
                INSERT INTO org_staffprofile (user_id, department_id, position, grade,
                    employment_status, must_change_password)
                SELECT u.id, (%s::bigint[])[1 + u.id %% 40], 'officer', '', 'active', false
                FROM auth_user u WHERE u.username LIKE %s
                ON CONFLICT (user_id) DO NOTHING
                """,
                [[d.pk for d in depts], f"{PREFIX}%"],
            )
    first, last = ids.first().pk, ids.last().pk
    assert last - first + 1 == USERS, "bench users are not contiguous ids"
    return first, last


def _ledger(first_user: int) -> None:
    have = Activity.objects.filter(source_type=SOURCE).count()
    if have >= ROWS:
        print(f"  ledger: {have:,} rows already there (skipping generation)", flush=True)
        return
    start = time.perf_counter()
    for offset in range(have, ROWS, CHUNK):
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                """
                INSERT INTO scoring_activity (user_id, area, kind, source_type, source_id,
                    occurred_at, month, points, voided_at, void_reason)
                SELECT user_id, area, kind, %(source)s, g, ts,
                       date_trunc('month', ts AT TIME ZONE 'Asia/Seoul')::date,
                       CASE WHEN kind = 'proposal_submitted' THEN 0
                            WHEN area = 'docs' AND kind <> 'approval' THEN 0
                            WHEN kind = 'view' THEN 0.5
                            WHEN kind = 'comment' THEN 2
                            WHEN area = 'proposal' THEN 50
                            WHEN area = 'club' THEN 10 ELSE 5 END,
                       CASE WHEN g %% 97 = 0 THEN ts END,
                       CASE WHEN g %% 97 = 0 THEN '벤치 무효' ELSE '' END
                FROM (
                    SELECT g, %(first)s + floor(random() * %(users)s)::int AS user_id,
                           (ARRAY['proposal','club','worksharing','docs'])[1 + floor(random() * 4)::int]
                               AS area,
                           CASE WHEN r < 0.60 THEN 'view' WHEN r < 0.90 THEN 'comment'
                                WHEN r < 0.98 THEN 'approval' ELSE 'proposal_submitted' END AS kind,
                           %(start)s::timestamptz + random() * (now() - %(start)s::timestamptz) AS ts
                    FROM (SELECT g, random() AS r FROM generate_series(%(lo)s, %(hi)s) g) s
                ) e
                """,
                {
                    "source": SOURCE,
                    "first": first_user,
                    "users": USERS,
                    "start": f"{YEAR}-01-01 00:00:00+09",
                    "lo": offset + 1,
                    "hi": min(offset + CHUNK, ROWS),
                },
            )
        print(
            f"  ledger: {min(offset + CHUNK, ROWS):,} rows ({time.perf_counter() - start:.0f} s)",
            flush=True,
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE scoring_activity")
    t = time.perf_counter()
    rollups_rebuild(year=YEAR)
    with connection.cursor() as cur:
        cur.execute("ANALYZE scoring_usermonth")
        cur.execute("ANALYZE scoring_userquarter")
    print(f"  roll-ups rebuilt from the ledger in {time.perf_counter() - t:.1f} s", flush=True)


def _periods(past_q: int) -> list[tuple[str, dict[str, int]]]:
    """(label, period_ranking kwargs) of a month, a quarter, a half-year and the year."""
    month = 3 * past_q - 1  # the middle month of the past quarter
    return [
        (f"{YEAR}-{month:02d} month", {"year": YEAR, "month": month}),
        (f"{YEAR}-Q{past_q} quarter", {"year": YEAR, "quarter": past_q}),
        (f"{YEAR}-H1 half", {"year": YEAR, "half": 1}),
        (f"{YEAR} year", {"year": YEAR}),
    ]


def run() -> None:
    # Pages render with plain static storage: the bench has no collectstatic manifest.
    plain = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # fmt: skip
    with override_settings(STORAGES=plain, ALLOWED_HOSTS=["testserver"]):
        _run()


def _run() -> None:
    first, last = _users()
    _ledger(first)
    # What autovacuum keeps on a live server: planner statistics (hash joins for the 50,000
    # people, not nested loops on a guessed row count) and the visibility map of the roll-ups.
    with connection.cursor() as cur:
        for table in ("auth_user", "org_staffprofile", "org_department", "scoring_userquarter",
                      "scoring_useryear", "scoring_usermonth"):  # fmt: skip
            cur.execute(f"VACUUM ANALYZE {table}")
    now = timezone.now()
    this_month = periods.month_of(now)
    cur_year, cur_q = this_month.year, periods.quarter_of(this_month)
    past_q = 3 if cur_year == YEAR else 4
    print(
        f"  {UserMonth.objects.filter(month__year=YEAR).count():,} month roll-up rows, "
        f"{UserQuarter.objects.filter(year=YEAR, quarter=past_q).count():,} people in "
        f"{YEAR} Q{past_q}",
        flush=True,
    )

    # For comparison: the plain GROUP BY over one quarter of the raw ledger (what we avoid).
    span = periods.quarter(YEAR, past_q)

    def group_by() -> None:
        with connection.cursor() as cur:
            cur.execute(
                "SELECT user_id, kind, SUM(points) FROM scoring_activity WHERE month >= %s AND "
                "month < %s AND voided_at IS NULL GROUP BY user_id, kind",
                [span.start, span.end],
            )
            cur.fetchall()

    raw = measure(group_by, repeat=3, warmup=1)
    report(f"raw GROUP BY over {YEAR} Q{past_q}'s ledger", raw)
    with_users = measure(lambda: quarter_ranking(year=YEAR, quarter=past_q), repeat=7, warmup=1)
    report(f"quarter_ranking {YEAR} Q{past_q} (rows with users)", with_users)
    print(
        f"  -> quarter_ranking with users is {raw['median_ms'] / with_users['median_ms']:.1f}x "
        "faster than the GROUP BY (budget: >= 10x)",
        flush=True,
    )
    # The figure above reads the people from this process's copy of the directory (kept while
    # nobody is renamed or moved); the first ranking after such a change reads them again.
    report(
        f"quarter_ranking {YEAR} Q{past_q} after an org change (people read again)",
        measure(
            lambda: (directory_changed(), quarter_ranking(year=YEAR, quarter=past_q)),
            repeat=7,
            warmup=1,
        ),
    )
    report(
        f"quarter_ranking {YEAR} Q{past_q} (ids only)",
        measure(
            lambda: quarter_ranking(year=YEAR, quarter=past_q, with_users=False),
            repeat=7,
            warmup=1,
        ),
    )
    # Every period of the year (budget: each under 1 s), people and departments.
    for label, kwargs in _periods(past_q):
        report(
            f"period_ranking {label} (rows with users)",
            measure(lambda kw=kwargs: period_ranking(**kw), repeat=5, warmup=1),
        )
        report(
            f"department_ranking {label}",
            measure(lambda kw=kwargs: department_ranking(**kw), repeat=5, warmup=1),
        )
    report(
        f"ranking CSV stream {YEAR} Q{past_q}, all 50,000 lines",
        measure(
            lambda: sum(1 for _line in ranking_csv(year=YEAR, quarter=past_q)), repeat=3, warmup=1
        ),
    )
    report(
        f"ranking Excel {YEAR} Q{past_q} ({UserQuarter.objects.filter(year=YEAR, quarter=past_q).count():,} people)",
        measure(lambda: ranking_workbook(year=YEAR, quarter=past_q), repeat=3, warmup=1),
    )

    rng = random.Random(2016)
    client = Client()
    viewer = User.objects.get(pk=rng.randint(first, last))
    client.force_login(viewer)

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    report(
        f"leaderboard page, live {cur_year} Q{cur_q}",
        measure(lambda: get(f"/scoring/leaderboard/?year={cur_year}&quarter={cur_q}")),
    )
    report(
        f"leaderboard page, live {YEAR} Q{past_q}",
        measure(lambda: get(f"/scoring/leaderboard/?year={YEAR}&quarter={past_q}")),
    )
    for label, kwargs in _periods(past_q):
        query = urlencode({"period": label.split()[-1].split("-")[0], **kwargs})
        report(
            f"leaderboard page, {label}",
            measure(lambda q=query: get(f"/scoring/leaderboard/?{q}"), repeat=10, warmup=1),
        )
        report(
            f"leaderboard page, {label}, page 200",
            measure(
                lambda q=query: get(f"/scoring/leaderboard/?{q}&page=200"), repeat=10, warmup=1
            ),
        )
        report(
            f"leaderboard page, {label}, departments",
            measure(
                lambda q=query: get(f"/scoring/leaderboard/?{q}&view=departments"),
                repeat=10,
                warmup=1,
            ),
        )
    people = [User.objects.get(pk=rng.randint(first, last)) for _ in range(10)]
    clients = []
    for person in people:
        clients.append(Client())
        clients[-1].force_login(person)
    counter = iter(range(10**9))

    def me() -> None:
        response = clients[next(counter) % len(clients)].get("/scoring/me/")
        assert response.status_code == 200, response.status_code

    report("내 점수 page (10 different people)", measure(me))

    # One ledger write with its roll-up updates, then the round freeze and the frozen
    # leaderboard; all rolled back so the bench data stays as generated.
    with transaction.atomic():
        ids = iter(range(10**9))
        report(
            "activity_record (ledger + 4 roll-ups)",
            measure(
                lambda: activity_record(
                    user=rng.choice(people),
                    area="proposal",
                    kind="comment",
                    source_type="bench.scoring.write",
                    source_id=next(ids),
                    at=datetime.now(tz=periods.KST),
                )  # fmt: skip
            ),
        )
        t = time.perf_counter()
        rnd = round_run(year=YEAR, quarter=past_q)
        print(
            f"  quarterly round freeze {YEAR} Q{past_q}: {time.perf_counter() - t:.1f} s "
            f"({rnd.entries.count():,} entries), once",
            flush=True,
        )
        report(
            f"leaderboard page, frozen {YEAR} Q{past_q}",
            measure(lambda: get(f"/scoring/leaderboard/?year={YEAR}&quarter={past_q}")),
        )
        transaction.set_rollback(True)
