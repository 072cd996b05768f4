"""Must show: a 총무 records a meeting with attendance and files the monthly report; an admin
approves it; the members' learning hours show, capped at 12 for the half-year."""

import re
from datetime import date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from clubs import calculations as calc
from clubs import services
from clubs.models import MonthlyReport
from common import periods
from org.tests.factories import TEST_PASSWORD, portal_admin, staff_user

from .factories import ClubFactory, MembershipFactory, StudyGroupFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SEOUL = ZoneInfo("Asia/Seoul")


def _meeting_day() -> date:
    """A day the club is running and that has passed: today, or 30 November after the club
    year ended (in December); in January, last year's club."""
    today = timezone.localdate()
    year = today.year if today.month >= 2 else today.year - 1
    return min(today, calc.club_period(year)[1])


def test_a_secretary_records_a_meeting_files_the_report_and_the_admin_approves_it(
    page, login, axe
) -> None:
    day = _meeting_day()
    half = calc.half_year_of(day)
    club_start = calc.club_period(day.year)[0]
    earlier = max(half.start, club_start)
    club = ClubFactory(year=day.year, name="기획재정국 학습동아리")
    group = StudyGroupFactory(club=club, name="1분임")
    chongmu = staff_user(username="chongmu", last_name="김", first_name="총무")
    secretary = MembershipFactory(
        group=group, role="secretary", start_date=club_start, user=chongmu
    )
    leader = MembershipFactory(group=group, role="leader", start_date=club_start)
    member = MembershipFactory(group=group, start_date=club_start)
    admin = portal_admin(username="innov")
    # 11 hours already this half-year for the secretary and the leader: the new 2-hour meeting
    # reaches the 12-hour cap.
    for hours in ("8", "3"):
        services.meeting_record(
            group=group, recorded_by=secretary.user, held_on=earlier, place="소회의실",
            kind="extra", hours=Decimal(hours), minutes="사전 모임",
            attendee_ids=[secretary.user_id, leader.user_id],
            at=datetime.combine(earlier, time(20), tzinfo=SEOUL) if earlier < day else None,
        )  # fmt: skip

    login("chongmu", TEST_PASSWORD)
    page.goto("/clubs/")
    assert axe(page) == []
    page.get_by_role("link", name="기획재정국 학습동아리", exact=True).click()
    page.get_by_role("link", name="1분임 모임 기록").click()
    assert axe(page) == []
    page.get_by_label("모임 날짜").fill(day.isoformat())
    page.get_by_label("모임 종류").select_option("regular")
    page.get_by_label("장소").fill("구청 별관 3층 소회의실")
    page.get_by_label("학습 시간(시간)").fill("2")
    for m in (secretary, leader, member):
        page.get_by_label(f"{m.user.last_name}{m.user.first_name}", exact=True).check()
    page.get_by_label("회의록").fill("과제 자료를 함께 읽고 개선 아이디어를 정리했습니다.")
    page.get_by_role("button", name="모임 기록").click()
    page.wait_for_url(re.compile(r"/clubs/meetings/\d+/$"))
    body = page.locator("main").inner_text()
    assert "모임과 출석을 기록했습니다." in body
    assert "12시간" in body and "2시간 중 1시간만 인정" in body
    assert page.get_by_test_id("attendees").locator("li").count() == 3
    assert axe(page) == []

    page.get_by_role("link", name="기획재정국 학습동아리", exact=True).click()
    page.get_by_role("link", name="1분임 월별 활동보고서 제출").click()
    page.get_by_label("보고 월").select_option(day.replace(day=1).isoformat())
    page.get_by_label("제목").fill(f"[1분임] {day:%Y년 %m월} 활동보고")
    page.get_by_label("활동 내용").fill("정기모임에서 과제 자료를 검토했습니다.")
    assert axe(page) == []
    page.get_by_role("button", name="제출").click()
    assert "활동보고서를 제출했습니다" in page.locator("main").inner_text()
    report = MonthlyReport.objects.get()
    assert report.post.status == "submitted" and report.attendance_count == 3
    page.get_by_role("button", name="로그아웃").click()

    login("innov", TEST_PASSWORD)
    page.goto("/board/review/")
    page.get_by_role("link", name=report.post.title).click()
    page.get_by_role("button", name="승인", exact=True).click()
    page.wait_for_url(re.compile(r"/board/review/$"))
    report.post.refresh_from_db()
    assert report.post.status == "approved" and report.post.reviewer == admin

    page.goto(f"/clubs/{club.pk}/")
    grid = page.get_by_test_id("report-grid")
    assert "승인" in grid.inner_text()
    hours = page.get_by_test_id("learning-hours")
    col = 3 if periods.half_of(day) == 1 else 5  # the "인정" column of the half-year
    row_secretary = hours.locator("tr", has=page.get_by_role("rowheader", name="김총무"))
    cells = row_secretary.locator("td")
    assert cells.nth(col - 2).inner_text().strip() == "13"  # attended
    assert cells.nth(col - 1).inner_text().startswith("12")  # credited, capped
    assert "한도" in cells.nth(col - 1).inner_text()
    row_member = hours.locator(
        "tr",
        has=page.get_by_role("rowheader", name=f"{member.user.last_name}{member.user.first_name}"),
    )
    assert row_member.locator("td").nth(col - 1).inner_text().strip() == "2"
    assert axe(page) == []
