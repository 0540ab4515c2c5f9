"""The access matrix as a whole: every URL pattern the resolver knows is classified by exactly one
context's share (`test_matrix_<context>.py`, found by name), and no share names a pattern that is gone.

House rule 1: a URL pattern without an entry fails the build, so adding a page means deciding, in
its context's file, who may open it. A new context adds its own file; nothing here changes.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from tests.security.matrix import NOT_FOUND, PATTERNS, ROLES, Matrix

SHARES: dict[str, Matrix] = {
    path.stem: importlib.import_module(f"tests.security.{path.stem}").MATRIX
    for path in sorted(Path(__file__).parent.glob("test_matrix_*.py"))
}


def test_every_url_pattern_has_exactly_one_entry() -> None:
    missing, doubled = [], []
    for pattern in PATTERNS:
        owners = [name for name, share in SHARES.items() if share.entry_for(pattern.key) is not None]
        if not owners:
            missing.append(f"{pattern.key}  ({pattern.route})")
        elif len(owners) > 1:
            doubled.append(f"{pattern.key}: {owners}")
    assert not missing, "URL patterns without an access-matrix entry:\n  " + "\n  ".join(sorted(missing))
    assert not doubled, "URL patterns classified twice:\n  " + "\n  ".join(doubled)


def test_the_matrix_names_only_existing_patterns() -> None:
    stale = [f"{name}: {item}" for name, share in SHARES.items() for item in share.stale()]
    assert not stale, f"matrix entries for patterns that no longer exist: {stale}"


def test_every_object_url_is_probed_and_customer_b_gets_404() -> None:
    """Wherever a URL names one of org_a's objects, its share probes it, and a customer of
    another organisation gets the 404 a missing object gets, never a 403."""
    for name, share in SHARES.items():
        probed = {probe.name: probe for probe in share.probes}
        for pattern in share.patterns:
            entry = share.entry_for(pattern.key)
            if entry is None or entry.kwargs not in share.object_urls:
                continue
            assert pattern.key in probed, f"{name}: {pattern.key} names an object of org_a but has no probe"
            if entry.outcomes["customer_a"].status < 400:  # a page for customers
                assert entry.outcomes["customer_b"] == NOT_FOUND, pattern.key
                assert probed[pattern.key].outsiders.get("customer_b") == 404, pattern.key


def test_there_are_shares_for_every_context() -> None:
    """The discovery above must not silently find nothing (a renamed folder, a typo in the glob)."""
    assert {"test_matrix_accounts", "test_matrix_support", "test_matrix_billing"} <= set(SHARES)


def test_the_sample_on_both_databases_asks_every_url_as_every_role_somewhere() -> None:
    """CI's SQLite run asks each URL as one role (the rest of the matrix runs on PostgreSQL):
    every pattern is in that sample, and every role asks for some of them."""
    sampled: dict[str, set[str]] = {}
    for share in SHARES.values():
        for pattern in share.patterns:
            roles = [case.values[1] for case in share.access_cases() if case.values[0] == pattern and not case.marks]
            assert len(roles) == 1, f"{pattern.key}: {roles}"
            sampled.setdefault(roles[0], set()).add(pattern.key)
    assert set(sampled) == set(ROLES), f"roles never asking on both databases: {set(ROLES) - set(sampled)}"
