"""The 지식나눔 board at city scale: 200,000 posts, 1,000,000 comments, 5,000,000 views by
1,200 staff, generated in SQL (no ORM row by row). Measures the list page, the post page,
keyword search (a two-syllable Korean word, a longer one, two words) and the duplicate lookup,
through Django's test client and the selectors, as a logged-in staff member would hit them.

Post text is Korean: nouns with particles from a 3,000-word vocabulary (Zipf-like use), and
the stored search keys (``normalized``, ``search_grams``) are computed the way the services
compute them, per word, then assembled in SQL. The data stays; a second run skips generation.
"""

import itertools
import os
import random
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.db.models import QuerySet

from bench.common import measure, record, report

POSTS = 200_000
COMMENTS = 1_000_000
VIEWS = 5_000_000
USERS = 1_200
PREFIX = "bbd_"
SEED = 2016

BASE_NOUNS = (
    "주민 참여 예산 도서관 운영 시간 연장 개방 주차장 야간 주말 민원 서류 발급 무인 "
    "안내 점자 음성 복지 어르신 장애인 아동 청소년 여성 가족 보건 건강 검진 예방 접종 "
    "환경 청소 재활용 쓰레기 폐기물 수거 배출 분리 공원 녹지 나무 산책로 하천 도로 "
    "보도 횡단 신호 교통 버스 정류장 택시 자전거 보행 안전 방범 조명 가로등 재난 "
    "대피 소방 화재 지진 폭염 한파 쉼터 경로당 문화 축제 관광 시장 상인 골목 상권 "
    "일자리 창업 취업 교육 학교 학습 강좌 평생 체육 시설 수영장 체육관 공연 전시 "
    "예술 역사 문화재 한옥 주택 임대 재개발 정비 건축 허가 신고 세금 체납 징수 "
    "세외 수입 예산 절감 회계 계약 입찰 감사 청렴 민원실 창구 대기 번호표 전화 "
    "상담 콜센터 홈페이지 모바일 앱 전자 결재 문서 보고 회의 협업 부서 업무 매뉴얼 "
    "절차 간소화 개선 혁신 제도 규정 조례 지침 계획 공약 과제 성과 평가 지표 통계 "
    "자료 데이터 정보 공개 시스템 전산 보안 개인 정보 보호 홍보 소식지 게시판 "
    "현수막 안내판 표지판 지도 위치 주소 도로명 번지 동네 마을 공동체 자원봉사 "
    "기부 나눔 푸드 뱅크 급식 도시락 배달 방문 돌봄 간호 치매 우울 상담소 "
    "센터 주민센터 구청 의회 위원회 심사 제안 벤치마킹 우수 사례 타지역 해외 연수 "
    "동아리 분임 토론 연구 보고서 발표 경진 대회 시상 포상 인센티브 휴가 마일리지 "
    "에너지 태양광 전기 절약 냉난방 단열 누수 상수도 하수도 빗물 저류 침수 배수 "
    "소음 진동 먼지 미세 공기 측정 흡연 금연 구역 단속 과태료 불법 광고물 노점 "
    "반려 동물 유기 입양 등록 진료 예약 온라인 비대면 키오스크 무료 와이파이 충전"
).split()
PARTICLES = ["", "", "을", "를", "이", "가", "은", "는", "의", "에", "에서", "으로", "과", "도"]
ENDINGS = ["해 주세요", "필요합니다", "제안합니다", "공유합니다", "개선 요청", "사례 소개"]
VOCAB_SIZE = 3_000


def _vocabulary() -> list[str]:
    """3,000 nouns: the base nouns, then two-noun compounds (주차장안내, 도서관운영 …)."""
    rng = random.Random(SEED)
    base = list(dict.fromkeys(BASE_NOUNS))
    words = list(base)
    seen = set(words)
    while len(words) < VOCAB_SIZE:
        word = rng.choice(base) + rng.choice(base)
        if word not in seen:
            seen.add(word)
            words.append(word)
    rng.shuffle(words)
    return words


def _grams(word: str) -> list[str]:
    return [word[i : i + 2] for i in range(len(word) - 1)] or [word]


