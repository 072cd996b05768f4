"""In real headless Chromium, on the demo data: the admin dashboard shows the 2015 figures of
SPEC §3 and this year's; the calendar shows the year's activities by month; a staff member
reads a notification; axe finds nothing serious on these pages."""

from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.utils import timezone

from notifications.services import notification_send
from org.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo() -> None:
    call_command("seed_demo", "--quiet-logins")


def cell(page: object, section: str, row: str) -> list[str]:
    """The values of a row in a dashboard table, as shown."""
    locator = page.get_by_test_id(f"dashboard-{section}").locator(  # type: ignore[attr-defined]
        "tr",
        has=page.get_by_role("rowheader", name=row, exact=True),  # type: ignore[attr-defined]
    )
    return [t.strip() for t in locator.locator("td").all_inner_texts()]


def test_the_admin_dashboard_shows_2015_and_this_year(
    demo: None, page: object, login: Callable, axe: Callable
) -> None:
    from board.models import Post

    year = timezone.localdate().year
    login("innov", DEMO_PASSWORD)
    page.goto("/programme/dashboard/")
    assert page.get_by_role("heading", level=1).inner_text() == f"{year}년 지식나눔 현황"
    # SPEC §3: 2015 first half 207 = 141 + 66 with 3 우수, 6 장려; second half 177 = 134 + 43
    # with 1 최우수, 4 우수, 4 장려; 2014 → 2015: 327 → 384.
    assert cell(page, "history_halves", "2015년 상반기") == ["207", "141", "66", "0", "3", "6"]
    assert cell(page, "history_halves", "2015년 하반기") == ["177", "134", "43", "1", "4", "4"]
    assert cell(page, "proposals_years", "2014년")[0] == "327"
    assert cell(page, "proposals_years", "2015년")[0] == "384"
    # This year's knowledge on the board, as the database has it.
    start = timezone.make_aware(timezone.datetime(year, 1, 1))
    registered = Post.objects.exclude(status="draft").filter(submitted_at__gte=start).count()
    assert registered > 0
    totals = cell(page, "posts", "합계")
    assert totals[1] == f"{registered:,}"
    assert page.get_by_test_id("dashboard-posts").locator("svg[role=img]").count() == 1
    # Money on its own chart, in 만원/억원 (the old shared axis clipped it to "000,000"), and
    # the payments count on another.
    prize = page.get_by_test_id("dashboard-prize").locator("svg[role=img]")
    assert prize.get_attribute("data-unit") == "won"
    ticks = prize.locator("[data-testid=chart-tick]").all_text_contents()
    assert ticks[-1].endswith("만원") and not any("000,000" in t for t in ticks)
    tick_box = prize.locator("[data-testid=chart-tick]").last.bounding_box()
    svg_box = prize.bounding_box()
    assert tick_box["x"] >= svg_box["x"]  # the widest label is inside the chart
    payments = page.get_by_test_id("dashboard-prize_payments").locator("svg[role=img]")
    assert payments.get_attribute("data-unit") == "count"
    assert axe(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert axe(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})

    with page.expect_download() as download:
        page.get_by_role("link", name="엑셀로 내려받기").click()
    assert download.value.suggested_filename == f"jisik-dashboard-{year}.xlsx"


def test_the_calendar_shows_the_years_activities_by_month(
    demo: None, page: object, login: Callable, axe: Callable
) -> None:
    year = timezone.localdate().year
    login("staff1", DEMO_PASSWORD)
    page.goto("/programme/")
    assert page.get_by_role("heading", level=1).inner_text() == f"{year}년 연간 추진 일정"
    table = page.get_by_test_id("programme-calendar")
    row = table.locator("tr[data-activity=knowledge_day]")
    marked = row.locator("td.programme-on .visually-hidden").all_inner_texts()
    assert marked == ["3월 추진", "6월 추진", "9월 추진"]
    assert row.locator("td").last.inner_text() == "3·6·9월"
    committee = table.locator("tr[data-activity=review_committee] td.programme-on")
    assert committee.count() == 2
    months = page.get_by_test_id("programme-months")
    march = months.locator("[data-month='3']")
    assert "지식등록의 날 운영" in march.inner_text()
    november = months.locator("[data-month='11']").inner_text()
    assert "학습동아리 연구성과 심사" in november and "구민창안심사위원회" in november
    assert axe(page) == []
    # Staff don't see the admins' dashboard.
    assert page.goto("/programme/dashboard/").status == 403

    # The same staff member (one demo load for both: it takes a while) reads a notification.
    from django.contrib.auth import get_user_model

    staff1 = get_user_model().objects.get(username="staff1")
    before = staff1.notifications.filter(read_at__isnull=True).count()
    notification_send(
        recipient=staff1,
        verb="board.post_approved",
        title="제안이 승인되었습니다",
        url="/programme/",
        email=False,
    )
    page.goto("/")
    badge = page.get_by_test_id("notifications-badge")
    assert f"{before + 1}건읽지않음" in "".join(badge.inner_text().split())
    badge.click()
    assert page.get_by_role("heading", level=1).inner_text() == "알림"
    assert axe(page) == []
    page.get_by_role("link", name="제안이 승인되었습니다").click()
    assert page.url.endswith("/programme/")
    assert staff1.notifications.get(title="제안이 승인되었습니다").read_at is not None
