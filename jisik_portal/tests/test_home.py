"""The home page gives each person what is theirs today (issue 13 #6), in a fixed number of
queries however much data there is."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from board.models import PostStatus
from board.tests.factories import PostFactory
from clubs.tests.factories import ClubFactory, group_with_members
from contests import services as contests_services
from contests.tests.factories import committee, member, single_stage_round
from org.roles import Role
from org.tests.factories import DepartmentFactory, portal_admin, staff_user
from programme.models import PlanActivity
from proposals.tests.factories import ThemeRoundFactory, resident_proposal
from scoring.tests.factories import record

pytestmark = pytest.mark.django_db


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


def _queries(client: Client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        home(client)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["staff", "admin", "secretary", "committee"])
def test_the_page_has_the_same_queries_for_little_or_much_data(client: Client, role: str) -> None:
    today = timezone.localdate()
    if role == "admin":
        user = portal_admin()
    elif role == "secretary":
        user = group_with_members(club=ClubFactory(year=today.year), members=0)[2].user
    elif role == "committee":
        user = member(committee()).user
    else:
        user = staff_user(roles=[Role.STAFF])
    client.force_login(user)

    def grow(n: int) -> None:
        for i in range(n):
            PostFactory(author=user, status=PostStatus.SUBMITTED)
            PostFactory(area=["docs", "proposal", "club", "worksharing"][i % 4])
            resident_proposal(at=timezone.now() - timedelta(days=60))
            record(user, "comment", timezone.now())
            ThemeRoundFactory(opens_on=today, closes_on=today + timedelta(5))

    grow(1)
    small = _queries(client)
    grow(12)
    assert _queries(client) == small
    assert small <= 40
