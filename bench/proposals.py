"""Proposals at scale (issue 14): 200,000 proposals over ~19 years (two thirds residents, a
third staff written by the city's 51,358 staff), generated in SQL; built once and reused while
the count matches. Measures every proposals admin page (list, detail, statistics, evaluations,
themes, benchmarks, access log), the residents' CSV export (133k rows, its access log of one
row per proposal), the status lookup, the intake duplicate check (pg_trgm), a whole resident
submission and the overdue scan. Budgets (issue 14): list p95 < 60 ms, statistics < 100 ms,
export < 5 s."""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from bench import clubs
from bench.common import measure, report
from org.models import Department
from org.roles import Role
from org.services import staff_create
from proposals import selectors, services
from proposals.consent import CURRENT_VERSION
from proposals.models import (
    BenchmarkCase,
    Evaluation,
    PersonalDataAccess,
    Proposal,
    ProposerKind,
    ThemeRound,
    ThemeTask,
)
from proposals.services import history_seed, statistics_tally_rebuild

N = 200_000
PREFIX = "1900-"  # bench receipts: a year no real proposal has
WORDS = [
    "가로등", "골목길", "주차장", "민원", "도서관", "쓰레기", "공원", "어르신", "청소년", "교통",
    "안전", "복지", "주민센터", "예산", "관광", "환경", "건강", "문화", "일자리", "주거",
    "횡단보도", "자전거", "버스", "시장", "하천", "놀이터", "경로당", "보건소", "미세먼지", "소음",
]  # fmt: skip

INSERT = f"""
INSERT INTO proposals_proposal (
    receipt_number, kind, channel, received_at, title, current_problem, content,
    expected_effect, author_id, department_id, proposer_name, phone, email, dong,
    consent_version, consented_at, retain_until, attachment, attachment_name, status,
    status_changed_at, answer, paused_days, delay_reason, link_kind, normalized_text, grade,
    prize_won, created_at, publish_if_adopted
)
SELECT
    '{PREFIX}' || CASE WHEN g %% 3 = 0 THEN 'S' ELSE 'R' END || '-' || lpad(g::text, 6, '0'),
    CASE WHEN g %% 3 = 0 THEN 'staff' ELSE 'resident' END,
    CASE WHEN g %% 3 = 0 THEN 'board'
         ELSE (ARRAY['web','web','epeople','mail','visit_office','visit_dong'])[1 + g %% 6] END,
    now() - g * interval '50 minutes',
    'bench 제안 ' || g, '', '제안 내용 ' || g, '',
    -- staff proposals by the city's staff (one in 100 by the bench's own staff member)
    CASE WHEN g %% 300 = 0 THEN %(author)s
         WHEN g %% 3 = 0 THEN staff[1 + (g / 3) %% array_length(staff, 1)] END,
    CASE WHEN g %% 2 = 0 THEN depts[1 + g %% array_length(depts, 1)] END,
    CASE WHEN g %% 3 = 0 THEN '' ELSE '김민수' END,
    CASE WHEN g %% 3 = 0 THEN '' ELSE '010-1234-' || lpad((g %% 10000)::text, 4, '0') END,
    '', '신당동',
    CASE WHEN g %% 3 = 0 THEN '' ELSE '2016-1' END,
    CASE WHEN g %% 3 = 0 THEN NULL ELSE now() - g * interval '50 minutes' END,
    (now() - g * interval '50 minutes' + interval '3 years')::date,
    '', '',
    CASE WHEN g %% 200 = 0 THEN 'reviewing' WHEN g %% 7 = 0 THEN 'awarded' ELSE 'rejected' END,
    now(), '', 0, '', '',
    -- five random nouns out of 900 (30 × 30 syllable pairs), as varied as real proposals
    w[1 + floor(random() * 30)::int] || w[1 + floor(random() * 30)::int] || ' '
        || w[1 + floor(random() * 30)::int] || w[1 + floor(random() * 30)::int] || ' '
        || w[1 + floor(random() * 30)::int] || w[1 + floor(random() * 30)::int] || ' '
        || w[1 + floor(random() * 30)::int] || w[1 + floor(random() * 30)::int] || ' '
        || w[1 + floor(random() * 30)::int] || w[1 + floor(random() * 30)::int],
    CASE WHEN g %% 7 = 0 THEN (ARRAY['grand','excellent','merit'])[1 + g %% 3] ELSE '' END,
    0, now(), g %% 2 = 0
FROM generate_series(1, {N}) AS g,
     (SELECT %(words)s::text[] AS w) AS words,
     -- the city's staff: every profile (bench.clubs tops them up to 51,358)
     (SELECT array_agg(user_id ORDER BY user_id) AS staff FROM org_staffprofile) AS s,
     (SELECT array_agg(id ORDER BY id) AS depts FROM org_department) AS d
"""
THEME_ROUNDS = 40  # 20 years, April and October
TASKS_PER_ROUND = 12
BENCHMARK_CASES = 2_000
EVALUATIONS = 40
BENCH_TITLE = "bench 벤치마킹"


