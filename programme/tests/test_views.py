from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from org.tests.factories import portal_admin, staff_user
from programme.models import PlanActivity, PlanYear
from programme.selectors import knowledge_day_now

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")


@pytest.mark.smoke
def test_the_calendar_shows_the_plan_table(client: Client) -> None:
    client.force_login(staff_user())
    response = client.get(reverse("programme:calendar_year", args=[2016]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "2016년 연간 추진 일정" in body
    assert "지식등록의 날 운영" in body and "3·6·9월" in body
    assert '<th scope="col"' in body and '<th scope="row"' in body
    assert "소요 예산: 31,945천원" in body


def test_the_calendar_needs_a_login(client: Client) -> None:
    response = client.get(reverse("programme:calendar"))
    assert response.status_code == 302


def test_the_calendar_defaults_to_this_year(client: Client) -> None:
    client.force_login(staff_user())
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 6, 5, tzinfo=SEOUL)):
        body = client.get(reverse("programme:calendar")).content.decode()
    assert "2026년 연간 추진 일정" in body
    assert 'aria-current="date"' in body


def test_an_unknown_past_year_is_not_found(client: Client) -> None:
    client.force_login(staff_user())
    assert client.get(reverse("programme:calendar_year", args=[1999])).status_code == 404


def test_only_admins_see_the_edit_link(client: Client) -> None:
    client.force_login(staff_user())
    assert "일정 수정" not in client.get(reverse("programme:calendar")).content.decode()
    client.force_login(portal_admin())
    assert "일정 수정" in client.get(reverse("programme:calendar")).content.decode()


def test_the_calendar_has_the_same_queries_for_a_short_or_long_plan(client: Client) -> None:
    client.force_login(staff_user())

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("programme:calendar_year", args=[2026])).status_code == 200
        return len(ctx.captured_queries)

    small = queries()
    plan = PlanYear.objects.get(year=2026)
    PlanActivity.objects.bulk_create(
        PlanActivity(plan=plan, name=f"행사 {i}", months=[i % 12 + 1], order=50 + i)
        for i in range(40)
    )
    assert queries() == small


def test_the_home_page_shows_the_knowledge_day_banner_in_its_months(client: Client) -> None:
    client.force_login(staff_user())
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 9, 10, tzinfo=SEOUL)):
        body = client.get(reverse("home")).content.decode()
    assert "9월은 지식등록의 날입니다" in body
    assert "이번 달 등록된 지식" in body
    with mock.patch("django.utils.timezone.now", return_value=datetime(2026, 10, 1, tzinfo=SEOUL)):
        body = client.get(reverse("home")).content.decode()
    assert "지식등록의 날입니다" not in body


def test_the_banner_counts_the_knowledge_registered_this_month() -> None:
    post_factory = pytest.importorskip("board.tests.factories").PostFactory
    author = staff_user()
    march = datetime(2026, 3, 15, 10, tzinfo=SEOUL)
    for status in ("submitted", "approved", "approved", "draft"):
        post_factory(author=author, status=status, submitted_at=march, created_at=march)
    # Registered on the last evening of February in Seoul: not March's knowledge.
    feb = datetime(2026, 2, 28, 23, 30, tzinfo=SEOUL)
    post_factory(author=author, status="approved", submitted_at=feb, created_at=feb)
    day = knowledge_day_now(at=march)
    assert (day.month, day.registered, day.approved) == (3, 3, 2)


def test_the_nav_links_the_calendar_for_staff_and_the_dashboard_for_admins(
    client: Client,
) -> None:
    client.force_login(staff_user())
    body = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("programme:calendar")}"' in body
    assert f'href="{reverse("programme:dashboard")}"' not in body
    client.force_login(portal_admin())
    assert (
        f'href="{reverse("programme:dashboard")}"' in client.get(reverse("home")).content.decode()
    )