def _users() -> tuple[list[int], list[int]]:
    """1,200 staff with profiles in 30 departments; returns (user ids, department ids)."""
    from django.contrib.auth import get_user_model

    from org.models import Bureau, Department, StaffProfile

    User = get_user_model()
    bureau, _ = Bureau.objects.get_or_create(name="벤치게시판국", defaults={"order": 98})
    depts = [
        Department.objects.get_or_create(name=f"벤치게시판{i:02d}과", defaults={"bureau": bureau})[
            0
        ]
        for i in range(30)
    ]
    dept_ids = [d.pk for d in depts]
    if User.objects.filter(username__startswith=PREFIX).count() < USERS:
        with transaction.atomic(), connection.cursor() as cur:
            cur.execute(
                """
                INSERT INTO auth_user (password, is_superuser, username, first_name, last_name,
                    email, is_staff, is_active, date_joined)
                SELECT '!', false, %s || lpad(g::text, 5, '0'), '직원' || g, '박', '', false,
                       true, now()
                FROM generate_series(1, %s) g ON CONFLICT (username) DO NOTHING
                """,
                [PREFIX, USERS],
            )
    # Profiles through the ORM: every column's default comes from the model (org adds
    # fields; a raw INSERT would miss their defaults on a fresh database).
    StaffProfile.objects.bulk_create(
        [
            StaffProfile(user_id=pk, department_id=dept_ids[pk % 30], position="officer")
            for pk in User.objects.filter(
                username__startswith=PREFIX, staff_profile__isnull=True
            ).values_list("pk", flat=True)
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    ids = list(
        User.objects.filter(username__startswith=PREFIX).order_by("pk").values_list("pk", flat=True)
    )
    return ids, dept_ids


def _bench_posts() -> int:
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM board_post p JOIN auth_user u ON u.id = p.author_id "
            "WHERE u.username LIKE %s",
            [f"{PREFIX}%"],
        )
        return cur.fetchone()[0]


def _tally() -> None:
    """The dashboard's monthly summary of the posts: the bulk INSERT bypassed the services
    that keep it (``manage.py board_rebuild_tally``; writes only what differs)."""
    from board.tally import rebuild

    start = time.perf_counter()
    cells, written = rebuild()
    print(
        f"  monthly tally: {cells:,} cells, {written:,} written "
        f"({time.perf_counter() - start:.1f} s)",
        flush=True,
    )


def _generate(user_ids: list[int], dept_ids: list[int]) -> None:
    from board.models import MonthlyTally

    if _bench_posts() >= POSTS:
        print(f"  data: {POSTS:,} bench posts already there (skipping generation)", flush=True)
        if not MonthlyTally.objects.exists():
            _tally()
        return
    vocab = _vocabulary()
    forms, form_noun, form_grams = [], [], []
    for noun in vocab:
        for particle in PARTICLES[:8]:
            forms.append(noun + particle)
            form_noun.append(noun)
            form_grams.append(" ".join(dict.fromkeys(_grams(noun + particle))))
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        # Bulk load: skip FK triggers (the ids are right by construction) and rebuild the
        # GIN indexes once at the end instead of row by row.
        cur.execute("SET LOCAL session_replication_role = replica")
        cur.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cur.execute("SET LOCAL work_mem = '64MB'")
        cur.execute("DROP INDEX IF EXISTS board_post_normalized_trgm")
        cur.execute("DROP INDEX IF EXISTS board_post_grams_fts")
        cur.execute(
            "CREATE TEMP TABLE bb_form (id int PRIMARY KEY, form text, noun text, grams text) "
            "ON COMMIT DROP"
        )
        cur.execute(
            "INSERT INTO bb_form SELECT i, f, n, g "
            "FROM unnest(%s::text[], %s::text[], %s::text[]) WITH ORDINALITY AS t(f, n, g, i)",
            [forms, form_noun, form_grams],
        )
        nforms = len(forms)
        # Each post: 5 title words and 40 body words, picked Zipf-like (small ids often).
        cur.execute(
            """
            CREATE TEMP TABLE bb_pick ON COMMIT DROP AS
            SELECT p, w, 1 + floor(%(n)s * power(random(), 2.2))::int AS form_id
            FROM generate_series(1, %(posts)s) p, generate_series(1, 45) w
            """,
            {"n": nforms, "posts": POSTS},
        )
        cur.execute("CREATE INDEX ON bb_pick (p)")
        print(f"  words picked ({time.perf_counter() - start:.0f} s)", flush=True)
        cur.execute(
            """
            CREATE TEMP TABLE bb_text ON COMMIT DROP AS
            SELECT k.p,
                   string_agg(f.noun, ' ' ORDER BY k.w) FILTER (WHERE k.w <= 5) AS title_words,
                   string_agg(f.form, ' ' ORDER BY k.w) FILTER (WHERE k.w > 5) AS body_words,
                   '' AS normalized,
                   (SELECT string_agg(DISTINCT g, ' ')
                     FROM unnest(string_to_array(string_agg(f.grams, ' '), ' ')) g)
                       AS grams
            FROM bb_pick k JOIN bb_form f ON f.id = k.form_id
            GROUP BY k.p
            """
        )
        print(f"  texts assembled ({time.perf_counter() - start:.0f} s)", flush=True)
        cur.execute(
            """
            INSERT INTO board_post (area, author_id, department_id, title, body, body_html,
                body_text, normalized, title_key, search_grams, status, submitted_at, reviewer_id,
                reviewed_at, reject_reason, duplicate_of_id, duplicate_marked_at,
                duplicate_marked_by_id, view_count, comment_count, created_at, updated_at)
            SELECT area, author, (%(depts)s::bigint[])[1 + author %% 30], title, body,
                   '<p>' || body || '</p>', body, normalized, '', grams, status,
                   CASE WHEN status <> 'draft' THEN ts END,
                   CASE WHEN status IN ('approved', 'rejected') THEN %(reviewer)s END,
                   CASE WHEN status IN ('approved', 'rejected') THEN ts + interval '1 day' END,
                   CASE WHEN status = 'rejected' THEN '내용을 보완해 다시 제출해 주세요.' ELSE '' END,
                   NULL, NULL, NULL, 0, 0, ts, ts
            FROM (
                SELECT t.p,
                       (ARRAY['proposal','club','worksharing','worksharing','docs'])[1 + t.p %% 5]
                           AS area,
                       (%(users)s::bigint[])[1 + (t.p * 7919) %% %(nusers)s] AS author,
                       t.title_words || ' ' || (%(endings)s::text[])[1 + t.p %% 6] AS title,
                       t.body_words AS body, t.normalized, t.grams,
                       CASE WHEN t.p %% 100 < 85 THEN 'approved'
                            WHEN t.p %% 100 < 93 THEN 'submitted'
                            WHEN t.p %% 100 < 98 THEN 'rejected' ELSE 'draft' END AS status,
                       now() - (interval '5 years') * (t.p::float / %(posts)s) AS ts
                FROM bb_text t
            ) s
            ORDER BY p DESC
            """,
            {
                "depts": dept_ids, "users": user_ids, "nusers": len(user_ids),
                "endings": ENDINGS, "posts": POSTS, "reviewer": user_ids[0],
            },
        )  # fmt: skip
        print(f"  {POSTS:,} posts ({time.perf_counter() - start:.0f} s)", flush=True)
        cur.execute(
            "SELECT min(p.id), max(p.id) FROM board_post p JOIN auth_user u ON u.id = p.author_id "
            "WHERE u.username LIKE %s",
            [f"{PREFIX}%"],
        )
        first_post, last_post = cur.fetchone()
        cur.execute(
            """
            INSERT INTO board_comment (post_id, author_id, body, created_at, updated_at,
                removed_at, removed_by_id)
            SELECT p.id, (%(users)s::bigint[])[1 + (g * 104729) %% %(nusers)s],
                   (ARRAY['좋은 의견입니다. 우리 부서에도 적용해 보겠습니다.',
                          '관련 자료를 공유해 주셔서 감사합니다.',
                          '예산 확보 방안도 함께 검토하면 좋겠습니다.',
                          '주민 반응이 궁금합니다. 시범 운영 결과를 알려 주세요.'])[1 + g %% 4],
                   p.created_at + interval '1 hour' * (1 + g %% 500),
                   p.created_at + interval '1 hour' * (1 + g %% 500),
                   CASE WHEN g %% 50 = 0 THEN p.created_at + interval '600 hours' END,
                   CASE WHEN g %% 50 = 0 THEN (%(users)s::bigint[])[1 + (g * 104729) %% %(nusers)s] END
            FROM generate_series(1::bigint, %(n)s) g
            JOIN board_post p ON p.id = %(first)s + (g * 2654435761) %% (%(last)s - %(first)s + 1)
            WHERE p.status = 'approved'
            """,
            {
                "users": user_ids, "nusers": len(user_ids), "n": int(COMMENTS / 0.85),
                "first": first_post, "last": last_post,
            },
        )  # fmt: skip
        print(f"  {cur.rowcount:,} comments ({time.perf_counter() - start:.0f} s)", flush=True)
        # 25 distinct readers per post: for a fixed post, k*37 mod 1200 never repeats (k < 25).
        cur.execute(
            """
            INSERT INTO board_postview (post_id, viewer_id, viewed_at)
            SELECT p.id, (%(users)s::bigint[])[1 + ((g / %(posts)s) * 37 + p.id * 13) %% %(nusers)s],
                   p.created_at + interval '1 hour' * (1 + g %% 700)
            FROM generate_series(0::bigint, %(n)s - 1) g
            JOIN board_post p ON p.id = %(first)s + g %% %(posts)s
            WHERE p.author_id <> (%(users)s::bigint[])[1 + ((g / %(posts)s) * 37 + p.id * 13) %% %(nusers)s]
            """,
            {
                "users": user_ids, "nusers": len(user_ids), "n": VIEWS, "posts": POSTS,
                "first": first_post,
            },
        )  # fmt: skip
        print(f"  {cur.rowcount:,} views ({time.perf_counter() - start:.0f} s)", flush=True)
        cur.execute(
            """
            UPDATE board_post p SET view_count = v.n
            FROM (SELECT post_id, count(*) n FROM board_postview GROUP BY post_id) v
            WHERE v.post_id = p.id
            """
        )
        cur.execute(
            """
            UPDATE board_post p SET comment_count = c.n
            FROM (SELECT post_id, count(*) n FROM board_comment
                  WHERE removed_at IS NULL GROUP BY post_id) c
            WHERE c.post_id = p.id
            """
        )
        print(f"  counters ({time.perf_counter() - start:.0f} s)", flush=True)
        cur.execute("CREATE INDEX board_post_grams_fts ON board_post USING gin (search_vector)")
        print(f"  GIN indexes ({time.perf_counter() - start:.0f} s)", flush=True)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE board_post")
        cur.execute("VACUUM ANALYZE board_comment")
        cur.execute("VACUUM ANALYZE board_postview")
    _tally()
    print(f"  generated in {time.perf_counter() - start:.0f} s", flush=True)


def _keys() -> dict[str, float] | None:
    """Compute every post's duplicate and search keys with the portal's own code (Kiwi, as a
    post being saved gets them): ``board.services.post_keys_rebuild``, the service of
    ``manage.py board_rebuild_keys``, resumable. Returns its rate (issue 15 #4: >= 1,000/s),
    counted to the end of the run (the search index and the word index rebuilt included)."""
    from board.models import KeyRebuild
    from board.services import post_keys_rebuild

    if KeyRebuild.objects.filter(finished_at__isnull=False).exists():
        return None
    start = time.perf_counter()
    done_at_start = (
        KeyRebuild.objects.filter(finished_at__isnull=True).values_list("done", flat=True).first()
        or 0
    )

    def progress(run: object, processed: int) -> None:
        if processed % 20_000 < 2_000:
            rate = processed / (time.perf_counter() - start)
            print(f"  keys: {run.done:,}/{run.total:,} posts, {rate:,.0f} posts/s", flush=True)

    run = post_keys_rebuild(progress=progress)
    elapsed = time.perf_counter() - start
    done = run.done - done_at_start
    print(
        f"  duplicate and search keys for {done:,} posts in {elapsed:.0f} s "
        f"({done / max(elapsed, 1e-6):,.0f} posts/s, board_rebuild_keys)",
        flush=True,
    )
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE board_post")
        cur.execute("VACUUM ANALYZE board_similarityword")
    return {"posts": done, "seconds": elapsed, "rate": done / max(elapsed, 1e-6)}


# bench.load builds the board's data through these names.
_rebuild_keys = _keys


def _stale_keys() -> None:
    """Blank every post's keys (BOARD_REBUILD=1): the next run must rewrite all of them."""
    from board.models import KeyRebuild

    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL board.simwords_paused = 'on'")
        cur.execute("UPDATE board_post SET normalized = '', title_key = '', search_grams = ''")
        KeyRebuild.objects.all().delete()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE board_post")


def run() -> None:
    from django.test import override_settings

    user_ids, dept_ids = _users()
    _generate(user_ids, dept_ids)
    if os.environ.get("BOARD_REBUILD") == "1":
        _stale_keys()
    rebuilt = _keys()
    # Pages render with plain static storage (no collectstatic manifest in the bench).
    plain = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain, ALLOWED_HOSTS=["testserver"]):
        _measure(dept_ids)
    _measure_http()
    _measure_duplicates()
    if rebuilt:
        record("rebuild keys", {"posts_per_s": rebuilt["rate"], **rebuilt})
        print(
            f"  {'rebuild keys (board_rebuild_keys, every key rewritten)':<48} "
            f"{rebuilt['rate']:9,.0f} posts/s  ({rebuilt['posts']:,.0f} posts in "
            f"{rebuilt['seconds']:.0f} s, indexes rebuilt included)",
            flush=True,
        )
    else:
        print("  rebuild keys: keys already current (BOARD_REBUILD=1 rewrites them all)")


