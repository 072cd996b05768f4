"""Contests at city scale: a stage of 600 entries scored by 10 members on 5 criteria
(30,000 scores), a year of 5,000 prize payments. Rows are generated in SQL, on whatever
database ``bench.common`` points at (``BENCH_DATABASE_URL``), fresh or not.

Budget (issue 14): the results page (paginated) under 150 ms at 600 entries × 10 members."""

from django.db import connection, transaction

from bench.common import measure, report

ENTRIES = 600
MEMBERS = 10
PAYMENTS = 5_000
TITLE = "bench: 대규모 심사"


def _setup() -> tuple[object, object, object]:
    from django.contrib.auth import get_user_model

    from contests import services
    from contests.models import CommitteeKind, Round, Stage, StageStatus
    from org.roles import Role
    from org.services import staff_create

    old = Round.objects.filter(title=TITLE)
    if old.exists():
        with connection.cursor() as cur:  # bulk delete in SQL; the ORM would fetch 30k rows
            ids = list(old.values_list("id", flat=True))
            cur.execute(
                "DELETE FROM contests_score WHERE sheet_id IN (SELECT s.id FROM contests_scoresheet s"
                " JOIN contests_stage st ON st.id = s.stage_id WHERE st.round_id = ANY(%s))",
                [ids],
            )
        old.delete()
    User = get_user_model()
    users = [
        User.objects.filter(username=f"bench_cm{i:02d}").first()
        or staff_create(
            username=f"bench_cm{i:02d}",
            password=None,
            last_name="벤",
            first_name=f"치{i}",
            roles=(Role.WORKING_PANEL,),
        )
        for i in range(MEMBERS)
    ]
    from datetime import date

    wp = services.committee_for_kind(CommitteeKind.WORKING_PANEL)
    for u in users:
        services.committee_member_add(committee=wp, user=u, term_start=date(2016, 1, 1))
    rnd = services.round_create(
        kind="half_year_proposals",
        year=2016,
        title=TITLE,
        stages=[services.StageSpec("심사", CommitteeKind.WORKING_PANEL)],
    )
    stage = rnd.stages.get()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO contests_entry (round_id, title, summary, owner_name, file, file_name,"
            " source_type, source_id, created_at)"
            " SELECT %s, '제안 ' || g, '', '구민' || g, '', '', 'bench', g, now()"
            " FROM generate_series(1, %s) g",
            [rnd.pk, ENTRIES],
        )
        cur.execute(
            "INSERT INTO contests_stageentry (stage_id, entry_id) SELECT %s, id FROM contests_entry"
            " WHERE round_id = %s",
            [stage.pk, rnd.pk],
        )
    services.stage_open(stage=stage)
    member_ids = [m.pk for m in wp.members.filter(user__in=users)]
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO contests_scoresheet (stage_id, entry_id, member_id, status, comment,"
            " updated_at, submitted_at) SELECT a.stage_id, a.entry_id, a.member_id, 'submitted', '',"
            " now(), now() FROM contests_assignment a WHERE a.stage_id = %s AND a.member_id = ANY(%s)",
            [stage.pk, member_ids],
        )
        cur.execute(
            "INSERT INTO contests_score (sheet_id, criterion_id, value, comment)"
            " SELECT s.id, c.id, (hashtext(s.id::text || c.id::text) & 2147483647) %% (c.max_score + 1), ''"
            " FROM contests_scoresheet s JOIN contests_criterion c ON c.stage_id = s.stage_id"
            " WHERE s.stage_id = %s",
            [stage.pk],
        )
        cur.execute("DELETE FROM contests_prizepayment WHERE source_type = 'bench'")
        cur.execute(
            "INSERT INTO contests_prizepayment (year, amount_won, title, recipient_name,"
            " recipient_key, source_type, source_id, paid_at) SELECT 2016, 50000, '창의왕 ' || g,"
            " '직원' || g, 'name:직원' || g, 'bench', g, now() FROM generate_series(1, %s) g",
            [PAYMENTS],
        )
    Stage.objects.filter(pk=stage.pk).update(status=StageStatus.CLOSED)
    stage.refresh_from_db()
    admin = User.objects.filter(is_superuser=True).first() or staff_create(
        username="bench_admin", password=None, last_name="관", first_name="리", is_superuser=True
    )
    return rnd, stage, admin


def run() -> None:

    from django.test import override_settings

    rnd, stage, admin = _setup()
    # Pages render with plain static storage: the bench has no collectstatic manifest.
    plain = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain, ALLOWED_HOSTS=["testserver"]):
        _measure(rnd, stage, admin)


def _measure(rnd: object, stage: object, admin: object) -> None:
    from django.test import Client
    from django.urls import reverse

    from contests import selectors, services

    client = Client()
    client.force_login(admin)
    report(
        f"results_compute {ENTRIES} entries × {MEMBERS} members",
        measure(lambda: services.results_compute(stage=stage), repeat=5, warmup=1),
    )
    url = reverse("contests:stage_results", args=[stage.pk])
    for label, page_url in (("first page", url), ("page 12 (last)", url + "?page=12")):
        response = client.get(page_url)
        assert response.status_code == 200, response.status_code
        report(
            f"GET results page, {label} ({len(response.content) // 1024} kB)",
            measure(lambda page_url=page_url: client.get(page_url), repeat=20, warmup=2),
        )
    # scores.xlsx is built in the background (downloads): the web request only queues it and
    # redirects to the progress page (the worker is stubbed out here, as a broker would take
    # it); the build itself is measured on its own.
    from unittest import mock

    from contests import exports
    from downloads.models import Download

    def ask() -> None:
        Download.objects.filter(kind="contests.scores_xlsx").delete()
        response = client.get(reverse("contests:stage_scores_export", args=[stage.pk]))
        assert response.status_code == 302, response.status_code

    with mock.patch("downloads.services.download_build.delay"):
        report("scores.xlsx request: queue the build, redirect", measure(ask, repeat=20, warmup=2))
    Download.objects.filter(kind="contests.scores_xlsx").delete()
    report(
        "GET scores.xlsx, its background build (30,000 scores)",
        measure(lambda: exports.scores_workbook(stage=stage), repeat=3, warmup=1),
    )
    report(
        f"budget_summary over {PAYMENTS} payments",
        measure(lambda: selectors.budget_summary(year=2016), repeat=30),
    )
    report(
        "GET budget page (200 latest shown)",
        measure(lambda: client.get(reverse("contests:budget_year", args=[2016])), repeat=10),
    )
