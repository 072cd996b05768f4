from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from common import periods

pytestmark = pytest.mark.smoke
UTC = ZoneInfo("UTC")


def test_00_30_on_1_april_kst_is_april_and_q2() -> None:
    at = datetime(2026, 3, 31, 15, 30, tzinfo=UTC)  # 00:30 on 1 April in Seoul
    month = periods.month_of(at)
    assert month == date(2026, 4, 1)
    assert periods.quarter_of(month) == 2
    assert periods.half_of(month) == 1


def test_it_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError):
        periods.month_of(datetime(2026, 4, 1))  # noqa: DTZ001


def test_periods_are_half_open_month_ranges() -> None:
    q4 = periods.period(year=2026, quarter=4)
    assert (q4.start, q4.end, q4.key) == (date(2026, 10, 1), date(2027, 1, 1), "2026-Q4")
    assert [m.month for m in q4.months] == [10, 11, 12]
    h2 = periods.period(year=2026, half=2)
    assert len(h2.months) == 6 and h2.last_day == date(2026, 12, 31)
    assert len(periods.period(year=2026).months) == 12
    assert periods.period(year=2026, month=2).key == "2026-02"
    with pytest.raises(ValueError):
        periods.period(year=2026, month=2, quarter=1)
    with pytest.raises(ValueError):
        periods.quarter(2026, 5)


def test_previous_periods_cross_the_year() -> None:
    assert periods.previous_quarter(date(2026, 1, 5)) == (2025, 4)
    assert periods.previous_half(date(2026, 3, 1)) == (2025, 2)
    assert periods.previous_month(date(2026, 1, 5)) == date(2025, 12, 1)


def test_instants_are_seoul_midnights() -> None:
    start, end = periods.period(year=2026, month=4).instants()
    assert start.astimezone(UTC) == datetime(2026, 3, 31, 15, 0, tzinfo=UTC)
    assert end.astimezone(UTC) == datetime(2026, 4, 30, 15, 0, tzinfo=UTC)


def test_add_months_clamps_to_the_month_end() -> None:
    assert periods.add_months(date(2016, 1, 31), 1) == date(2016, 2, 29)
    assert periods.add_months(date(2016, 12, 15), 1) == date(2017, 1, 15)
    assert periods.add_months(date(2016, 3, 10), -3) == date(2015, 12, 10)