def _measure(dept_ids: list[int]) -> None:
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from board import selectors
    from board.models import Post

    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM board_post")
        posts = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM board_comment")
        comments = cur.fetchone()[0]
        cur.execute("SELECT count(*) FROM board_postview")
        views = cur.fetchone()[0]
    print(f"  data: {posts:,} posts, {comments:,} comments, {views:,} views", flush=True)

    reader = get_user_model().objects.get(username=f"{PREFIX}00042")
    client = Client()
    client.force_login(reader)

    def get(url: str, **params: str) -> None:
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.status_code)

    area_url = reverse("board:area_list", args=["worksharing"])
    base = Post.objects.filter(area="worksharing", status="approved")
    total = base.count()
    # Words from a third of the posts down to a handful (the mid-frequency ones were the slow
    # ones last session: neither the recency walk nor the GIN bitmap is cheap for them).
    for term in SEARCH_WORDS:
        n = selectors.search(base, term).count()
        print(f"  ('{term}' is in {n:,} of {total:,} approved 업무나눔터 posts)", flush=True)
    for term in SEARCH_WORDS:
        report(
            f"search '{term}' (list page, Django client)",
            measure(lambda t=term: get(area_url, keyword=t)),
        )
    search_url = reverse("board:search")
    report(
        "search page, every area, '주차장을 개방'",
        measure(lambda: get(search_url, keyword="주차장을 개방")),
    )
    report("list page (Django client)", measure(lambda: get(area_url)))
    report("list page (page 500)", measure(lambda: get(area_url, page="500")))
    report(
        "list page (department + period filter)",
        measure(lambda: get(area_url, department=str(dept_ids[3]), period="year")),
    )
    report("list page sorted by views", measure(lambda: get(area_url, sort="views")))
    _measure_post_page(get, base)


