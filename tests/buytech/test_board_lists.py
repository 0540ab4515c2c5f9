"""The Buy Tech board's worklists sort by their own parameter and export as CSV, one list at a time."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import Organisation, User
from tests.buytech.conftest import reserve

pytestmark = pytest.mark.django_db


def csv_of(response: Any) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))


def test_fees_awaited_sort_and_export(eligible: Organisation, buyer: User, agent: User, catalogue: dict) -> None:
    first = reserve(eligible, buyer, {"BT-LT-T14-N": 1})
    second = reserve(eligible, buyer, {"BT-PH-A54-N": 1})
    client = Client()
    client.force_login(agent)
    board = reverse("buytech_console:home")
    page = client.get(board, {"fee_sort": "-number"}).content.decode()
    listed = page[page.index('data-testid="awaiting-fee"') :]
    assert listed.index(second.number) < listed.index(first.number)
    assert "list=buytech_console_fee" in page and 'data-testid="worklist-sort"' in page
    rows = csv_of(client.get(board, {"fee_sort": "number", "export": "csv", "list": "buytech_console_fee"}))
    assert rows[0] == ["Number", "Organisation", "Reserved on", "Reference"]
    # A structured communication starts with "+": formula-safe, it is kept as text with an apostrophe.
    assert [(row[0], row[1], row[3]) for row in rows[1:]] == [
        (first.number, eligible.name, f"'{first.fee_reference}"),
        (second.number, eligible.name, f"'{second.fee_reference}"),
    ]
    # Another list's export holds none of these orders.
    assert csv_of(client.get(board, {"export": "csv", "list": "buytech_console_ship"})) == [
        ["Number", "Organisation", "Reserved on"]
    ]
