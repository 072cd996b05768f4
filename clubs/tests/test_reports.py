"""Monthly reports as board posts, missing-report flags, the November review and HR exports."""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from board.models import Post
from board.services import post_approve
from clubs import calculations as calc
from clubs import exports, selectors, services
from clubs.models import MissingReportFlag
from common import periods
from common.errors import ServiceError
from contests.models import Award, Entry
from notifications.models import Notification
from org.tests.factories import portal_admin

from .factories import ClubFactory, group_with_members

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]
SEOUL = ZoneInfo("Asia/Seoul")


def _at(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, tzinfo=SEOUL)


def _meet(group, secretary, ids, held_on, hours="2"):
    return services.meeting_record(
        group=group, recorded_by=secretary.user, held_on=held_on, place="소회의실", kind="regular",
        hours=Decimal(hours), minutes="토론", attendee_ids=ids, at=_at(held_on.year, held_on.month, held_on.day, 20),
    )  # fmt: skip


def test_the_secretary_files_a_monthly_report_as_a_club_post_with_the_attendance() -> None:
    group, leader, secretary, plain = group_with_members(members=1)
    _meet(group, secretary, [leader.user_id, secretary.user_id], date(2026, 3, 10))
    _meet(
        group, secretary, [leader.user_id, secretary.user_id, plain[0].user_id], date(2026, 3, 24)
    )
    report = services.monthly_report_submit(
        group=group, month=date(2026, 3, 17), filed_by=secretary.user, title="3월 활동보고",
        body="과제 자료를 검토했습니다.", at=_at(2026, 4, 2),
    )  # fmt: skip
    assert report.month == date(2026, 3, 1)
    assert (report.meeting_count, report.attendance_count) == (2, 5)
    post = report.post
    assert (post.area, post.status, post.author) == ("club", "submitted", secretary.user)
    assert "3월 모임 및 출석" in post.body and "(3명)" in post.body
    assert "<table>" in post.body_html


def test_only_the_secretary_files_and_only_once_a_month() -> None:
    group, leader, secretary, _ = group_with_members(members=0)
    _meet(group, secretary, [secretary.user_id], date(2026, 3, 10))
    kwargs = dict(group=group, month=date(2026, 3, 1), title="t", body="b", at=_at(2026, 4, 1))
    with pytest.raises(ServiceError, match="총무만"):
        services.monthly_report_submit(filed_by=leader.user, **kwargs)
    services.monthly_report_submit(filed_by=secretary.user, **kwargs)
    with pytest.raises(ServiceError, match="이미 제출"):
        services.monthly_report_submit(filed_by=secretary.user, **kwargs)
    assert Post.objects.count() == 1


def test_a_month_without_meetings_or_in_the_future_cannot_be_reported() -> None:
    group, _, secretary, _ = group_with_members(members=0)
    with pytest.raises(ServiceError, match="기록된 모임이 없습니다"):
        services.monthly_report_submit(
            group=group,
            month=date(2026, 3, 1),
            filed_by=secretary.user,
            title="t",
            body="b",
            at=_at(2026, 4, 1),
        )
    with pytest.raises(ServiceError, match="아직 오지 않은"):
        services.monthly_report_submit(
            group=group,
            month=date(2026, 5, 1),
            filed_by=secretary.user,
            title="t",
            body="b",
            at=_at(2026, 4, 1),
        )


def test_approving_the_report_post_gives_the_secretary_ten_points() -> None:
    from scoring.models import Activity

    group, _, secretary, _ = group_with_members(members=0)
    _meet(group, secretary, [secretary.user_id], date(2026, 3, 10))
    report = services.monthly_report_submit(
        group=group,
        month=date(2026, 3, 1),
        filed_by=secretary.user,
        title="t",
        body="b",
        at=_at(2026, 4, 1),
    )
    post_approve(post=report.post, reviewer=portal_admin(), at=_at(2026, 4, 2))
    activity = Activity.objects.get(user=secretary.user, kind="approval")
    assert activity.area == "club"
    grid = selectors.report_grid(club=group.club, today=date(2026, 4, 10))
    march = grid[0][1][1]
    assert march.month == date(2026, 3, 1) and march.status_label == "승인"
    assert grid[0][1][0].status_label == "미제출"  # February is overdue


