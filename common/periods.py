"""Calendar periods of the programme, in Asia/Seoul: month, quarter, half-year, year.

The one calendar of the portal. Every app takes its months, quarters and halves from here,
so "which quarter is 00:30 on 1 April KST" has one answer. Pure functions on plain values:
``date`` for a day or a month (the first day stands for the month), aware ``datetime`` for
instants. Periods are half-open ranges ``[start, end)``.
"""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

KST = ZoneInfo("Asia/Seoul")
MONTHS = range(1, 13)
QUARTERS = (1, 2, 3, 4)
HALVES = (1, 2)


def local_date(at: datetime) -> date:
    """The Asia/Seoul calendar day of an aware instant."""
    if at.tzinfo is None:
        raise ValueError("an aware datetime is required")
    return at.astimezone(KST).date()


def month_of(at: datetime) -> date:
    """The first day of the Asia/Seoul calendar month ``at`` falls in (aware ``at`` only)."""
    return local_date(at).replace(day=1)


def quarter_of(day: date) -> int:
    """1..4: the quarter of the day's (or month's) calendar month."""
    return (day.month - 1) // 3 + 1


def half_of(day: date) -> int:
    """1 = 상반기 (January–June), 2 = 하반기 (July–December)."""
    return 1 if day.month <= 6 else 2


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def previous_month(day: date) -> date:
    """The first day of the month before ``day``'s."""
    return date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1)


def add_months(day: date, months: int) -> date:
    """The same day ``months`` later (or earlier), clamped to the month's end
    (31 January + 1 month = the last day of February)."""
    index = day.month - 1 + months
    year_number, month_number = day.year + index // 12, index % 12 + 1
    return date(
        year_number, month_number, min(day.day, calendar.monthrange(year_number, month_number)[1])
    )


def previous_quarter(day: date) -> tuple[int, int]:
    """(year, quarter) of the quarter before the one ``day`` is in."""
    quarter = quarter_of(day)
    return (day.year - 1, 4) if quarter == 1 else (day.year, quarter - 1)


def previous_half(day: date) -> tuple[int, int]:
    """(year, half) of the half-year before the one ``day`` is in."""
    return (day.year - 1, 2) if half_of(day) == 1 else (day.year, 1)


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period: whole months ``[start, end)`` (first days of months)."""

    start: date
    end: date
    key: str

    @property
    def months(self) -> list[date]:
        out, month = [], self.start
        while month < self.end:
            out.append(month)
            month = next_month(month)
        return out

    @property
    def last_day(self) -> date:
        return self.end - timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.start <= day < self.end

    def instants(self) -> tuple[datetime, datetime]:
        """The period as aware instants ``[start, end)`` at Asia/Seoul midnight."""
        return local_midnight(self.start), local_midnight(self.end)


def month(year: int, month_number: int) -> Period:
    if month_number not in MONTHS:
        raise ValueError("month must be 1..12")
    start = date(year, month_number, 1)
    return Period(start, next_month(start), f"{year}-{month_number:02d}")


def quarter(year: int, quarter_number: int) -> Period:
    if quarter_number not in QUARTERS:
        raise ValueError("quarter must be 1..4")
    start = date(year, 3 * (quarter_number - 1) + 1, 1)
    end = date(year + 1, 1, 1) if quarter_number == 4 else date(year, start.month + 3, 1)
    return Period(start, end, f"{year}-Q{quarter_number}")


def half(year: int, half_number: int) -> Period:
    if half_number not in HALVES:
        raise ValueError("half must be 1 or 2")
    if half_number == 1:
        return Period(date(year, 1, 1), date(year, 7, 1), f"{year}-H1")
    return Period(date(year, 7, 1), date(year + 1, 1, 1), f"{year}-H2")


def year(year_number: int) -> Period:
    return Period(date(year_number, 1, 1), date(year_number + 1, 1, 1), f"{year_number}")


def period(
    *, year: int, quarter: int | None = None, half: int | None = None, month: int | None = None
) -> Period:
    """One of a month, a quarter, a half-year or (none given) the whole year."""
    given = [x is not None for x in (quarter, half, month)]
    if sum(given) > 1:
        raise ValueError("give at most one of quarter, half, month")
    if quarter is not None:
        return _quarter(year, quarter)
    if half is not None:
        return _half(year, half)
    if month is not None:
        return _month(year, month)
    return _year(year)


_month, _quarter, _half, _year = month, quarter, half, year


def month_key(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def quarter_key(day: date) -> str:
    return f"{day.year}-Q{quarter_of(day)}"


def half_key(day: date) -> str:
    return f"{day.year}-H{half_of(day)}"


def local_midnight(day: date) -> datetime:
    """00:00 of ``day`` in Asia/Seoul, aware."""
    return datetime(day.year, day.month, day.day, tzinfo=KST)


def local_range(start: date, end: date) -> tuple[datetime, datetime]:
    """[start, end) of local (Asia/Seoul) days as aware datetimes."""
    return local_midnight(start), local_midnight(end)
