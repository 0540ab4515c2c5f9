"""The agents' queue exports what its filters find as CSV: every request, not one page, only the
agent's countries, formula-safe; the keyset paging is untouched."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client

from guichet.accounts.models import User
from tests.support.conftest import url

pytestmark = pytest.mark.django_db


def csv_of(response: Any) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_queue_csv_holds_the_filtered_requests_of_the_agents_countries(  # type: ignore[no-untyped-def]
    client: Client, org_a: Any, org_b: Any, customer_a: User, customer_b: User, agent_be: User, make_request, settings
) -> None:
    settings.PAGE_SIZES = {**settings.PAGE_SIZES, "support_queue": 1}
    make_request(org_a, customer_a, subject='=HYPERLINK("x")')
    make_request(org_a, customer_a, subject="Toner", type="general", details={})
    foreign = make_request(org_b, customer_b, subject="Străin")
    client.force_login(agent_be)
    page = client.get(url("support_console:queue")).content.decode()
    assert 'data-testid="export-csv"' in page and "export=csv" in page
    rows = csv_of(client.get(url("support_console:queue"), {"export": "csv"}))
    assert rows[0][:2] == ["Number", "Subject"]
    assert sorted(row[1] for row in rows[1:]) == ['\'=HYPERLINK("x")', "Toner"]  # both, not one page; formula-safe
    assert foreign.number not in {row[0] for row in rows}
    only_general = csv_of(client.get(url("support_console:queue"), {"type": "general", "export": "csv"}))
    assert [row[1] for row in only_general[1:]] == ["Toner"]
    assert client.get(url("support_console:queue"), {"export": "xml"}).status_code == 400
