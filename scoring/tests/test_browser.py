"""내 점수 and the leaderboard in a real browser, with axe."""

import pytest
from django.utils import timezone

from common import periods
from org.tests.factories import TEST_PASSWORD, portal_admin, staff_user
from scoring.tests.factories import record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_me_and_the_leaderboard_read_well_and_pass_axe(
    page: object, login: object, axe: object
) -> None:
    at = timezone.now().astimezone(periods.KST).replace(day=1, hour=9)
    me = staff_user(username="scorer")
    rival = staff_user()
    for _ in range(19):
        record(me, "comment", at)
    record(me, "proposal_submitted", at)
    record(rival, "approval", at)  # ahead on points, but no proposal: marked, no rank
    login("scorer", TEST_PASSWORD)

    page.goto("/scoring/me/")
    assert page.get_by_role("heading", name="내 점수", level=1).is_visible()
    assert page.get_by_test_id("comment-cap").inner_text().strip() == "38 / 40"
    assert "1위" in page.get_by_test_id("quarter-rank").inner_text()
    assert axe(page) == []

    page.get_by_role("link", name="분기 순위표 보기").click()
    rows = page.get_by_test_id("leaderboard-row")
    assert rows.count() == 2
    assert "대상 아님" in rows.nth(0).inner_text()
    assert "1" in rows.nth(1).inner_text()
    assert page.get_by_role("link", name="엑셀로 내려받기").count() == 0
    assert axe(page) == []


def test_an_admin_downloads_the_excel(page: object, login: object) -> None:
    admin = portal_admin(username="boss")
    record(admin, "approval", timezone.now())
    login("boss", TEST_PASSWORD)
    page.goto("/scoring/leaderboard/")
    with page.expect_download() as info:
        page.get_by_role("link", name="엑셀로 내려받기").click()
    assert info.value.suggested_filename.endswith(".xlsx")
