"""The programme's pages on the city-scale data the other benchmarks generate (200,000 board
posts, 200,000 proposals, 100,000 club attendance rows, contests' prize payments): the admin
dashboard (selectors and page), its Excel export, the calendar, the home page's knowledge day
banner count, and /healthz. Run the other benchmarks first (``make bench``) for the data; on
an empty database the figures are only the pages' fixed cost."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench.common import measure, report


def run() -> None:
    from django.conf import settings
    from django.test import override_settings

    # Pages render with plain static storage: the bench has no collectstatic manifest.
    plain = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain, ALLOWED_HOSTS=["testserver"]):
        _run()


def _run() -> None:
    from board.models import Post
    from clubs.models import Attendance
    from org.roles import Role
    from org.services import staff_create
    from programme import dashboard
    from programme.selectors import knowledge_registered
    from programme.services import programme_seed_ensure
    from proposals.models import Proposal

    programme_seed_ensure()
    year = timezone.localdate().year
    print(
        f"   data: {Post.objects.count():,} posts, {Proposal.objects.count():,} proposals, "
        f"{Attendance.objects.count():,} attendance rows",
        flush=True,
    )
    admin = staff_create(
        username="bench_prog_admin", password=None, last_name="관", first_name="리자",
        roles=(Role.PORTAL_ADMIN, Role.STAFF),
    )  # fmt: skip
    client = Client()
    client.force_login(admin)

    report(
        "dashboard selectors (all sections)",
        measure(lambda: dashboard.dashboard(year=year), repeat=15),
    )
    # Issue 14's row "admin dashboard, uncached" (budget p95 < 200 ms): every request counts
    # again ("지금 다시 집계"), nothing from the cache.
    with CaptureQueriesContext(connection) as ctx:
        client.get(f"/programme/dashboard/?year={year}&fresh=1")
    print(f"   admin dashboard: {len(ctx.captured_queries)} queries a request", flush=True)
    report(
        "admin dashboard, uncached (GET ?fresh=1)",
        measure(lambda: client.get(f"/programme/dashboard/?year={year}&fresh=1"), repeat=15),
    )
    report(
        "GET /programme/dashboard/ (cached)",
        measure(lambda: client.get(f"/programme/dashboard/?year={year}"), repeat=15),
    )
    report(
        "GET /programme/dashboard/export.xlsx",
        measure(lambda: client.get(f"/programme/dashboard/export.xlsx?year={year}"), repeat=10),
    )
    report("GET /programme/ (calendar)", measure(lambda: client.get("/programme/")))
    report(
        "knowledge registered in a month (banner)",
        measure(lambda: knowledge_registered(year=year, month=3)),
    )
    report("GET /healthz", measure(lambda: client.get("/healthz")))
