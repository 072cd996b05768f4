"""내 점수 and the leaderboard in a real browser, with axe."""

from datetime import datetime

import pytest
from django.utils import timezone

from common import periods
from org.tests.factories import TEST_PASSWORD, portal_admin, staff_user
from scoring.services import round_run
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


def test_an_admin_downloads_the_excel(page: object, login: object, axe: object) -> None:
    admin = portal_admin(username="boss")
    record(admin, "approval", timezone.now())
    login("boss", TEST_PASSWORD)
    page.goto("/scoring/leaderboard/")
    # The workbook is built in the background; its page shows the progress, then the link.
    page.get_by_role("link", name="엑셀로 내려받기").click()
    page.wait_for_url("**/downloads/*/")
    assert "자료가 준비되었습니다" in page.get_by_test_id("download-status").inner_text()
    for size in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):
        page.set_viewport_size(size)
        assert axe(page) == []
    with page.expect_download() as info:
        page.get_by_test_id("download-link").click()
    assert info.value.suggested_filename.endswith(".xlsx")


def test_a_tie_at_3rd_place_is_settled_on_the_round_page(
    page: object, login: object, axe: object
) -> None:
    at = datetime(2026, 3, 10, 12, tzinfo=periods.KST)
    people = [staff_user() for _ in range(4)]
    for user, approvals in zip(people, (3, 2, 1, 1), strict=True):
        record(user, "proposal_submitted", at)
        for _ in range(approvals):
            record(user, "approval", at, area="club")
    rnd = round_run(year=2026, quarter=1, at=datetime(2026, 4, 1, 2, tzinfo=periods.KST))
    portal_admin(username="office")
    login("office", TEST_PASSWORD)

    page.goto(f"/admin/scoring/quarterround/{rnd.pk}/change/")
    tie = page.get_by_test_id("round-tie")
    assert "결정이 필요합니다" in tie.inner_text()
    assert page.get_by_test_id("tied-entry").count() == 2
    for size in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):
        page.set_viewport_size(size)
        assert axe(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})

    page.get_by_role("link", name="동점 결정하기").click()
    chosen = people[3]
    page.get_by_label(f"{chosen.last_name}{chosen.first_name}", exact=False).check()
    page.get_by_label("결정 사유").fill("제안 채택 건수가 더 많음")
    for size in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):
        page.set_viewport_size(size)
        assert axe(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("button", name="저장").click()

    assert "동점을 결정했습니다" in page.locator(".messagelist").inner_text()
    assert "결정함" in page.get_by_test_id("round-tie").inner_text()
    rnd.refresh_from_db()
    assert not rnd.tie_open
    assert rnd.winners.get(place=3, active=True).user == chosen

    page.get_by_role("link", name="확정", exact=True).click()
    assert page.get_by_test_id("confirm-line").count() == 3
    for size in ({"width": 1280, "height": 900}, {"width": 390, "height": 844}):
        page.set_viewport_size(size)
        assert axe(page) == []
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="취소").click()  # cancel: nothing changes
    rnd.refresh_from_db()
    assert rnd.status == "proposed"
    page.get_by_role("link", name="확정", exact=True).click()
    page.get_by_test_id("confirm-button").click()
    rnd.refresh_from_db()
    assert rnd.status == "confirmed"