def _measure_post_page(get: Callable[[str], None], base: QuerySet[Any]) -> None:
    """The post page in-process, with its shared part and page content in the cache (a
    return visit) and without (the post's version moved first: a post nobody opened in the
    last ``board.pagecache.PART_SECONDS``): what the load test's first views pay on top, per
    request, apart from the load. The reader's views are recorded by the warm-up, so
    neither figure includes the view's job."""
    from django.urls import reverse

    from board import pagecache

    urls = {
        pk: reverse("board:post_detail", args=[pk])
        for pk in base.filter(comment_count__gte=5)
        .order_by("-id")
        .values_list("pk", flat=True)[:40]
    }
    cycle = itertools.cycle(urls.items())

    def cached() -> None:
        get(next(cycle)[1])

    def not_cached() -> None:
        pk, url = next(cycle)
        pagecache.bump(posts=[pk])
        get(url)

    for url in urls.values():
        get(url)
    report("post page, cached part (Django client)", measure(cached, repeat=40))
    report("post page, part not cached (Django client)", measure(not_cached, repeat=40))


# Common (주차장: a third of the posts) to rare, with particles and two-word queries.
SEARCH_WORDS = ("주차장", "도서", "주차장을", "문서", "감사", "체육관", "야간 개방", "키오스크충전")


