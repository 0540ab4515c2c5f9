"""Access matrix, global search: the customer's results page, the console's, and the API.

What each searcher finds (never another organisation's, never another country's) is tested
in tests/search; here, who may ask at all.
"""

from __future__ import annotations

from tests.security.matrix import CUSTOMER_PAGE, OK, STAFF_PAGE, UNAUTHORISED, Matrix, row

QUERY = {"q": "password"}  # words: a list of help articles for everyone, no jump

# fmt: off
ENTRIES = {
    #                              anonymous     cust_a  cust_b  no_grant  agent_ro  agent_be  administrator
    "search:results":          row(*CUSTOMER_PAGE, query=QUERY),
    "search_console:results":  row(*STAFF_PAGE, query=QUERY),
    "api-1:global_search":     row(UNAUTHORISED, OK,     OK,     OK,       OK,       OK,       OK,
                                   api=True, query=QUERY),
}
# fmt: on

MATRIX = Matrix(ENTRIES)
# This module's tests: test_access, test_actions_refuse_get.
globals().update(MATRIX.tests())
