"""The home page gives each person what is theirs today (issue 13 #6), in a fixed number of
queries however much data there is."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from board.models import Comment, PostStatus
from board.tests.factories import PostFactory
from clubs import calculations as clubs_calc
from clubs import selectors as clubs_selectors
from clubs.tests.factories import ClubFactory, group_with_members
from contests import services as contests_services
from contests.tests.factories import committee, member, single_stage_round
from org.roles import Role
from org.tests.factories import DepartmentFactory, portal_admin, staff_user
from programme.models import PlanActivity
from proposals import selectors as proposals_selectors
from proposals.models import Proposal
from proposals.tests.factories import ThemeRoundFactory, resident_proposal
from scoring.tests.factories import record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    """The home page caches the rounds open now; a rolled-back test's rounds must not stay."""
    cache.clear()
    yield
    cache.clear()


def home(client: Client) -> str:
    response = client.get("/")
    assert response.status_code == 200
    return response.content.decode()


def section(body: str, testid: str) -> str:
    """The HTML of one section of the page (up to the next section)."""
    return body.split(f'data-testid="{testid}"', 1)[1].split("</section>", 1)[0]


def test_a_staff_member_sees_their_points_rank_and_waiting_posts(client: Client) -> None:
    user = staff_user(last_name="김", first_name="민수")
    now = timezone.now()
    record(user, "comment", now)
    record(user, "view", now)
    PostFactory(author=user, status=PostStatus.SUBMITTED, title="승인 기다리는 제안")
    PostFactory(author=user, status=PostStatus.APPROVED, title="이미 승인된 글")
    PostFactory(status=PostStatus.SUBMITTED, title="남의 대기 글")
    client.force_login(user)
    body = home(client)
    assert "김민수님" in body
    for label in ["창의제안", "학습동아리", "업무나눔터", "자료공유", "내 점수"]:
        assert label in body
    points = section(body, "home-today")
    assert f"{now.astimezone(timezone.get_current_timezone()).month}월 추가의견" in points
    assert "/ " in section(body, "home-comment-points").split("</dd>")[0]
    assert "분기" in points and 'data-testid="home-rank"' in body
    waiting = section(body, "home-waiting-count")
    assert waiting.startswith(">1<")
    assert "승인 기다리는 제안" in body and "남의 대기 글" not in body
    # Not an admin, no committee seat, not a 총무: those sections are not there.
    for testid in ("home-admin", "home-reviews", "home-reports"):
        assert f'data-testid="{testid}"' not in body


def test_everyone_sees_the_latest_approved_posts_of_each_area(client: Client) -> None:
    dept = DepartmentFactory(name="전산정보과")
    PostFactory(area="docs", title="새 업무지침", department=dept)
    PostFactory(area="docs", title="반려된 자료", status=PostStatus.REJECTED, reject_reason="x")
    PostFactory(area="proposal", title="대기 중인 제안", status=PostStatus.SUBMITTED)
    client.force_login(staff_user())
    latest = section(home(client), "home-latest")
    assert "새 업무지침" in latest and "전산정보과" in latest
    assert "반려된 자료" not in latest and "대기 중인 제안" not in latest
    assert latest.count("아직 승인된 글이 없습니다.") == 3  # the three other areas


def test_an_admin_sees_the_approval_queue_and_overdue_proposals(client: Client) -> None:
    PostFactory.create_batch(3, status=PostStatus.SUBMITTED)
    old = resident_proposal(at=timezone.now() - timedelta(days=60), title="오래된 구민 제안")
    resident_proposal(title="새 구민 제안")
    client.force_login(portal_admin())
    admin = section(home(client), "home-admin")
    assert 'data-testid="home-queue-count">3<' in admin
    assert 'data-testid="home-overdue-count">1<' in admin
    assert old.title in admin and "새 구민 제안" not in admin


def test_a_committee_member_sees_open_review_stages_with_their_deadline(client: Client) -> None:
    seat = member(committee())
    today = timezone.localdate()
    rnd = single_stage_round(
        year=today.year,
        title="하반기 제안 심사",
        ends_on=today + timedelta(7),
        quotas=(("grand", 1, 300_000),),
    )
    contests_services.entry_create(
        round=rnd, title="가", owner_name="구민", source_type="p", source_id=1
    )
    contests_services.stage_open(stage=rnd.stages.get())
    client.force_login(seat.user)
    body = home(client)
    reviews = section(body, "home-reviews")
    assert "하반기 제안 심사" in reviews
    assert f"{today + timedelta(7):%Y-%m-%d}까지" in reviews
    assert "하반기 제안 심사" in section(body, "home-rounds")  # and it is a round open now


def test_a_club_secretary_sees_the_reports_due(client: Client) -> None:
    today = timezone.localdate()
    group, leader, secretary, _ = group_with_members(
        club=ClubFactory(year=today.year, name="데이터 분석 동아리"), members=0
    )
    client.force_login(secretary.user)
    reports = section(home(client), "home-reports")
    assert "데이터 분석 동아리" in reports and group.name in reports
    assert "기한 지남" in reports or today.month <= 3
    # Every month of the club year before this one, none filed yet: all due.
    due = clubs_selectors.reports_due_of_secretary(user=secretary.user, today=today)
    assert [d.month for d in due] == [
        m for m in clubs_calc.report_months(today.year) if m < today.replace(day=1)
    ]
    assert all(d.group.pk == group.pk for d in due)
    client.force_login(leader.user)  # the 분임장 doesn't file them
    assert 'data-testid="home-reports"' not in home(client)


