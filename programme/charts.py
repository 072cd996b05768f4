"""Server-drawn SVG bar charts: geometry computed here (pure, tested without a browser),
drawn by ``programme/_bar_chart.html``. No JavaScript: the numbers are also in a table.

One chart, one unit: counts on their own axis, money on its own with Korean units (만원,
억원), so 31,945,000 won reads "3,194.5만원" instead of a clipped "000,000". The axis is as
wide as its longest label."""

import math
from dataclasses import dataclass
from typing import Literal

Unit = Literal["count", "won"]
MAN = 10_000  # 만
EOK = 100_000_000  # 억

# Two series (last year, this year) in colours that keep 3:1 contrast on white.
COLOURS = ["#8a99b3", "#0b50c0", "#b35c00", "#2b7a3d"]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: float
    colour: str


@dataclass(frozen=True)
class Group:
    label: str
    x: float  # centre of the group, for its label
    bars: list[Bar]


@dataclass(frozen=True)
class Tick:
    y: float
    value: float
    label: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: float
    left: float
    groups: list[Group]
    ticks: list[Tick]
    legend: list[tuple[str, str]]  # (series label, colour)
    unit: Unit = "count"
    description: str = ""  # every value in words, for screen readers (the SVG's <desc>)

    @property
    def tick_x(self) -> float:
        """Where the tick labels end: just left of the axis."""
        return round(self.left - 6, 1)


def nice_max(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def _plain(value: float) -> str:
    """1,234 / 1,234.5: thousands separated, a decimal only when there is one."""
    return f"{value:,.1f}".removesuffix(".0")


def won_label(value: float) -> str:
    """Money in the units Korean readers use: 억원 from 100,000,000, 만원 from 10,000."""
    if abs(value) >= EOK:
        return f"{value / EOK:,.2f}".rstrip("0").rstrip(".") + "억원"
    if abs(value) >= MAN:
        return f"{_plain(round(value / MAN, 1))}만원"
    return f"{_plain(value)}원"


def value_label(value: float, unit: Unit) -> str:
    return won_label(value) if unit == "won" else _plain(value)


def exact_label(value: float, unit: Unit) -> str:
    """The exact figure (the description and the table keep every won)."""
    return f"{_plain(value)}원" if unit == "won" else _plain(value)


def label_width(text: str, font_px: float = 12) -> float:
    """A generous estimate of the drawn width: Hangul is about a full em, digits half."""
    return sum(font_px if ord(c) > 0x2E80 else font_px * 0.62 for c in text)


def bar_chart(
    categories: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    unit: Unit = "count",
    width: int = 640,
    height: int = 260,
) -> Chart:
    """Grouped vertical bars: one group per category, one bar per series, one unit."""
    values = [v or 0 for _label, vs in series for v in vs]
    top_value = nice_max(max([0, *values]))
    tick_values = [top_value * k / 4 for k in range(5)]
    tick_labels = [value_label(v, unit) for v in tick_values]
    left = round(
        14.0 + max(label_width(t) for t in tick_labels), 1
    )  # labels end 6 px before the axis
    right, top, bottom = 8.0, 12.0, 48.0
    plot_w, plot_h = width - left - right, height - top - bottom
    n = max(len(categories), 1)
    group_w = plot_w / n
    bar_w = min(40.0, group_w * 0.8 / max(len(series), 1))
    baseline = top + plot_h
    groups = []
    for i, label in enumerate(categories):
        centre = left + group_w * (i + 0.5)
        start = centre - bar_w * len(series) / 2
        bars = []
        for j, (_name, vs) in enumerate(series):
            v = max(vs[i] or 0, 0)
            h = plot_h * v / top_value
            bars.append(
                Bar(start + j * bar_w, baseline - h, bar_w - 2, h, v, COLOURS[j % len(COLOURS)])
            )
        groups.append(Group(label, centre, bars))
    ticks = [
        Tick(baseline - plot_h * k / 4, v, label)
        for k, (v, label) in enumerate(zip(tick_values, tick_labels, strict=True))
    ]
    legend = [(name, COLOURS[j % len(COLOURS)]) for j, (name, _vs) in enumerate(series)]
    description = "; ".join(
        f"{label}: "
        + ", ".join(
            f"{name} {'-' if vs[i] is None else exact_label(vs[i] or 0, unit)}"
            for name, vs in series
        )
        for i, label in enumerate(categories)
    )
    return Chart(width, height, baseline, left, groups, ticks, legend, unit, description)
