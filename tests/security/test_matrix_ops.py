"""Access matrix, operations: the probes and the metrics, at the root, outside the language prefix.

Everyone gets the probes (balancers send no credentials). /metrics answers the test client too,
because it comes from 127.0.0.1 directly and no METRICS_TOKEN is set; who else may scrape it is
tested in tests/ops/test_metrics.py.
"""

from __future__ import annotations

from tests.security.matrix import EVERYONE, Matrix, row

# fmt: off
ENTRIES = {
    #                              anonymous  cust_a     cust_b     no_grant   agent_ro   agent_be   administrator
    "ops:healthz":             row(*EVERYONE),
    "ops:readyz":              row(*EVERYONE),
    "ops:metrics":             row(*EVERYONE),
}
# fmt: on

MATRIX = Matrix(ENTRIES)
# This module's tests: test_access.
globals().update(MATRIX.tests())
