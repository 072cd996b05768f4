"""Pure calendar arithmetic of the programme year (Asia/Seoul calendar periods)."""

from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = range(1, 13)


def quarter_of(month: int) -> int:
    return (month - 1) // 3 + 1


def half_of(month: int) -> int:
    return 1 if month <= 6 else 2


def month_key(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def previous_month(day: date) -> date:
    """The first day of the month before ``day``'s."""
    return date(day.year - 1, 12, 1) if day.month == 1 else date(day.year, day.month - 1, 1)


def month_span(day: date) -> tuple[date, date]:
    """First and last day of ``day``'s month."""
    nxt = date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)
    return date(day.year, day.month, 1), nxt - timedelta(days=1)


def half_year_collection(day: date) -> tuple[date, date]:
    """The proposals a half-year sitting takes: those since the last sitting. The May sitting
    takes Nov 1 (last year) – Apr 30, the November one May 1 – Oct 31, so no month is missed."""
    if half_of(day.month) == 1:
        return date(day.year - 1, 11, 1), date(day.year, 4, 30)
    return date(day.year, 5, 1), date(day.year, 10, 31)


def quarter_key(day: date) -> str:
    return f"{day.year}-Q{quarter_of(day.month)}"


def previous_quarter(day: date) -> tuple[int, int]:
    """(year, quarter) of the quarter before the one ``day`` is in."""
    q = quarter_of(day.month)
    return (day.year - 1, 4) if q == 1 else (day.year, q - 1)


def half_key(day: date) -> str:
    return f"{day.year}-H{half_of(day.month)}"


def months_label(months: list[int]) -> str:
    """Korean label of a set of months, runs joined: [2..12] → '2~12월', [3, 6, 9] → '3·6·9월'."""
    ms = sorted(set(months))
    if not ms:
        return ""
    if ms == list(MONTHS):
        return "연중"
    runs: list[tuple[int, int]] = []
    for m in ms:
        if runs and runs[-1][1] == m - 1:
            runs[-1] = (runs[-1][0], m)
        else:
            runs.append((m, m))
    parts = [f"{a}" if a == b else f"{a}~{b}" for a, b in runs]
    return "·".join(parts) + "월"


@dataclass(frozen=True)
class Change:
    """This year's figure against last year's."""

    this: int
    last: int

    @property
    def delta(self) -> int:
        return self.this - self.last

    @property
    def percent(self) -> float | None:
        """Growth in percent, None when last year had nothing to compare with."""
        if self.last == 0:
            return None
        return round(100 * (self.this - self.last) / self.last, 1)


def share_percent(part: int, whole: int) -> float | None:
    return None if whole <= 0 else round(100 * part / whole, 1)