def test_missing_reports_are_flagged_once_to_the_officers_and_admins() -> None:
    admin = portal_admin()
    group, leader, secretary, plain = group_with_members(members=1)
    _meet(group, secretary, [secretary.user_id], date(2026, 2, 10))
    services.monthly_report_submit(
        group=group,
        month=date(2026, 2, 1),
        filed_by=secretary.user,
        title="t",
        body="b",
        at=_at(2026, 3, 2),
    )
    # 6 April: March is overdue (due 5 April); February was filed.
    assert services.monthly_report_flag_missing(at=_at(2026, 4, 6)) == 1
    assert services.monthly_report_flag_missing(at=_at(2026, 4, 6)) == 0
    flag = MissingReportFlag.objects.get()
    assert flag.month == date(2026, 3, 1)
    notified = set(
        Notification.objects.filter(verb="clubs.report_missing").values_list(
            "recipient_id", flat=True
        )
    )
    assert notified == {leader.user_id, secretary.user_id, admin.pk}
    assert plain[0].user_id not in notified
    # on the due day nothing new is flagged; the day after, April is
    assert services.monthly_report_flag_missing(at=_at(2026, 5, 5)) == 0
    assert services.monthly_report_flag_missing(at=_at(2026, 5, 6)) == 1


def test_a_research_report_is_filed_in_the_second_half_once() -> None:
    club = ClubFactory()
    with pytest.raises(ServiceError, match="하반기"):
        services.research_report_submit(
            club=club,
            filed_by=club.chair,
            title="연구",
            summary="요약",
            body="본문",
            at=_at(2026, 6, 30),
        )
    report = services.research_report_submit(
        club=club,
        filed_by=club.chair,
        title="연구",
        summary="요약",
        body="본문",
        at=_at(2026, 10, 20),
    )
    assert report.post.area == "club"
    with pytest.raises(ServiceError, match="이미 제출"):
        services.research_report_submit(
            club=club,
            filed_by=club.chair,
            title="연구2",
            summary="요약",
            body="본문2",
            at=_at(2026, 10, 21),
        )


def _award(club, grade: str) -> Award:
    entry = Entry.objects.get(source_type=services.CLUB_SOURCE, source_id=club.pk)
    return Award.objects.create(
        round=entry.round, entry=entry, grade=grade, prize_won=500_000,
        confirmed_by=club.chair, confirmed_at=_at(2026, 11, 28),
    )  # fmt: skip


def test_the_review_opens_a_club_review_round_with_one_entry_per_club() -> None:
    admin = portal_admin()
    first = ClubFactory()
    review = services.review_open(year=2026, opened_by=admin, at=_at(2026, 11, 2))
    assert review.round.kind == "club_review"
    quotas = {q.grade: (q.count, q.prize_won) for q in review.round.quotas.all()}
    assert quotas == {"grand": (1, 500_000), "excellent": (2, 300_000), "merit": (8, 200_000)}
    assert list(review.round.stages.order_by("order").values_list("committee__kind", flat=True)) == [
        "working_panel", "promotion_board",
    ]  # fmt: skip
    second = ClubFactory()
    again = services.review_open(year=2026, opened_by=admin, at=_at(2026, 11, 3))
    assert again.pk == review.pk
    assert set(review.round.entries.values_list("source_id", flat=True)) == {first.pk, second.pk}
    assert selectors.club_grade(club=first) is None
    _award(first, "grand")
    assert selectors.club_grade(club=first) == "grand"


def test_the_hr_exports_list_capped_hours_and_incentives() -> None:
    group, leader, secretary, plain = group_with_members(members=0)
    ids = [leader.user_id, secretary.user_id]
    for month in (2, 3, 4, 5, 6):
        _meet(group, secretary, ids, date(2026, month, 10), hours="3")  # 15 attended
    wb = load_workbook(BytesIO(exports.learning_hours_xlsx(half=periods.half(2026, 1))))
    rows = list(wb.active.iter_rows(values_only=True))
    assert rows[0][4:6] == ("참석 시간", "인정 시간(상시학습)")
    assert sorted(r[4:7] for r in rows[1:]) == [(15, 12, 3), (15, 12, 3)]
    services.top_contributor_recommend(
        club=group.club, user=leader.user, recommended_by=group.club.chair, grade="grand"
    )
    services.overseas_trip_recommend(
        club=group.club, recommended_by=group.club.chair, grade="grand"
    )
    wb = load_workbook(BytesIO(exports.incentives_xlsx(year=2026)))
    rows = list(wb.active.iter_rows(values_only=True))[1:]
    assert len(rows) == 3
    assert {r[5] for r in rows} == {"최우수"}
    assert sum(1 for r in rows if r[6].startswith("활동 최고 기여자")) == 1


def test_the_sql_sum_agrees_with_the_pure_rule() -> None:
    group, leader, secretary, _ = group_with_members(members=0)
    rows = []
    for day, h in [
        (date(2026, 2, 3), "4"),
        (date(2026, 3, 3), "5"),
        (date(2026, 6, 3), "4.5"),
        (date(2026, 7, 3), "2"),
    ]:
        _meet(group, secretary, [leader.user_id], day, hours=h)
        rows.append(calc.AttendedHours(leader.user_id, day, Decimal(h)))
    pure = calc.learning_hours(rows)
    for half in (periods.half(2026, 1), periods.half(2026, 2)):
        assert selectors.hours_by_user(half=half)[leader.user_id] == pure[(leader.user_id, half)]
