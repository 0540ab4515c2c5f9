"""Property-based calls of every API operation (schemathesis): no server error, no answer the
OpenAPI description does not document (status, content type, body, headers).

Bounded and reproducible: at least CASES calls across all operations in one run (each operation
up to its share), derandomized: the same cases every run, so a failure reproduces and CI is not flaky.

Runs once, on PostgreSQL (`-m schemathesis`; `.ci/run` leaves it out of the SQLite run): it is
database-independent in what it tests, and PostgreSQL is the production database, which refuses
values SQLite stores (a NUL byte in a text value: a 500 this suite found), so fuzzing on SQLite
would miss exactly the server errors it is here to find.

A request valid by the schema may still be refused: 400 is a business rule saying no (a ServicePac
code's checksum, an empty cart, an unconfirmed attestation) and 422 a check the page forms make
that JSON Schema does not express (a request type's own fields, dates in order). Both are
documented answers with the standard error body; the check accepts them.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db]

CASES = 10_000
ANSWERS_TO_VALID_INPUT = ["2xx", "400", "401", "403", "404", "409", "422", "429"]
CONFIG = schemathesis.config.SchemathesisConfig.from_dict(
    {"checks": {"positive_data_acceptance": {"expected-statuses": ANSWERS_TO_VALID_INPUT}}}
)


APPLICATION = get_wsgi_application()


def _wsgi(environ: dict[str, Any], start_response: Any) -> Any:
    # A real server always sets the peer's address; the login throttle keys on it.
    return APPLICATION({**environ, "REMOTE_ADDR": environ.get("REMOTE_ADDR") or "127.0.0.1"}, start_response)


SCHEMA = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", _wsgi, config=CONFIG)


@pytest.fixture
def same_connection() -> Any:
    """Keep the test's database connection across requests (the test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _run(operation: Any, share: int, token: str, calls: Counter[str]) -> None:
    @settings(
        max_examples=share,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy())
    def call(case: Any) -> None:
        calls[operation.label] += 1
        # In a savepoint: a database error in one case must not abort the test's transaction.
        with transaction.atomic():
            case.call_and_validate(headers={"Authorization": f"Bearer {token}"})

    call()


def test_every_operation(world: Any, token: str, same_connection: None) -> None:
    """One test, so the count is of one run; every failing operation is reported, not just the first."""
    operations = [result.ok() for result in SCHEMA.get_all_operations()]
    calls: Counter[str] = Counter()
    failures: dict[str, str] = {}
    for done, operation in enumerate(operations):
        # What an operation with few possible inputs could not use goes to the ones after it.
        share = math.ceil((CASES - sum(calls.values())) / (len(operations) - done))
        try:
            _run(operation, share, token, calls)
        except (Exception, BaseExceptionGroup) as failure:  # reported with the others below
            failures[operation.label] = str(failure)
    assert not failures, "\n\n".join(f"=== {label}\n{report}" for label, report in failures.items())
    assert sum(calls.values()) >= CASES, calls
