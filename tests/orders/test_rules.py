"""Order status from quantities, which carrier event wins, webhook freshness: at the edges and for any input."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from guichet.orders import chart, rules
from guichet.orders.rules import LineQuantities

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def status(*lines: LineQuantities, has_shipments: bool = False, accepted: bool = False, cancelled: bool = False) -> str:
    return rules.order_status(lines, has_shipments=has_shipments, accepted=accepted, cancelled=cancelled)


def test_order_status_at_each_step() -> None:
    assert status(LineQuantities(2, 0, 0)) == rules.PLACED
    assert status(LineQuantities(2, 0, 0), accepted=True) == rules.PROCESSING
    assert status(LineQuantities(2, 0, 0), has_shipments=True) == rules.PROCESSING
    assert status(LineQuantities(2, 1, 0)) == rules.PARTIALLY_SHIPPED
    assert status(LineQuantities(2, 2, 0)) == rules.SHIPPED
    assert status(LineQuantities(2, 2, 1)) == rules.PARTIALLY_DELIVERED
    assert status(LineQuantities(2, 2, 2)) == rules.DELIVERED
    assert status(LineQuantities(2, 2, 2), LineQuantities(1, 0, 0, cancelled=True)) == rules.DELIVERED
    assert status(LineQuantities(1, 0, 0, cancelled=True)) == rules.CANCELLED
    assert status(LineQuantities(2, 0, 0), cancelled=True) == rules.CANCELLED
    assert status() == rules.CANCELLED


def test_line_status_at_the_edges() -> None:
    assert rules.line_status(LineQuantities(3, 2, 0)) == rules.PARTIALLY_SHIPPED
    assert rules.line_status(LineQuantities(3, 3, 0)) == rules.SHIPPED
    assert rules.line_status(LineQuantities(3, 3, 2)) == rules.PARTIALLY_DELIVERED
    assert rules.line_status(LineQuantities(3, 3, 3)) == rules.DELIVERED
    assert rules.line_status(LineQuantities(3, 3, 3, cancelled=True)) == rules.CANCELLED


def test_may_ship_at_the_edges() -> None:
    assert rules.may_ship(6, 5, 1)
    assert not rules.may_ship(6, 5, 2)
    assert not rules.may_ship(6, 0, 0)
    assert rules.may_ship(6, 0, 6)


quantities = st.integers(min_value=1, max_value=50).flatmap(
    lambda ordered: st.integers(min_value=0, max_value=ordered).flatmap(
        lambda shipped: st.builds(
            LineQuantities,
            st.just(ordered),
            st.just(shipped),
            st.integers(min_value=0, max_value=shipped),
            st.booleans(),
        )
    )
)


@given(st.lists(quantities, max_size=8), st.booleans(), st.booleans())
def test_order_status_is_always_a_known_one_and_consistent(lines, has_shipments, accepted) -> None:  # type: ignore[no-untyped-def]
    result = status(*lines, has_shipments=has_shipments, accepted=accepted)
    assert result in rules.ORDER_STATUSES
    active = [line for line in lines if not line.cancelled]
    if not active:
        assert result == rules.CANCELLED
    elif all(line.delivered == line.ordered for line in active):
        assert result == rules.DELIVERED
    elif any(line.delivered for line in active):
        assert result == rules.PARTIALLY_DELIVERED
    elif all(line.shipped == line.ordered for line in active):
        assert result == rules.SHIPPED
    elif not any(line.shipped for line in active):
        assert result in (rules.PLACED, rules.PROCESSING)


def test_events_in_order_move_the_parcel_and_late_ones_do_not() -> None:
    assert rules.event_changes_status(rules.LABEL_CREATED, None, rules.IN_TRANSIT, T0)
    assert rules.event_changes_status(rules.IN_TRANSIT, T0, rules.EXCEPTION, T0)  # same instant: newest report wins
    assert not rules.event_changes_status(rules.IN_TRANSIT, T0, rules.LABEL_CREATED, T0 - timedelta(seconds=1))
    assert not rules.event_changes_status(rules.IN_TRANSIT, T0, rules.IN_TRANSIT, T0 + timedelta(hours=1))
    assert not rules.event_changes_status(rules.SHIP_DELIVERED, T0, rules.IN_TRANSIT, T0 + timedelta(days=1))
    assert rules.event_changes_status(rules.SHIP_DELIVERED, T0, rules.RETURNED, T0 + timedelta(days=1))
    assert not rules.event_changes_status(rules.RETURNED, T0, rules.SHIP_DELIVERED, T0 + timedelta(days=1))


@given(st.sampled_from(rules.SHIPMENT_STATUSES), st.sampled_from(rules.SHIPMENT_STATUSES), st.integers(-10_000, 10_000))
def test_an_older_event_never_moves_a_parcel(current, new, seconds) -> None:  # type: ignore[no-untyped-def]
    moved = rules.event_changes_status(current, T0, new, T0 + timedelta(seconds=seconds))
    if seconds < 0 or current == new:
        assert not moved


def test_timestamp_freshness_at_the_edges() -> None:
    assert rules.timestamp_fresh(T0 - rules.WEBHOOK_TOLERANCE, T0)
    assert rules.timestamp_fresh(T0 + rules.WEBHOOK_TOLERANCE, T0)
    assert not rules.timestamp_fresh(T0 - rules.WEBHOOK_TOLERANCE - timedelta(seconds=1), T0)
    assert not rules.timestamp_fresh(T0 + rules.WEBHOOK_TOLERANCE + timedelta(seconds=1), T0)


@given(st.lists(st.tuples(st.integers(0, 30 * 24 * 3600), st.sampled_from(["", "A", "B"])), min_size=1, max_size=20))
def test_chart_points_stay_inside_the_plot(events) -> None:  # type: ignore[no-untyped-def]
    items = [chart.ChartEvent(T0 + timedelta(seconds=s), lane, "in_transit", "x") for s, lane in events]
    drawn = chart.build(items, [("", "Order"), ("A", "A"), ("B", "B")], T0)
    assert drawn is not None
    assert len(drawn.points) == len(items)
    assert all(drawn.plot_left <= p.x <= drawn.plot_right for p in drawn.points)
    assert all(0 < p.y < drawn.axis_y for p in drawn.points)
    assert chart.build([], [("", "Order")], T0) is None
