"""Pure rules of the programme year: which proposals a half-year sitting takes, how the plan
labels its months, this year against last. The calendar itself is ``common.periods``."""

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from common import periods


def half_year_collection(day: date) -> tuple[date, date]:
    """The proposals a half-year sitting takes: those since the last sitting. The May sitting
    takes Nov 1 (last year) – Apr 30, the November one May 1 – Oct 31, so no month is missed."""
    if periods.half_of(day) == 1:
        return date(day.year - 1, 11, 1), date(day.year, 4, 30)
    return date(day.year, 5, 1), date(day.year, 10, 31)


def months_label(months: list[int]) -> str:
    """Korean label of a set of months, runs joined: [2..12] → '2~12월', [3, 6, 9] → '3·6·9월'."""
    ms = sorted(set(months))
    if not ms:
        return ""
    if ms == list(periods.MONTHS):
        return _("연중")
    runs: list[tuple[int, int]] = []
    for m in ms:
        if runs and runs[-1][1] == m - 1:
            runs[-1] = (runs[-1][0], m)
        else:
            runs.append((m, m))
    parts = [f"{a}" if a == b else f"{a}~{b}" for a, b in runs]
    return _("%(months)s월") % {"months": "·".join(parts)}


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
