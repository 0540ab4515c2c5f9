"""What creating a request costs, through the API and through the form (issue 17): each row written
once, nothing read back that was just written, no look-up before an insert a constraint guards,
and the request, its outbox e-mail, its notification and its case committed together."""

from __future__ import annotations

import pytest
from django.contrib.sessions.backends.signed_cookies import SessionStore
from django.db import connection
from django.db.models import Model
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from guichet.core import data_versions, inserts
from guichet.core.models import AuditEvent, Case, CaseActivity, Notification, OutboxMessage
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.support import services
from guichet.support.models import Event, Request
from tests.accounts.test_api import token_for
from tests.support.conftest import url

pytestmark = pytest.mark.django_db

# Counted inside the test's transaction: the service's own transaction shows as one SAVEPOINT and
# its RELEASE (in production they are BEGIN and COMMIT). API: the notification preference (the
# token, the memberships and the grants are kept in the cache: accounts/api_access.py); the
# request, which takes its number in its INSERT on PostgreSQL (core/numbering.py `in_insert`;
# SQLite: the number first, its own statement), with its case and the case's first step, its
# event, the audit row, the outbox e-mail and the notification, in one statement on PostgreSQL
# (core/inserts.py, their stand-ins for the request's id and number; SQLite has no data-modifying
# WITH: seven).
POSTGRESQL = connection.vendor == "postgresql"
TOGETHER = 1 if POSTGRESQL else 7
NUMBER = 0 if POSTGRESQL else 1
API_CREATE = 3 + NUMBER + TOGETHER
# The form: the session and its user instead of the token (the help suggestions' UPDATE only for a
# session that opened one: help/services.py).
FORM_CREATE = 7 + NUMBER + TOGETHER

BODY = {"type": "general", "subject": "Une question", "description": "Le détail."}


def _statements(captured: CaptureQueriesContext) -> list[str]:
    return [query["sql"] for query in captured.captured_queries]


def _no_rereads(statements: list[str]) -> None:
    selects = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT")]
    for table in ("core_case", "support_event", "support_comment", "support_attachment"):
        assert not [sql for sql in selects if f'FROM "{table}"' in sql], f"{table} read back: {selects}"
    assert not [sql for sql in selects if '"accounts_user"."email"' in sql.split("WHERE", 1)[-1]]  # who is notified
    assert not [sql for sql in selects if 'SELECT 1 AS "a" FROM "accounts_membership"' in sql]  # the contact check


def _short_lock(statements: list[str]) -> None:
    """The number keeps its series' row locked until the commit, and every other new request of the
    country waits: after it come only the request and the rows written together, nothing read (on
    PostgreSQL one statement: the number is taken by the request's part of it)."""
    taken = next(i for i, sql in enumerate(statements) if "core_numbersequence" in sql or "guichet_next_number" in sql)
    if POSTGRESQL:
        assert statements[taken].startswith('WITH t0 AS (INSERT INTO "support_request"'), statements[taken]
        after = statements[taken:]
    else:
        after = statements[taken + 1 :]
        assert after[0].startswith('INSERT INTO "support_request"')
    assert after[-1].startswith("RELEASE SAVEPOINT")
    assert len(after) == 1 + TOGETHER, "\n".join(after)
    assert not [sql for sql in after if sql.lstrip().upper().startswith(("SELECT", "UPDATE"))]


