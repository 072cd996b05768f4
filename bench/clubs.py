"""Learning clubs at scale: 20 years × 6 bureau clubs × 2 groups × 12 members, 35 meetings per
group a year (8,400 meetings, ~100,000 attendance rows). Meetings and attendance are
generated in SQL. Measures the index and club pages, the learning-hours sums and the HR
export."""

from datetime import date

from django.db import connection, transaction

from bench.common import measure, report

YEARS = range(2000, 2020)
BUREAUS = 6
MEMBERS = 12  # per group, plus nothing else: leader and secretary are among them
MEETINGS = 35  # per group per year
PREFIX = "bench_club"


def _setup() -> tuple[object, object]:
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from clubs.models import Club, Membership, StudyGroup
    from org.models import Bureau
    from org.services import staff_create

    User = get_user_model()
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
        print(f"   attendance rows: {cur.fetchone()[0]:,}", flush=True)
    admin = User.objects.filter(is_superuser=True).first() or staff_create(
        username="bench_admin", password=None, last_name="관", first_name="리", is_superuser=True
    )
    club = Club.objects.get(name=f"{PREFIX} 0", year=YEARS[-1])
    return club, admin


def run() -> None:
    from django.test import override_settings

    club, admin = _setup()
    plain = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=plain, ALLOWED_HOSTS=["testserver"]):
        _measure(club, admin)


def _measure(club: object, admin: object) -> None:
    from django.test import Client
    from django.urls import reverse

    from clubs import calculations as calc
    from clubs import exports, selectors

    client = Client()
    client.force_login(admin)
    half = calc.HalfYear(club.year, 1)
    report(
        "GET clubs index (a year)",
        measure(lambda: client.get(reverse("clubs:index"), {"year": club.year}), repeat=10),
    )
    report(
        "GET club page (35×2 meetings, 24 members)",
        measure(lambda: client.get(reverse("clubs:club_detail", args=[club.pk])), repeat=10),
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
