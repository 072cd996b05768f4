"""The pure rules of the learning clubs, without a database."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clubs import calculations as calc
from clubs.calculations import AttendedHours
from common import periods

pytestmark = pytest.mark.smoke
D = Decimal


def test_it_splits_the_year_into_halves() -> None:
    assert calc.half_year_of(date(2026, 6, 30)) == periods.half(2026, 1)
    assert calc.half_year_of(date(2026, 7, 1)) == periods.half(2026, 2)
    assert calc.half_label(periods.half(2026, 2)) == "2026년 하반기"
    assert periods.half(2026, 1).last_day == date(2026, 6, 30)


def test_it_caps_learning_hours_at_twelve_per_half_year() -> None:
    rows = [AttendedHours(1, date(2026, m, 10), D("2")) for m in (2, 3, 4, 5, 6)]
    rows += [AttendedHours(1, date(2026, 6, 20), D("3.5"))]  # 13.5 attended in 상반기
    rows += [AttendedHours(1, date(2026, 7, 10), D("2"))]  # 하반기 starts afresh
    rows += [AttendedHours(2, date(2026, 3, 10), D("2"))]
    hours = calc.learning_hours(rows)
    first = hours[(1, periods.half(2026, 1))]
    assert first.attended == D("13.5")
    assert first.credited == D("12")
    assert first.over_cap == D("1.5")
    assert hours[(1, periods.half(2026, 2))].credited == D("2")
    assert hours[(2, periods.half(2026, 1))].credited == D("2")


def test_it_credits_only_what_is_left_under_the_cap() -> None:
    assert calc.credit_for_meeting(already=D("10"), hours=D("3")) == D("2")
    assert calc.credit_for_meeting(already=D("12"), hours=D("2")) == D("0")
    assert calc.credit_for_meeting(already=D("15"), hours=D("2")) == D("0")
    assert calc.credit_for_meeting(already=D("0"), hours=D("2")) == D("2")


@given(st.lists(st.integers(min_value=1, max_value=16), max_size=30))
def test_the_credited_total_never_exceeds_the_cap_and_equals_the_sum_of_credits(
    halves: list[int],
) -> None:
    already = D("0")
    credited = D("0")
    for h in halves:
        hours = D(h) / 2
        credited += calc.credit_for_meeting(already=already, hours=hours)
        already += hours
    assert credited == calc.cap_hours(already)
    assert credited <= calc.LEARNING_HOURS_CAP


def test_negative_hours_are_refused() -> None:
    with pytest.raises(ValueError):
        calc.cap_hours(D("-1"))


@pytest.mark.parametrize(
    ("held_on", "today", "fragment"),
    [
        (date(2026, 5, 2), date(2026, 5, 1), "오늘 이후"),
        (date(2026, 1, 20), date(2026, 5, 1), "운영 기간"),
        (date(2026, 12, 1), date(2026, 12, 10), "운영 기간"),
        (date(2025, 5, 1), date(2026, 5, 10), "운영 기간"),
    ],
)
def test_it_explains_a_bad_meeting_date_in_korean(
    held_on: date, today: date, fragment: str
) -> None:
    problem = calc.meeting_date_problem(held_on=held_on, today=today, club_year=2026)
    assert problem is not None and fragment in problem


def test_a_held_meeting_inside_the_club_year_is_fine() -> None:
    assert (
        calc.meeting_date_problem(held_on=date(2026, 2, 1), today=date(2026, 2, 1), club_year=2026)
        is None
    )
    assert (
        calc.meeting_date_problem(
            held_on=date(2026, 11, 30), today=date(2026, 12, 1), club_year=2026
        )
        is None
    )


@pytest.mark.parametrize(
    ("hours", "ok"),
    [("2", True), ("0.5", True), ("8", True), ("0", False), ("8.5", False), ("1.25", False)],
)
def test_meeting_hours_are_half_hour_steps_up_to_eight(hours: str, ok: bool) -> None:
    assert (calc.meeting_hours_problem(D(hours)) is None) is ok


def test_reports_are_due_on_the_fifth_of_the_next_month() -> None:
    assert calc.report_months(2026)[0] == date(2026, 2, 1)
    assert calc.report_months(2026)[-1] == date(2026, 11, 1)
    assert calc.report_due_date(date(2026, 11, 1)) == date(2026, 12, 5)
    assert calc.report_due_date(date(2026, 12, 1)) == date(2027, 1, 5)


def test_it_lists_overdue_months_without_a_report() -> None:
    filed = {date(2026, 2, 1)}
    overdue = calc.overdue_months(2026, filed=filed, today=date(2026, 4, 6))
    assert overdue == [date(2026, 3, 1)]
    # on the due day itself the report is still on time
    assert calc.overdue_months(2026, filed=filed, today=date(2026, 4, 5)) == []
    # a group formed in May owes nothing before May
    late = calc.overdue_months(2026, filed=set(), today=date(2026, 7, 6), since=date(2026, 5, 15))
    assert late == [date(2026, 5, 1), date(2026, 6, 1)]


@pytest.mark.parametrize(
    ("grade", "kinds"),
    [
        ("grand", {"top_contributor", "overseas_trip"}),
        ("excellent", {"top_contributor"}),
        ("merit", set()),
        (None, set()),
    ],
)
def test_the_grade_decides_the_incentives(grade: str | None, kinds: set[str]) -> None:
    assert calc.incentive_kinds_for_grade(grade) == kinds


def test_only_two_top_contributors_per_group() -> None:
    assert calc.top_contributor_problem(grade="excellent", already_in_group=1) is None
    assert "2명" in calc.top_contributor_problem(grade="excellent", already_in_group=2)
    assert "최우수 또는 우수" in calc.top_contributor_problem(grade="merit", already_in_group=0)


def test_it_formats_hours_as_people_write_them() -> None:
    assert calc.format_hours(D("12.0")) == "12"
    assert calc.format_hours(D("1.5")) == "1.5"


@pytest.mark.parametrize(
    ("today", "month"),
    [
        (date(2026, 7, 1), date(2026, 5, 1)),  # June's report is still on time until the 5th
        (date(2026, 7, 5), date(2026, 5, 1)),
        (date(2026, 7, 6), date(2026, 6, 1)),  # from the 6th June's is overdue
        (date(2026, 7, 31), date(2026, 6, 1)),
        (date(2026, 1, 3), date(2025, 11, 1)),
        (date(2026, 1, 6), date(2025, 12, 1)),
    ],
)
def test_a_reminder_run_is_about_the_latest_month_already_overdue(today: date, month: date) -> None:
    assert calc.latest_overdue_month(today) == month
    assert calc.report_reminder_period(today) == f"{month:%Y-%m}"


def test_daily_reminder_runs_give_each_overdue_month_its_own_period() -> None:
    """Issue 12 #14: with one JobRun per period, a run on the 1st must not use up the period
    of the 6th's run. Every report month gets exactly the runs from its overdue day on."""
    days = [date(2026, 2, 1) + timedelta(days=n) for n in range(365)]
    first_run = {}
    for day in days:
        first_run.setdefault(calc.report_reminder_period(day), day)
    for month in calc.report_months(2026):
        if calc.report_due_date(month) < days[-1]:
            assert first_run[f"{month:%Y-%m}"] == calc.report_due_date(month).replace(
                day=calc.REPORT_DUE_DAY + 1
            )
            # and on that first run the month is indeed overdue
            assert month in calc.overdue_months(
                2026, filed=set(), today=first_run[f"{month:%Y-%m}"]
            )