def _wrk(label: str, url: str, cookie: str, paths: list[str]) -> str:
    """wrk on ``url``'s server, each request the next of ``paths`` (bench.load's script)."""
    from bench.load import LUA

    seconds = os.environ.get("LOAD_SECONDS", "10")
    quoted = ", ".join('"' + p.replace("\\", "\\\\").replace('"', '\\"') + '"' for p in paths)
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as lua:
        lua.write(LUA % {"paths": quoted})
    try:
        out = subprocess.run(  # noqa: S603
            [shutil.which("wrk") or "wrk", "-t2", "-c4", f"-d{seconds}s", "-s", lua.name, "-H", f"Cookie: {cookie}", url],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    finally:
        os.unlink(lua.name)
    line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT")), None)
    if line is None:
        return f"wrk failed: {out.stderr.strip()[:200]}"
    rps, p50, p95, p99, errors, total = line.split()[1:]
    record(
        label,
        {"rps": float(rps), "p50_ms": float(p50), "p95_ms": float(p95), "p99_ms": float(p99),
         "errors": int(errors), "requests": int(total)},
    )  # fmt: skip
    return (
        f"{float(rps):7.1f} req/s  p50 {float(p50):6.1f} ms  p95 {float(p95):6.1f} ms  "
        f"p99 {float(p99):6.1f} ms  ({errors} errors / {total})"
    )


def _measure_http() -> None:
    """The list page and the post page through gunicorn (2 sync workers, DEBUG off), wrk
    -t2 -c4, logged in as a staff member (bench.load's server and session)."""
    from django.urls import reverse

    from bench.load import _free_port, _session_cookie, _start_gunicorn
    from board.models import Post

    if not shutil.which("wrk"):
        print("  wrk is not installed: list and post page load test skipped", flush=True)
        return
    from django.contrib.auth import get_user_model

    cookie = _session_cookie(get_user_model().objects.get(username=f"{PREFIX}00042"))
    posts = list(
        Post.objects.filter(status="approved", area="worksharing", comment_count__gte=5)
        .order_by("-id")
        .values_list("pk", flat=True)[:50]
    )
    area = reverse("board:area_list", args=["worksharing"])
    port = _free_port()
    proc = _start_gunicorn(port)
    try:
        pages = [
            ("list page (업무나눔터, gunicorn)", [area]),
            # 50 posts in turn: the first view of each is recorded (the counter write).
            (
                "post page (~5 comments, gunicorn)",
                [reverse("board:post_detail", args=[pk]) for pk in posts],
            ),
            ("search '주차장' (gunicorn)", [area + "?keyword=%EC%A3%BC%EC%B0%A8%EC%9E%A5"]),
            ("search '체육관' (gunicorn)", [area + "?keyword=%EC%B2%B4%EC%9C%A1%EA%B4%80"]),
        ]
        for label, paths in pages:
            url = f"http://127.0.0.1:{port}{paths[0]}"
            for _ in range(5):
                urllib.request.urlopen(
                    urllib.request.Request(url, headers={"Cookie": cookie}), timeout=60
                ).read()
            print(f"  {label:<48} {_wrk(label, url, cookie, paths)}", flush=True)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)


def _measure_duplicates() -> None:
    """The duplicate lookup on the board (a draft like an existing proposal-area post),
    through textsim.similar (bench.proposals measures the proposals' own)."""
    from board import selectors
    from board.models import Post

    drafts = list(
        Post.objects.filter(area="proposal", status="approved")
        .order_by("?")
        .values_list("title", "body_text")[:60]
    )
    cycle = iter(drafts)
    found: list[int] = []

    def lookup() -> None:
        title, body = next(cycle)
        found.append(
            len(selectors.duplicate_candidates(title=title, body=body[:400], area="proposal"))
        )

    report("duplicate lookup, board (Kiwi + word index)", measure(lookup, repeat=50, warmup=3))
    print(f"  (candidates per lookup: median {sorted(found)[len(found) // 2]}, max {max(found)})")
    # The proposals' lookup is measured by bench.proposals, on the proposals it builds.