def test_creating_through_the_api_stays_within_its_budget(client, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {token_for(client, customer_a.email).json()['token']}"}
    # Warm: the first call notes the token's use, a write to accounts' data that replaces its version,
    # so the second reads the token, memberships and grants again and keeps them (accounts/api_access.py).
    for _ in range(2):
        client.post("/api/v1/requests", BODY, content_type="application/json", headers=headers)
    with CaptureQueriesContext(connection) as captured:
        answer = client.post("/api/v1/requests", BODY, content_type="application/json", headers=headers)
    assert answer.status_code == 201
    assert len(captured) == API_CREATE, "\n".join(_statements(captured))
    _no_rereads(_statements(captured))
    _short_lock(_statements(captured))
    # The answer is what a read gives back: the timeline as written, no files.
    created = answer.json()
    again = client.get(f"/api/v1/requests/{created['number']}", headers=headers).json()
    assert created["timeline"] == again["timeline"] and len(created["timeline"]) == 1
    assert created["attachments"] == again["attachments"] == []
    _everything_written(created["number"], customer_a)


def test_creating_through_the_form_stays_within_its_budget(client, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    path = url("support:request_new") + "?type=general"
    form = {**BODY, "priority": "normal", "contact_name": "A", "contact_email": customer_a.email}
    client.post(path, form)  # warm
    with CaptureQueriesContext(connection) as captured:
        answer = client.post(path, form)
    assert answer.status_code == 302
    assert len(captured) <= FORM_CREATE, "\n".join(_statements(captured))
    _no_rereads(_statements(captured))
    _short_lock(_statements(captured))
    _everything_written(answer.url.rstrip("/").rsplit("/", 1)[1], customer_a)


def test_no_data_version_is_written_while_the_number_is_held(client, org_a, customer_a, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The versions of what a creation writes (support, core) are replaced before the number is taken
    (data_versions.writing), not by the statements that follow it: no cache write while every other new
    request of the country waits on the series' row."""
    headers = {"Authorization": f"Bearer {token_for(client, customer_a.email).json()['token']}"}
    client.post("/api/v1/requests", BODY, content_type="application/json", headers=headers)  # warm
    held: list[str] = []

    def mark(execute, sql, params, many, context):  # type: ignore[no-untyped-def]  # innermost: runs first
        result = execute(sql, params, many, context)
        if "guichet_next_number" in sql or "core_numbersequence" in sql:
            held.append(sql)
        return result

    written, during = data_versions.bump, []

    def bump(labels) -> None:  # type: ignore[no-untyped-def]
        labels = set(labels)
        if held:
            during.append(labels)
        written(labels)

    monkeypatch.setattr(data_versions, "bump", bump)
    with connection.execute_wrapper(mark):
        answer = client.post("/api/v1/requests", BODY, content_type="application/json", headers=headers)
    assert answer.status_code == 201 and held
    assert during == []


def _everything_written(number: str, customer) -> None:  # type: ignore[no-untyped-def]
    """Each row carries the request's number and id where it was built with their stand-ins."""
    with across_organisations():
        request = Request.objects.get(number=number)
        assert Event.objects.filter(request=request, kind="submitted").count() == 1
        case = Case.objects.get(kind="request", source_id=request.pk)
        assert (case.number, case.url_args) == (number, {"number": number})
        assert CaseActivity.objects.filter(case=case, event=CaseActivity.Event.OPENED).count() == 1
        assert AuditEvent.objects.filter(action="request.submitted", target=number).count() == 1
    message = OutboxMessage.objects.get(thread_key=number, template="request_received")
    assert message.to == customer.email
    assert message.context["number"] == number and message.context["url"].endswith(f"/requests/{number}/")
    notification = Notification.objects.get(user=customer, context__number=number)
    assert notification.outbox_id == message.pk
    assert notification.link.endswith(f"/requests/{number}/") and notification.context == message.context


def test_the_rows_returned_carry_the_written_number_and_id(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    submitted = _submit(org_a, customer_a)
    request = submitted.request
    assert request.pk > 0 and request.number.startswith(f"{org_a.country}-")
    assert submitted.event.request_id == request.pk and submitted.event.pk > 0
    with across_organisations():
        assert Request.objects.get(pk=request.pk).number == request.number
    _everything_written(request.number, customer_a)


def test_a_failure_after_the_notification_leaves_nothing(org_a, customer_a, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The outbox pattern's guarantee, now that the rows after the request are written together
    (core/inserts.py): the request, its case, its outbox row and its notification commit or vanish
    together, even when the failure comes once all of them are written."""

    def broken() -> None:
        raise RuntimeError("after the writes")

    written = inserts._write_with

    def write_then_fail(found, rows):  # type: ignore[no-untyped-def]
        written(found, rows)  # the request, its case, event, audit row, e-mail and notification are in
        broken()

    monkeypatch.setattr(inserts, "_write_with", write_then_fail)
    before = _sizes()
    with pytest.raises(RuntimeError):
        _submit(org_a, customer_a)
    assert _sizes() == before


def _submit(org_a, customer_a) -> services.Submitted:  # type: ignore[no-untyped-def]
    http_request = RequestFactory().post("/")
    http_request.session = SessionStore()  # a reader without help suggestions opened
    with tenant_scope(org_a):
        return services.submit(
            actor=customer_a,
            organisation=org_a,
            type="general",
            subject="S",
            description="D",
            details={},
            contact={"name": "A", "email": customer_a.email},
            http_request=http_request,
        )


def _sizes() -> tuple[int, ...]:
    with across_organisations():
        return tuple(model.objects.count() for model in (Request, Case, OutboxMessage, Notification))


@pytest.mark.parametrize("model", [Request, Event, Case, CaseActivity, AuditEvent, Notification])
def test_no_index_a_creation_writes_is_the_leading_column_of_another(model: type[Model]) -> None:
    """Every index is written by every new row: one whose columns begin another's (a foreign key's
    own index beside a composite one led by it) costs each creation a write and serves nothing the
    other does not (migrations core 0017, support 0010). Partial indexes serve their rows only."""
    columns = {f"{field.name} (db_index)": (field.column,) for field in model._meta.concrete_fields if field.db_index}
    for index in model._meta.indexes:
        if index.condition is None and not index.expressions:
            fields = [model._meta.get_field(name.lstrip("-")) for name in index.fields]
            columns[str(index.name)] = tuple(field.column for field in fields)  # type: ignore[union-attr]
    leading = [
        (name, other)
        for name, first in columns.items()
        for other, longer in columns.items()
        if len(longer) > len(first) and longer[: len(first)] == first
    ]
    assert leading == []
