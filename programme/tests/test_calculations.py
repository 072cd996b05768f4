from datetime import date

import pytest

from common import periods
from programme import calculations as calc


@pytest.mark.parametrize(
    ("months", "label"),
    [
        ([3, 6, 9], "3·6·9월"),
        (list(range(2, 13)), "2~12월"),
        (list(range(1, 13)), "연중"),
        ([8, 9, 10], "8~10월"),
        ([11, 5], "5·11월"),
        ([1, 2, 4], "1~2·4월"),
        ([], ""),
    ],
)
def test_it_labels_months_like_the_plan(months: list[int], label: str) -> None:
    assert calc.months_label(months) == label


@pytest.mark.parametrize(
    ("day", "quarter", "previous", "half"),
    [
        (date(2026, 1, 1), "2026-Q1", (2025, 4), "2026-H1"),
        (date(2026, 4, 1), "2026-Q2", (2026, 1), "2026-H1"),
        (date(2026, 6, 30), "2026-Q2", (2026, 1), "2026-H1"),
        (date(2026, 7, 1), "2026-Q3", (2026, 2), "2026-H2"),
        (date(2026, 12, 31), "2026-Q4", (2026, 3), "2026-H2"),
    ],
)
def test_it_names_quarters_and_halves(
    day: date, quarter: str, previous: tuple[int, int], half: str
) -> None:
    # The programme's periods are the portal's one calendar.
    assert periods.quarter_key(day) == quarter
    assert periods.previous_quarter(day) == previous
    assert periods.half_key(day) == half


def test_the_month_before_january_is_last_december() -> None:
    assert periods.previous_month(date(2026, 1, 15)) == date(2025, 12, 1)
    assert periods.previous_month(date(2026, 7, 31)) == date(2026, 6, 1)
    assert periods.month_key(date(2026, 3, 5)) == "2026-03"


def test_change_against_last_year() -> None:
    assert calc.Change(384, 327).delta == 57
    assert calc.Change(384, 327).percent == 17.4
    assert calc.Change(5, 0).percent is None
    assert calc.Change(0, 4).percent == -100.0
    assert calc.share_percent(1, 3) == 33.3 and calc.share_percent(1, 0) is None


def test_half_year_sittings_take_every_month_once() -> None:
    may = calc.half_year_collection(date(2026, 5, 1))
    nov = calc.half_year_collection(date(2026, 11, 1))
    assert may == (date(2025, 11, 1), date(2026, 4, 30))
    assert nov == (date(2026, 5, 1), date(2026, 10, 31))
    february, december = periods.month(2026, 2), periods.month(2026, 12)
    assert (february.start, february.last_day) == (date(2026, 2, 1), date(2026, 2, 28))
    assert (december.start, december.last_day) == (date(2026, 12, 1), date(2026, 12, 31))