def test_the_theme_rounds_open_now_and_the_knowledge_day_banner(client: Client) -> None:
    today = timezone.localdate()
    ThemeRoundFactory(title="주차 문제 테마제안", opens_on=today, closes_on=today + timedelta(9))
    ThemeRoundFactory(title="지난 테마제안", opens_on=today - timedelta(40),
                      closes_on=today - timedelta(10))  # fmt: skip
    PlanActivity.objects.filter(plan__year=today.year, code="knowledge_day").update(
        months=[today.month]
    )
    client.force_login(staff_user())
    body = home(client)
    rounds = section(body, "home-rounds")
    assert "주차 문제 테마제안" in rounds and "지난 테마제안" not in rounds
    assert f"{today.month}월은 지식등록의 날" in body or "지식등록의 날" in body
    PlanActivity.objects.filter(plan__year=today.year, code="knowledge_day").update(
        months=[(today.month % 12) + 1]
    )
    assert "지식등록의 날" not in home(client)


def test_a_resident_sees_the_public_start(client: Client) -> None:
    body = home(client)
    assert "구민 제안하기" in body and 'data-testid="home-today"' not in body


def _queries(client: Client) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        home(client)
    return [q["sql"] for q in ctx.captured_queries]


def _person(role: str):
    today = timezone.localdate()
    if role == "admin":
        return portal_admin()
    if role == "secretary":
        return group_with_members(club=ClubFactory(year=today.year), members=0)[2].user
    if role == "committee":
        return member(committee()).user
    return staff_user(roles=[Role.STAFF])


BUDGET = 10  # issue 14: every page, BEGIN/COMMIT (here SAVEPOINT/RELEASE) included


@pytest.mark.skipif(
    not connection.features.supports_slicing_ordering_in_compound,
    reason="SQLite cannot LIMIT each part of a UNION: there the parts are separate queries",
)
@pytest.mark.parametrize("role", ["staff", "admin", "secretary", "committee"])
def test_the_page_has_the_same_queries_for_little_or_much_data(client: Client, role: str) -> None:
    today = timezone.localdate()
    user = _person(role)
    client.force_login(user)
    others = [staff_user() for _ in range(3)]

    def grow(n: int) -> None:
        for i in range(n):
            PostFactory(author=user, status=PostStatus.SUBMITTED)
            post = PostFactory(area=["docs", "proposal", "club", "worksharing"][i % 4])
            PostFactory(status=PostStatus.SUBMITTED)  # the approval queue
            for who in (user, *others):
                Comment.objects.create(post=post, author=who, body="의견", created_at=timezone.now(),
                                       updated_at=timezone.now())  # fmt: skip
                record(who, "comment", timezone.now())
            record(user, "approval", timezone.now())
            others.append(staff_user())
            resident_proposal(at=timezone.now() - timedelta(days=60))
            ThemeRoundFactory(opens_on=today, closes_on=today + timedelta(5))

    grow(1)
    cold = _queries(client)  # a round was just saved: the rounds are read again
    small = _queries(client)
    grow(12)
    assert len(_queries(client)) == len(cold)
    assert len(_queries(client)) == len(small)
    assert len(cold) <= BUDGET, "\n".join(cold)
    assert len(small) <= BUDGET, "\n".join(small)
    # One board statement for the whole page (waiting, latest per area, queue count).
    assert sum(1 for q in small if "board_post" in q and "auth_user" not in q) == 1


def test_the_rounds_are_cached_and_dropped_when_a_round_is_saved(client: Client) -> None:
    today = timezone.localdate()
    client.force_login(staff_user())
    home(client)
    assert not [q for q in _queries(client) if "proposals_themeround" in q]  # from the cache
    ThemeRoundFactory(title="새 테마제안", opens_on=today, closes_on=today + timedelta(3))
    assert "새 테마제안" in section(home(client), "home-rounds")


def test_the_overdue_summary_agrees_with_the_full_list() -> None:
    now = timezone.now()
    for days in (45, 60, 70, 90):
        resident_proposal(at=now - timedelta(days=days))
    Proposal.objects.filter(pk=resident_proposal(at=now - timedelta(days=80)).pk).update(
        paused_days=5
    )
    Proposal.objects.filter(pk=resident_proposal(at=now - timedelta(days=35)).pk).update(
        paused_days=20
    )
    resident_proposal(at=now - timedelta(days=1))
    today = timezone.localdate()
    # The reference: every overdue proposal (the jobs' list), oldest first.
    full = proposals_selectors.overdue_proposals(today=today)
    oldest = sorted(full, key=lambda p: (p.received_at, p.pk))
    for limit, cap in ((3, 1000), (2, 3), (5, 1)):
        summary = proposals_selectors.overdue_summary(today=today, limit=limit, cap=cap)
        assert (summary.count, summary.capped) == (min(len(full), cap), len(full) > cap)
        assert [p.pk for p in summary.first] == [p.pk for p in oldest[:limit]]
    assert proposals_selectors.overdue_summary(today=today).count >= 4
