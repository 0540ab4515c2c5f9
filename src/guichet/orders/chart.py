"""Geometry of the order timeline chart: one lane for the order, one per parcel, time left to right.

Pure: events in, positions out; the template draws them as inline SVG next to the
same events as a list (the chart's text alternative).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

WIDTH = 720
LABEL_WIDTH = 170
RIGHT_MARGIN = 24
TOP = 16
LANE_HEIGHT = 44
AXIS_HEIGHT = 34
MIN_SPAN = timedelta(days=1)
TICKS = 4


@dataclass(frozen=True)
class ChartEvent:
    at: datetime
    lane: str  # "" for the order itself, else the parcel's tracking number
    status: str
    label: str  # e.g. "In transit, 3 March 14:05"


@dataclass(frozen=True)
class Lane:
    key: str
    label: str
    y: int


@dataclass(frozen=True)
class Point:
    x: int
    y: int
    status: str
    label: str
    done: bool  # the last point of its lane is drawn filled


@dataclass(frozen=True)
class Tick:
    x: int
    at: datetime
    anchor: str  # SVG text-anchor: the first and last labels stay inside the drawing


@dataclass(frozen=True)
class Segment:
    x1: int
    x2: int
    y: int


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    axis_y: int
    plot_left: int
    plot_right: int
    lanes: list[Lane]
    points: list[Point]
    segments: list[Segment]
    ticks: list[Tick]
    start: datetime
    end: datetime


def build(events: Sequence[ChartEvent], lanes: Sequence[tuple[str, str]], now: datetime) -> Chart | None:
    """`lanes`: (key, label) in display order. None when there is nothing to draw."""
    if not events:
        return None
    start = min(event.at for event in events)
    end = max(max(event.at for event in events), now)
    if end - start < MIN_SPAN:
        end = start + MIN_SPAN
    span = (end - start).total_seconds()
    left, right = LABEL_WIDTH, WIDTH - RIGHT_MARGIN

    def x_of(at: datetime) -> int:
        return round(left + (right - left) * (at - start).total_seconds() / span)

    lane_rows = [
        Lane(key, label, TOP + LANE_HEIGHT * index + LANE_HEIGHT // 2) for index, (key, label) in enumerate(lanes)
    ]
    points: list[Point] = []
    segments: list[Segment] = []
    for lane in lane_rows:
        mine = sorted((e for e in events if e.lane == lane.key), key=lambda e: e.at)
        for index, event in enumerate(mine):
            points.append(Point(x_of(event.at), lane.y, event.status, event.label, index == len(mine) - 1))
        if mine:
            segments.append(Segment(x_of(mine[0].at), x_of(mine[-1].at), lane.y))
    axis_y = TOP + LANE_HEIGHT * len(lane_rows)
    ticks = []
    for i in range(TICKS):
        moment = start + (end - start) * i / (TICKS - 1)
        anchor = "start" if i == 0 else "end" if i == TICKS - 1 else "middle"
        ticks.append(Tick(x_of(moment), moment, anchor))
    return Chart(
        width=WIDTH,
        height=axis_y + AXIS_HEIGHT,
        axis_y=axis_y,
        plot_left=left,
        plot_right=right,
        lanes=lane_rows,
        points=points,
        segments=segments,
        ticks=ticks,
        start=start,
        end=end,
    )
