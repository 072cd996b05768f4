"""Proposals at scale: 200,000 proposals over ~19 years (two thirds residents, a third staff),
generated in SQL. Measures the admin list, the statistics page, the status lookup, the
intake duplicate check (pg_trgm), a whole resident submission and the overdue scan."""

from django.db import connection, transaction

from bench.common import measure, report

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
    expected_effect, author_id, proposer_name, phone, email, dong, consent_version,
    consented_at, retain_until, attachment, attachment_name, status, status_changed_at,
    answer, paused_days, delay_reason, link_kind, normalized_text, grade, prize_won, created_at,
    publish_if_adopted
)
SELECT
    '{PREFIX}' || CASE WHEN g %% 3 = 0 THEN 'S' ELSE 'R' END || '-' || lpad(g::text, 6, '0'),
    CASE WHEN g %% 3 = 0 THEN 'staff' ELSE 'resident' END,
    CASE WHEN g %% 3 = 0 THEN 'board'
         ELSE (ARRAY['web','web','epeople','mail','visit_office','visit_dong'])[1 + g %% 6] END,
    now() - g * interval '50 minutes',
    'bench 제안 ' || g, '', '제안 내용 ' || g, '',
    CASE WHEN g %% 3 = 0 THEN %(author)s END,
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
FROM generate_series(1, {N}) AS g, (SELECT %(words)s::text[] AS w) AS words
"""


def _setup() -> object:
    from org.roles import Role
    from org.services import staff_create
    from proposals.services import history_seed, statistics_tally_rebuild

    admin = staff_create(
        username="bench_prop_admin", password=None, last_name="벤",
        first_name="관리", roles=(Role.PORTAL_ADMIN, Role.STAFF),
    )  # fmt: skip
    author = staff_create(
        username="bench_prop_staff", password=None, last_name="벤", first_name="직원"
    )
    with transaction.atomic(), connection.cursor() as cur:
        for table in ("proposals_proposalevent", "proposals_personaldataaccess"):
            cur.execute(
                f"DELETE FROM {table} WHERE proposal_id IN "
                "(SELECT id FROM proposals_proposal WHERE receipt_number LIKE %s "
                "OR title LIKE %s)",
                [f"{PREFIX}%", "bench submit%"],
            )
        cur.execute(
            "DELETE FROM proposals_proposal WHERE receipt_number LIKE %s OR title LIKE %s",
            [f"{PREFIX}%", "bench submit%"],
        )
        cur.execute(INSERT, {"author": author.pk, "words": WORDS})
    with connection.cursor() as cur:
        cur.execute("ANALYZE proposals_proposal")
    statistics_tally_rebuild()  # the bulk INSERT bypassed the services that keep the summary
    history_seed()
    return admin


def run() -> None:

    from django.conf import settings
    from django.test.utils import override_settings

    from proposals.models import Proposal

    admin = _setup()
    print(f"  data: {Proposal.objects.count():,} proposals", flush=True)
    # Pages render with plain static storage: the bench has no collectstatic manifest.
    plain = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # fmt: skip
    with override_settings(STORAGES=plain, ALLOWED_HOSTS=["testserver"]):
        _measure(admin)


def _measure(admin: object) -> None:
    from django.test import Client
    from django.utils import timezone

    from proposals import selectors, services
    from proposals.consent import CURRENT_VERSION
    from proposals.models import Proposal

    client = Client()
    client.force_login(admin)

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    report("admin list /proposals/ (page 1 of 50)", measure(lambda: get("/proposals/"), repeat=20))
    report(
        "admin list filtered (resident, 국민신문고, page 100)",
        measure(lambda: get("/proposals/?kind=resident&channel=epeople&page=100"), repeat=20),
    )
    report("statistics page (all years)", measure(lambda: get("/proposals/statistics/"), repeat=10))
    year = timezone.localdate().year - 1
    report(
        f"half_year_statistics(year={year})",
        measure(lambda: selectors.half_year_statistics(year=year)),
    )
    sample = Proposal.objects.filter(receipt_number=f"{PREFIX}R-012346").get()
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
