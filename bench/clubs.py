"""Learning clubs at scale: 20 years × 6 bureau clubs × 2 groups × 12 members, 35 meetings per
group a year (8,400 meetings, ~100,000 attendance rows), among a city's 51,358 staff.
Everything is generated here, in SQL where it is bulk, so a fresh database is enough; a second
run reuses the clubs while their counts match. The city's staff are shared with the other
modules: the 50,000 of ``bench.scoring`` (the 창의왕 ledger's people) topped up to 51,358.
Measures the index and club pages (the club page as an admin, who gets the member picker:
issue 14's budget is < 100 ms and < 100 kB), the people search behind every picker and the
Django admin's person autocomplete, the learning-hours sums and the HR export."""

import time
from datetime import date

from django.contrib.auth.models import User
from django.db import connection, transaction
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from bench import scoring
from bench.common import measure, report
from clubs import exports, selectors
from clubs.models import Club, Membership, StudyGroup
from common import periods
from org.models import Bureau, Department, StaffProfile
from org.services import staff_create

YEARS = range(2000, 2020)
BUREAUS = 6
MEMBERS = 12  # per group, plus nothing else: leader and secretary are among them
MEETINGS = 35  # per group per year
PREFIX = "bench_club"
CITY_STAFF = 51_358  # issue 14: the city's staff, every one a candidate in a person picker
CITY_PREFIX = "bcl_"
CITY_DEPARTMENTS = 60
BUDGET_MS, BUDGET_BYTES = 100, 100_000


def _active_staff() -> int:
    return StaffProfile.objects.filter(user__is_active=True).count()


def _city_staff() -> None:
    """51,358 active staff with profiles: ``bench.scoring``'s 50,000, then as many more as the
    city has (in 60 departments; once; users in SQL, profiles through the ORM)."""
    scoring._users()
    missing = CITY_STAFF - _active_staff()
    if missing <= 0:
        return
    bureau, _ = Bureau.objects.get_or_create(name="벤치동아리시청", defaults={"order": 98})
    depts = [
        Department.objects.get_or_create(name=f"벤치동아리{i:02d}과", defaults={"bureau": bureau})[
            0
        ]
        for i in range(CITY_DEPARTMENTS)
    ]
    families = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"]
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            """
            INSERT INTO auth_user (password, is_superuser, username, first_name, last_name,
                email, is_staff, is_active, date_joined)
            SELECT '!', false, %s || lpad(g::text, 5, '0'), '직원' || g,
                   (%s::text[])[1 + g %% 10], '', false, true, now()
            FROM generate_series(1, %s) g ON CONFLICT (username) DO NOTHING
            """,
            [CITY_PREFIX, families, missing],
        )
        # Profiles through the ORM, so every column gets the model's default (the profile grows).
        users = User.objects.filter(username__startswith=CITY_PREFIX, staff_profile__isnull=True)
        StaffProfile.objects.bulk_create(
            (
                StaffProfile(user_id=pk, department=depts[pk % CITY_DEPARTMENTS])
                for pk in users.values_list("pk", flat=True).iterator()
            ),
            batch_size=5000,
            ignore_conflicts=True,
        )
        cur.execute("ANALYZE auth_user")
        cur.execute("ANALYZE org_staffprofile")


def _built() -> bool:
    """The clubs, groups, memberships, meetings and attendance of a whole build are there."""
    clubs = Club.objects.filter(name__startswith=PREFIX)
    groups = len(YEARS) * BUREAUS * 2
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FROM clubs_attendance a JOIN clubs_meeting m ON m.id = a.meeting_id"
            " JOIN clubs_studygroup g ON g.id = m.group_id JOIN clubs_club c ON c.id = g.club_id"
            " WHERE c.name LIKE %s",
            [f"{PREFIX}%"],
        )
        row = cur.fetchone()
    return (
        clubs.count() == len(YEARS) * BUREAUS
        and StudyGroup.objects.filter(club__in=clubs).count() == groups
        and Membership.objects.filter(club__in=clubs).count() == groups * MEMBERS
        and (row[0] if row else 0) == groups * MEETINGS * MEMBERS
    )


def _admin() -> User:
    return User.objects.filter(is_superuser=True, is_active=True).first() or staff_create(
        username="bench_admin", password=None, last_name="관", first_name="리", is_superuser=True
    )


def _setup() -> tuple[Club, User]:
    """The clubs (built unless there), then the city's staff topped up to 51,358."""
    start = time.perf_counter()
    if _built():
        print("   data: the bench clubs are there (skipping generation)", flush=True)
    else:
        _clubs()
        print(f"   clubs generated in {time.perf_counter() - start:.0f} s", flush=True)
    start = time.perf_counter()
    _city_staff()
    print(
        f"   staff: {_active_staff():,} active with profiles ({time.perf_counter() - start:.0f} s)",
        flush=True,
    )
    return Club.objects.get(name=f"{PREFIX} 0", year=YEARS[-1]), _admin()


