"""The HTTP bench's method (bench/http/run.py): its ratios, spreads, merged latencies and CPU per request.

Pure functions of wrk's and /proc's figures: no server, no wrk.
"""

import importlib.util
import os
import sys
from pathlib import Path
from typing import Any

import pytest

RUN = Path(__file__).resolve().parents[1] / "bench" / "http" / "run.py"


@pytest.fixture(scope="module")
def bench() -> Any:
    spec = importlib.util.spec_from_file_location("bench_http_run", RUN)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    yield module
    del sys.modules[spec.name]


def piece(bench: Any, rps: float, ticks: int, latency: list[list[int]], seconds: float = 2.0) -> Any:
    requests = round(rps * seconds)
    result = {
        "requests": requests,
        "seconds": seconds,
        "rps": rps,
        "unexpected": 0,
        "socket_errors": 0,
        "latency_us": latency,
    }
    return bench.Slice("s", result, ticks, 0.0, seconds, db_ticks=ticks // 2)


def test_each_slice_is_compared_with_the_bare_slices_either_side(bench: Any) -> None:
    # B S B S B S B: the machine slowed down by half between the first and the last bare slice.
    ratios = bench.pair_ratios([200, 160, 120, 100], [90, 70, 55])
    assert ratios == pytest.approx([0.5, 70 / 140, 55 / 110])


def test_slices_must_alternate(bench: Any) -> None:
    with pytest.raises(ValueError, match="3 bare slices around 3"):
        bench.pair_ratios([1, 1, 1], [1, 1, 1])


def test_median_and_spread(bench: Any) -> None:
    assert bench.median([0.9, 0.5, 0.7]) == 0.7
    assert bench.median([4, 1, 3, 2]) == 2.5
    assert bench.spread([0.9, 0.5, 0.7]) == (0.5, 0.9)


def test_percentiles_follow_wrk_on_the_merged_distribution(bench: Any) -> None:
    # Two slices: 198 fast requests and 2 slow ones in all. A slice's own p99 would be 10 or 300 ms;
    # the merged distribution's is the second slowest request's.
    merged = bench.merge_latencies([[[10_000, 99], [300_000, 1]], [[10_000, 99], [250_000, 1]]])
    assert merged == {10_000: 198, 250_000: 1, 300_000: 1}
    assert bench.percentile_ms(merged, 50) == 10.0
    assert bench.percentile_ms(merged, 99) == 250.0
    assert bench.percentile_ms(merged, 100) == 300.0
    assert bench.percentile_ms({}, 99) == 0.0


def test_cpu_per_request(bench: Any) -> None:
    # 100 ticks a second (SC_CLK_TCK): 150 ticks for 300 requests is 5 ms each.
    assert bench.cpu_ms_per_request(150, 300, 100) == 5.0
    assert bench.cpu_ms_per_request(10, 0, 100) == 0.0


def test_a_row_from_slices_and_its_ratios_to_the_bare_list(bench: Any) -> None:
    fast = [[20_000, 10]]
    bare = [piece(bench, rps, ticks, fast) for rps, ticks in ((200, 80), (100, 40), (200, 80), (100, 40))]
    # Half the bare list's req/s in each pair, at twice its CPU per request (4 ms against 2).
    scenario = [piece(bench, rps, 4 * rps * 2 // 10, fast) for rps in (75, 75, 75)]
    row = bench.summarise("page", scenario, 100, queries=3, status=200)
    assert row["rps"] == 75
    assert row["cpu_ms"] == 4.0
    assert row["p99_ms"] == 20.0
    bench.compare(row, bare, scenario, 100)
    assert row["ratios"] == [0.5, 0.5, 0.5]
    assert (row["ratio"], row["ratio_min"], row["ratio_max"]) == (0.5, 0.5, 0.5)
    assert row["bare_cpu_ms"] == 2.0
    assert (row["cpu_ratio"], row["cpu_ratio_min"], row["cpu_ratio_max"]) == (0.5, 0.5, 0.5)
    # Their PostgreSQL backends took half as much again on both sides.
    assert (row["db_cpu_ms"], row["bare_db_cpu_ms"]) == (2.0, 1.0)
    assert row["cpu_db_ratio"] == 0.5


def test_the_cpu_ratio_is_the_median_of_its_pairs_so_within_its_spread(bench: Any) -> None:
    fast = [[20_000, 10]]
    bare = [piece(bench, 100, 20, fast) for _ in range(4)]  # 2 ms a request in every bare slice
    # 4, 2 and 8 ms a request: pair ratios 0.5, 1 and 0.25; the totals' ratio would be 2 / 4.67 = 0.43.
    scenario = [piece(bench, 100, ticks, fast) for ticks in (40, 20, 80)]
    row = bench.summarise("page", scenario, 100, queries=3, status=200)
    bench.compare(row, bare, scenario, 100)
    assert (row["cpu_ratio"], row["cpu_ratio_min"], row["cpu_ratio_max"]) == (0.5, 0.25, 1.0)


def test_the_former_every_five_ratio_from_the_same_run(bench: Any) -> None:
    rows = [{"rps": 100.0} for _ in range(6)]
    blocks = [[piece(bench, 200, 0, []), piece(bench, 100, 0, [])] for _ in range(6)]
    bench.every_five(rows, blocks)
    # Around the first five: the first block's first bare slice (200) and the fifth's last (100).
    assert [row["ratio_every5"] for row in rows] == [round(100 / 150, 3)] * 5 + [round(100 / 150, 3)]


def test_backends_that_come_and_go_count_from_their_first_reading(bench: Any) -> None:
    # 10 kept its connection, 11 closed it (its last ticks are lost), 12 opened one meanwhile.
    assert bench.ticks_delta({10: 100, 11: 50}, {10: 130, 12: 7}) == 30 + 7


def test_server_cpu_is_read_for_each_side(bench: Any) -> None:
    used = bench.process_ticks({"us": {os.getpid()}, "nobody": {-5}})
    assert used["us"] > 0
    assert used["nobody"] == 0


def test_the_readme_table_replaces_its_own_block_only(bench: Any, tmp_path: Path, monkeypatch: Any) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(
        "intro\n<!-- bench/http: start -->\nold\n<!-- bench/http: end -->\n"
        "<!-- bench/http nginx: start -->\nnginx\n<!-- bench/http nginx: end -->\nafter\n"
    )
    monkeypatch.setattr(bench, "README", readme)
    common = {"p50_ms": 10.0, "p99_ms": 20.0, "cpu_ms": 4.0, "db_cpu_ms": 1.0, "unexpected": 0, "socket_errors": 0}
    bare = {**common, "scenario": "bare_list", "rps": 100.0, "ratio": 1.0, "queries": None, "foreign_cpu_pct": 1.0}
    page = {
        **common,
        "scenario": "console_queue",
        "rps": 80.0,
        "ratio": 0.8,
        "ratio_min": 0.7,
        "ratio_max": 0.9,
        "cpu_ratio": 0.5,
        "cpu_ratio_min": 0.45,
        "cpu_ratio_max": 0.55,
        "cpu_db_ratio": 0.6,
        "queries": 2,
        "foreign_cpu_pct": 2.0,
    }
    bench.write_readme([bare, page], 100.0, {"organisation_requests": 10_673}, "3 slices", through_nginx=False)
    text = readme.read_text()
    assert "old" not in text
    assert (
        "| console_queue | 80.0 | 0.80 | 0.70-0.90 | 4.0 | 1.0 | 0.50 (0.45-0.55) | 0.60 | 10 | 20 | 2 | 0 | 2.0 |"
        in text
    )
    assert "| bare_list | 100.0 | 1.00 |  | 4.0 | 1.0 |  |  | 10 | 20 |  | 0 | 1.0 |" in text
    assert text.startswith("intro\n<!-- bench/http: start -->")
    assert text.endswith("<!-- bench/http nginx: start -->\nnginx\n<!-- bench/http nginx: end -->\nafter\n")


def test_ports_two_or_three_all_different(bench: Any) -> None:
    assert bench.parse_ports("8141,8142") == (8141, 8142, None)
    assert bench.parse_ports("8141, 8142, 8143") == (8141, 8142, 8143)
    for wrong in ("8141", "8141,8141", "1,2,3,4"):
        with pytest.raises(ValueError, match="two or three different ports"):
            bench.parse_ports(wrong)


def test_a_free_port_is_free(bench: Any) -> None:
    import socket

    with socket.socket() as taker:
        taker.bind(("127.0.0.1", bench.free_port()))


# What a row needs for its table cells, beside its req/s and ratios.
CELLS = {
    "cpu_ms": 4.0,
    "db_cpu_ms": 1.0,
    "p50_ms": 10.0,
    "p99_ms": 20.0,
    "queries": None,
    "unexpected": 0,
    "socket_errors": 0,
    "foreign_cpu_pct": 1.0,
}


def test_detail_pages_over_the_helpdesk_ticket_view_of_the_same_run(bench: Any) -> None:
    rows = [
        {"scenario": "bare_list", "rps": 150.0, "ratio": 1.0},
        {"scenario": "helpdesk_ticket_view", "rps": 40.0, "ratio": 0.25, "cpu_ms": 30.0},
        # Measured while the machine was faster: its raw req/s flatters it, its ratio to the bare list does not.
        {"scenario": "request_detail_agent", "rps": 120.0, "ratio": 0.6, "cpu_ms": 5.0},
        {"scenario": "request_detail_customer", "rps": 100.0, "ratio": 0.75},
        {"scenario": "console_queue", "rps": 130.0, "ratio": 0.9},
    ]
    bench.peer.versus(rows)
    by_name = {row["scenario"]: row for row in rows}
    assert by_name["request_detail_agent"]["vs_helpdesk_ticket_view"] == 3.0
    assert by_name["request_detail_agent"]["vs_helpdesk_ticket_view_adjusted"] == 2.4
    assert by_name["request_detail_agent"]["cpu_vs_helpdesk_ticket_view"] == 6.0
    assert by_name["request_detail_customer"]["vs_helpdesk_ticket_view"] == 2.5
    assert by_name["request_detail_customer"]["vs_helpdesk_ticket_view_adjusted"] == 3.0
    assert "vs_helpdesk_ticket_view" not in by_name["console_queue"]
    assert "vs_helpdesk_ticket_view" not in by_name["helpdesk_ticket_view"]
    # Its column shows only when a row has the comparison.
    assert bench.header(rows)[-1] == bench.PEER_COLUMN
    assert bench.cells(by_name["request_detail_agent"] | CELLS, with_peer=True)[-1] == "3.00 (2.40)"
    assert bench.cells(by_name["console_queue"] | CELLS, with_peer=True)[-1] == ""


def test_without_the_helpdesk_nothing_is_compared(bench: Any) -> None:
    rows = [{"scenario": "request_detail_agent", "rps": 120.0, "ratio": 0.6}]
    bench.peer.versus(rows)
    assert rows == [{"scenario": "request_detail_agent", "rps": 120.0, "ratio": 0.6}]
    assert bench.PEER_COLUMN not in bench.header(rows)


class FakePsql:
    """psql's answers for the peer's set-up: which role and database exist, how many tickets."""

    def __init__(self, *, database: bool, tickets: int) -> None:
        self.database, self.tickets, self.sent = database, tickets, []

    def __call__(self, sql: str, database: str) -> str:
        self.sent.append(sql)
        if "pg_roles" in sql:
            return "1"
        if "pg_database" in sql:
            return "1" if self.database else ""
        if "to_regclass" in sql:
            return "helpdesk_ticket" if self.tickets else ""
        if sql.startswith("SELECT count(*)"):
            return str(self.tickets)
        return ""


@pytest.mark.parametrize(
    ("database", "tickets", "dropped", "created"),
    [
        (False, 0, False, True),  # first run: created
        (True, 0, False, False),  # created, not migrated yet: kept, seeded next
        (True, 100_000, False, False),  # seeded: reused
        (True, 40_000, True, True),  # an interrupted seeding: started again from empty
    ],
)
def test_peer_database_is_created_once_and_a_partial_seed_is_dropped(
    bench: Any, database: bool, tickets: int, dropped: bool, created: bool
) -> None:
    psql = FakePsql(database=database, tickets=tickets)
    bench.peer.ensure_database(psql)
    assert any(sql.startswith("DROP DATABASE perf_hd") for sql in psql.sent) is dropped
    assert any(sql.startswith("CREATE DATABASE perf_hd") for sql in psql.sent) is created
