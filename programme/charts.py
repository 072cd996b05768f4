"""Server-drawn SVG bar charts: geometry computed here (pure, tested without a browser),
drawn by ``programme/_bar_chart.html``. No JavaScript: the numbers are also in a table."""

import math
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    baseline: float
    left: float
    groups: list[Group]
    ticks: list[Tick]
    legend: list[tuple[str, str]]  # (series label, colour)


def nice_max(value: float) -> float:
    """A round axis maximum at or above ``value`` (1, 2, 2.5, 5 × 10^n)."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power  # pragma: no cover - the loop always returns


def bar_chart(
    categories: list[str],
    series: list[tuple[str, list[float | None]]],
    *,
    width: int = 640,
    height: int = 260,
) -> Chart:
    """Grouped vertical bars: one group per category, one bar per series."""
    left, right, top, bottom = 56.0, 8.0, 12.0, 48.0
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [v or 0 for _label, vs in series for v in vs]
    top_value = nice_max(max([0, *values]))
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
    ticks = [Tick(baseline - plot_h * k / 4, top_value * k / 4) for k in range(5)]
    legend = [(name, COLOURS[j % len(COLOURS)]) for j, (name, _vs) in enumerate(series)]
    return Chart(width, height, baseline, left, groups, ticks, legend)
