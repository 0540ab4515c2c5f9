"""A small bar chart drawn on the server as SVG geometry (no JavaScript, no CDN): the template draws it.

The console home's "last 30 days" chart: requests opened and resolved per day. The template gives the
SVG a title and a description and puts the same figures in a table beside it (the accessible
alternative), so the geometry here carries no meaning of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .home import Day

WIDTH = 600
HEIGHT = 160
AXIS = 16  # room under the bars for the baseline
GAP = 2  # between two days' groups


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class FlowChart:
    width: int
    height: int
    baseline: float
    opened: list[Bar]
    resolved: list[Bar]
    peak: int  # the largest daily value: the chart's scale
    opened_total: int
    resolved_total: int
    met_percent: int | None  # resolved within their service level, rounded; None when nothing was resolved


def flow_chart(days: Sequence[Day]) -> FlowChart:
    peak = max((max(day.opened, day.resolved) for day in days), default=0)
    baseline = HEIGHT - AXIS
    slot = WIDTH / max(len(days), 1)
    bar_width = max((slot - GAP) / 2, 1)

    def bar(index: int, offset: int, value: int) -> Bar:
        height = round(baseline * value / peak, 1) if peak else 0.0
        return Bar(
            x=round(index * slot + offset * bar_width, 1),
            y=round(baseline - height, 1),
            width=round(bar_width, 1),
            height=height,
        )

    resolved_total = sum(day.resolved for day in days)
    met = sum(day.met for day in days)
    met_percent = (
        int((Decimal(100 * met) / resolved_total).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        if resolved_total
        else None
    )
    return FlowChart(
        width=WIDTH,
        height=HEIGHT,
        baseline=baseline,
        opened=[bar(index, 0, day.opened) for index, day in enumerate(days)],
        resolved=[bar(index, 1, day.resolved) for index, day in enumerate(days)],
        peak=peak,
        opened_total=sum(day.opened for day in days),
        resolved_total=resolved_total,
        met_percent=met_percent,
    )