def _clubs() -> None:
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "DELETE FROM clubs_attendance WHERE meeting_id IN (SELECT m.id FROM clubs_meeting m"
            " JOIN clubs_studygroup g ON g.id = m.group_id JOIN clubs_club c ON c.id = g.club_id"
            " WHERE c.name LIKE %s)",
            [f"{PREFIX}%"],
        )
        for table, join in [
            ("clubs_meeting", "group_id IN (SELECT g.id FROM clubs_studygroup g JOIN clubs_club c ON c.id = g.club_id WHERE c.name LIKE %s)"),
            ("clubs_membership", "club_id IN (SELECT id FROM clubs_club WHERE name LIKE %s)"),
            ("clubs_studygroup", "club_id IN (SELECT id FROM clubs_club WHERE name LIKE %s)"),
            ("clubs_clubtopic", "club_id IN (SELECT id FROM clubs_club WHERE name LIKE %s)"),
            ("clubs_club", "name LIKE %s"),
        ]:  # fmt: skip
            cur.execute(f"DELETE FROM {table} WHERE {join}", [f"{PREFIX}%"])
    bureaus = [
        Bureau.objects.get_or_create(name=f"{PREFIX}국{b}", defaults={"order": 90 + b})[0]
        for b in range(BUREAUS)
    ]
    people = {}
    for b in range(BUREAUS):
        for k in range(2):
            for i in range(MEMBERS):
                name = f"{PREFIX}_{b}_{k}_{i:02d}"
                people[(b, k, i)] = User.objects.filter(username=name).first() or staff_create(
                    username=name, password=None, last_name="벤", first_name=f"치{b}{k}{i:02d}"
                )
    now = timezone.now()
    clubs = Club.objects.bulk_create(
        Club(
            bureau=bureaus[b], year=y, name=f"{PREFIX} {b}", chair=people[(b, 0, 0)], created_at=now
        )
        for y in YEARS
        for b in range(BUREAUS)
    )
    groups = StudyGroup.objects.bulk_create(
        StudyGroup(club=c, name=f"{k + 1}분임", order=k + 1) for c in clubs for k in range(2)
    )
    roles = {0: "leader", 1: "secretary"}
    Membership.objects.bulk_create(
        Membership(
            club=g.club,
            group=g,
            user=people[(int(g.club.name.split()[-1]), g.order - 1, i)],
            role=roles.get(i, "member"),
            start_date=date(g.club.year, 2, 1),
            end_date=None if g.club.year == YEARS[-1] else date(g.club.year, 11, 30),
            end_reason="" if g.club.year == YEARS[-1] else "other",
        )  # fmt: skip
        for g in groups
        for i in range(MEMBERS)
    )
    ids = [g.pk for g in groups]
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(
            "INSERT INTO clubs_meeting (group_id, held_on, place, kind, hours, minutes, recorded_by_id,"
            " recorded_at) SELECT g.id, make_date(c.year, 2, 1) + s * 8, '회의실', 'regular', 2.0,"
            " '회의록', %s, now() FROM clubs_studygroup g JOIN clubs_club c ON c.id = g.club_id,"
            " generate_series(0, %s) s WHERE g.id = ANY(%s)",
            [people[(0, 0, 0)].pk, MEETINGS - 1, ids],
        )
        cur.execute(
            "INSERT INTO clubs_attendance (meeting_id, user_id, held_on, hours) SELECT m.id, ms.user_id,"
            " m.held_on, m.hours FROM clubs_meeting m JOIN clubs_membership ms ON ms.group_id = m.group_id"
            " WHERE m.group_id = ANY(%s)",
            [ids],
        )
        cur.execute("ANALYZE clubs_attendance")
        cur.execute(
            "SELECT count(*) FROM clubs_attendance WHERE meeting_id IN (SELECT id FROM clubs_meeting WHERE group_id = ANY(%s))",
            [ids],
        )
        row = cur.fetchone()
        print(f"   attendance rows: {row[0] if row else 0:,}", flush=True)


def run() -> None:
    club, admin = _setup()
    plain = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain, ALLOWED_HOSTS=["testserver"]):
        _measure(club, admin)


def _measure(club: Club, admin: User) -> None:
    client = Client()
    client.force_login(admin)
    half = periods.half(club.year, 1)
    club_url = reverse("clubs:club_detail", args=[club.pk])
    report(
        "GET clubs index (a year)",
        measure(lambda: client.get(reverse("clubs:index"), {"year": club.year}), repeat=10),
    )
    page = client.get(club_url)
    size = len(page.content)
    timing = measure(lambda: client.get(club_url), repeat=20)
    report(f"GET club page as admin ({CITY_STAFF:,} staff)", timing)
    verdict = "within" if timing["median_ms"] < BUDGET_MS and size < BUDGET_BYTES else "OVER"
    print(
        f"  {'  club page size':<48} {size / 1000:9.1f} kB   ({verdict} budget:"
        f" median < {BUDGET_MS} ms, < {BUDGET_BYTES // 1000} kB;"
        f" <option>s: {page.content.count(b'<option')})",
        flush=True,
    )
    people = reverse("people_search")
    for query in ("김", "직원123", "직원49999", "벤치점수07과 김", "벤치점수07과 직원49999"):
        report(
            f"GET people search q={query!r} ({CITY_STAFF:,})",
            measure(lambda q=query: client.get(people, {"q": q}), repeat=20),
        )
    # The Django admin's person autocomplete (a club's chair), through the same search.
    autocomplete = reverse("admin:org_person_autocomplete")
    chair = {"app_label": "clubs", "model_name": "club", "field_name": "chair"}
    for query in ("김", "직원123"):
        answer = client.get(autocomplete, {**chair, "term": query})
        assert answer.status_code == 200 and answer.json()["results"], (query, answer.status_code)
        report(
            f"GET admin person autocomplete term={query!r}",
            measure(lambda q=query: client.get(autocomplete, {**chair, "term": q}), repeat=20),
        )
    report(
        "hours_by_user, one half-year, everyone",
        measure(lambda: selectors.hours_by_user(half=half), repeat=10),
    )
    report(
        "learning_hours_for_club",
        measure(lambda: selectors.learning_hours_for_club(club=club), repeat=10),
    )
    report(
        "HR learning-hours xlsx (half-year)",
        measure(lambda: exports.learning_hours_xlsx(half=half), repeat=5, warmup=1),
    )
    report("report_grid", measure(lambda: selectors.report_grid(club=club), repeat=10))