def _staff_user(username: str, *, admin: bool = False) -> User:
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return existing
    roles = (Role.PORTAL_ADMIN, Role.STAFF) if admin else (Role.STAFF,)
    return staff_create(
        username=username, password=None, last_name="벤", first_name="관리" if admin else "직원",
        roles=roles,
    )  # fmt: skip


def _clean_runs() -> None:
    """What earlier measurement runs added: submissions and their logs, export logs."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "DELETE FROM proposals_personaldataaccess WHERE action = 'export' "
            "OR proposal_id IN (SELECT id FROM proposals_proposal WHERE title LIKE %s)",
            ["bench submit%"],
        )
        cur.execute(
            "DELETE FROM proposals_proposalevent WHERE proposal_id IN "
            "(SELECT id FROM proposals_proposal WHERE title LIKE %s)",
            ["bench submit%"],
        )
        cur.execute("DELETE FROM proposals_proposal WHERE title LIKE %s", ["bench submit%"])


def _proposals(author: User) -> None:
    """The 200,000 proposals, unless they are there already."""
    if Proposal.objects.filter(receipt_number__startswith=PREFIX).count() == N:
        return
    with transaction.atomic(), connection.cursor() as cur:
        for table in ("proposals_proposalevent", "proposals_personaldataaccess"):
            cur.execute(
                f"DELETE FROM {table} WHERE proposal_id IN "
                "(SELECT id FROM proposals_proposal WHERE receipt_number LIKE %s)",
                [f"{PREFIX}%"],
            )
        cur.execute("DELETE FROM proposals_proposal WHERE receipt_number LIKE %s", [f"{PREFIX}%"])
        cur.execute(
            INSERT,
            {"author": author.pk, "words": WORDS, "staff_like": f"{clubs.CITY_PREFIX}%"},
        )
    with connection.cursor() as cur:
        cur.execute("ANALYZE proposals_proposal")
    statistics_tally_rebuild()  # the bulk INSERT bypassed the services that keep the summary


def _admin_pages_data(admin: User) -> None:
    """Theme rounds and tasks, benchmarking cases and evaluations of 20 years (once)."""
    if BenchmarkCase.objects.filter(title__startswith=BENCH_TITLE).exists():
        return
    departments = list(Department.objects.order_by("pk")[: TASKS_PER_ROUND * 5])
    now = timezone.now()
    rounds = ThemeRound.objects.bulk_create(
        ThemeRound(
            title=f"bench 테마제안 {2000 + i // 2}년 {4 if i % 2 == 0 else 10}월",
            opens_on=date(2000 + i // 2, 4 if i % 2 == 0 else 10, 1),
            closes_on=date(2000 + i // 2, 4 if i % 2 == 0 else 10, 28),
            created_by=admin,
        )
        for i in range(THEME_ROUNDS)
    )
    ThemeTask.objects.bulk_create(
        ThemeTask(
            round=r, department=departments[(i + k) % len(departments)],
            title=f"전략과제 {k + 1}", created_by=admin,
        )
        for i, r in enumerate(rounds)
        for k in range(TASKS_PER_ROUND)
    )  # fmt: skip
    BenchmarkCase.objects.bulk_create(
        BenchmarkCase(
            title=f"{BENCH_TITLE} {i}", origin="성동구", summary="스마트 횡단보도",
            source=BenchmarkCase.Source.PRESS, source_date=date(2016, 3, 2),
            department=departments[i % len(departments)], registered_by=admin,
            registered_at=now - timedelta(days=i),
        )
        for i in range(BENCHMARK_CASES)
    )  # fmt: skip
    Evaluation.objects.bulk_create(
        Evaluation(
            title=f"bench 심사 {2000 + i // 2}년 {'상' if i % 2 == 0 else '하'}반기",
            kind=Evaluation.Kind.HALF_YEAR,
            period_start=date(2000 + i // 2, 1 if i % 2 == 0 else 7, 1),
            period_end=date(2000 + i // 2, 6 if i % 2 == 0 else 12, 28),
            created_by=admin, created_at=now,
        )
        for i in range(EVALUATIONS)
    )  # fmt: skip


def _setup() -> User:
    clubs._city_staff()  # the same 51,358 staff as the clubs bench (built once)
    admin = _staff_user("bench_prop_admin", admin=True)
    author = _staff_user("bench_prop_staff")
    _clean_runs()
    _proposals(author)
    _admin_pages_data(admin)
    history_seed()
    with connection.cursor() as cur:
        # As autovacuum would after a bulk load or the clean-up of earlier runs' export logs:
        # visibility maps for index-only counts, planner statistics, no dead index entries.
        cur.execute("VACUUM ANALYZE proposals_proposal, proposals_personaldataaccess")
    return admin


def run() -> None:
    admin = _setup()
    residents = Proposal.objects.filter(kind=ProposerKind.RESIDENT).count()
    print(
        f"  data: {Proposal.objects.count():,} proposals ({residents:,} residents'), "
        f"{User.objects.filter(staff_profile__isnull=False).count():,} staff",
        flush=True,
    )
    # Pages render with plain static storage: the bench has no collectstatic manifest.
    plain = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # fmt: skip
    with override_settings(STORAGES=plain, ALLOWED_HOSTS=["testserver"], DEBUG=False):
        _measure(admin)


def _duplicate_lookup() -> None:
    """The duplicate lookup of a proposal (proposals.selectors.duplicate_candidates, pg_trgm
    over the normalized texts) for 50 of the built proposals in turn."""
    n = Proposal.objects.count()
    samples = iter(list(Proposal.objects.exclude(normalized_text="").order_by("?")[:60]))
    hits: list[int] = []

    def lookup() -> None:
        hits.append(len(selectors.duplicate_candidates(proposal=next(samples))))

    report(f"duplicate lookup, proposals ({n:,})", measure(lookup, repeat=50, warmup=3))
    print(f"  (candidates per lookup: median {sorted(hits)[len(hits) // 2]}, max {max(hits)})")


def _measure(admin: User) -> None:
    client = Client()
    client.force_login(admin)

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    _duplicate_lookup()
    report("admin list /proposals/ (page 1)", measure(lambda: get("/proposals/"), repeat=30))
    report(
        "admin list filtered (resident, 국민신문고, page 100)",
        measure(lambda: get("/proposals/?kind=resident&channel=epeople&page=100"), repeat=20),
    )
    report(
        "admin list filtered (status 검토중)",
        measure(lambda: get("/proposals/?status=reviewing"), repeat=20),
    )
    report("statistics page (all years)", measure(lambda: get("/proposals/statistics/"), repeat=20))
    sample = Proposal.objects.filter(receipt_number=f"{PREFIX}R-012346").get()
    report(
        "admin detail /proposals/<pk>/ (resident)",
        measure(lambda: get(f"/proposals/{sample.pk}/"), repeat=20),
    )
    report("evaluations page", measure(lambda: get("/proposals/evaluations/"), repeat=20))
    report("theme rounds page", measure(lambda: get("/proposals/themes/"), repeat=20))
    theme = ThemeRound.objects.filter(title__startswith="bench 테마제안").first()
    if theme is not None:
        report(
            "theme round detail",
            measure(lambda: get(f"/proposals/themes/{theme.pk}/"), repeat=20),
        )
    report("benchmarking page", measure(lambda: get("/proposals/benchmarking/"), repeat=20))
    case = BenchmarkCase.objects.filter(title__startswith=BENCH_TITLE).first()
    if case is not None:
        report(
            "benchmarking case detail",
            measure(lambda: get(f"/proposals/benchmarking/{case.pk}/"), repeat=20),
        )

    exported: list[int] = []

    def export() -> None:
        response = client.get("/proposals/export/")
        assert response.status_code == 200
        exported.append(sum(part.count(b"\n") for part in response.streaming_content) - 1)

    report("residents' CSV export (streamed, logged)", measure(export, repeat=3, warmup=1))
    logged = PersonalDataAccess.objects.filter(action="export").count()
    print(f"  (export: {exported[-1]:,} rows a run, {logged:,} access-log rows for 4 runs)")
    report("access log page (after the exports)", measure(lambda: get("/proposals/access-log/")))
    _clean_runs()

    year = timezone.localdate().year - 1
    report(
        f"half_year_statistics(year={year})",
        measure(lambda: selectors.half_year_statistics(year=year)),
    )
    report(
        "status lookup (receipt + contact)",
        measure(
            lambda: selectors.proposal_by_receipt(
                receipt_number=sample.receipt_number, contact=sample.phone
            )
        ),  # fmt: skip
    )
    report(
        "duplicate candidates (pg_trgm)",
        measure(lambda: selectors.duplicate_candidates(proposal=sample)),
    )
    counter = iter(range(10**6))

    def submit() -> None:
        with transaction.atomic():
            services.resident_proposal_submit(
                title=f"bench submit {next(counter)} 골목길 가로등 밝기",
                content="신당동 골목길 가로등이 어두워 밤길이 위험합니다. 주차장 옆 골목입니다.",
                proposer_name="김민수", phone="010-1234-5678", dong="신당동",
                consent_version=CURRENT_VERSION,
            )  # fmt: skip

    report("resident submission (normalize + dup check)", measure(submit, repeat=20))
    report(
        "overdue banner (count + first 5)", measure(lambda: selectors.overdue_summary(), repeat=10)
    )
    report("adopted page /propose/adopted/", measure(lambda: get("/propose/adopted/"), repeat=20))
    _clean_runs()
