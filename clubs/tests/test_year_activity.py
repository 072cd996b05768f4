"""clubs.selectors.year_activity: the dashboard's clubs figures per year, by date range."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clubs.models import Attendance, Meeting
from clubs.selectors import YearActivity, year_activity
from clubs.tests.factories import ClubFactory, group_with_members

pytestmark = [pytest.mark.django_db, pytest.mark.smoke]


def _meeting(group, held_on: date, hours: str, people) -> Meeting:
    meeting = Meeting.objects.create(
        group=group, held_on=held_on, place="회의실", kind=Meeting.Kind.REGULAR,
        hours=Decimal(hours), minutes="회의록", recorded_by=people[0],
        recorded_at=timezone.now(),
    )  # fmt: skip
    Attendance.objects.bulk_create(
        Attendance(meeting=meeting, user=p, held_on=held_on, hours=meeting.hours) for p in people
    )
    return meeting


def test_each_year_counts_its_own_meetings_people_and_hours_at_the_year_edges() -> None:
    group, leader, secretary, plain = group_with_members(club=ClubFactory(year=2026), members=2)
    people = [leader.user, secretary.user, *(m.user for m in plain)]
    _meeting(group, date(2025, 12, 31), "2.0", people[:3])  # 2025's last day
    _meeting(group, date(2026, 1, 1), "1.5", people)  # 2026's first day
    _meeting(group, date(2026, 12, 31), "3.0", people[:2])
    _meeting(group, date(2027, 1, 1), "4.0", people)  # outside both years
    _meeting(group, date(2024, 12, 31), "4.0", people)

    with CaptureQueriesContext(connection) as captured:
        figures = year_activity(years=[2025, 2026])
    # One statement per table: clubs, meetings, attendance (people and hours), reports.
    assert len(captured.captured_queries) == 4
    assert figures[2025] == YearActivity(0, 1, 3, Decimal("6.0"), 0)
    assert figures[2026] == YearActivity(1, 2, 6, Decimal("12.0"), 0)
    # The same as a plain recount of the rows.
    for year in (2025, 2026):
        rows = Attendance.objects.filter(held_on__year=year)
        assert figures[year].attendances == rows.count()
        assert figures[year].hours == sum(r.hours for r in rows)


def test_a_year_without_activity_is_zero() -> None:
    assert year_activity(years=[2030]) == {2030: YearActivity(0, 0, 0, Decimal(0), 0)}
