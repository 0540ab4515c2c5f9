"""My orders as a list people work with: sort, remembered filters, CSV export (core/listing.py)."""

from __future__ import annotations

import csv
import io

import pytest

from guichet.core.models import SavedListFilters
from tests.orders.conftest import url

pytestmark = pytest.mark.django_db


def _numbers(page: str, *numbers: str) -> list[str]:
    return sorted(numbers, key=page.index)


def test_sort_by_column_with_aria_sort_and_unknown_column_ignored(client, org_a, customer_a, make_order) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    zulu = make_order(org_a, customer_a, purchase_order="ZULU")
    alpha = make_order(org_a, customer_a, purchase_order="ALPHA")
    ascending = client.get(url("orders:list"), {"sort": "po"}).content.decode()
    assert _numbers(ascending, zulu.number, alpha.number) == [alpha.number, zulu.number]
    assert '<th scope="col" aria-sort="ascending"' in ascending and 'href="?sort=-po"' in ascending
    descending = client.get(url("orders:list"), {"sort": "-po"}).content.decode()
    assert _numbers(descending, zulu.number, alpha.number) == [zulu.number, alpha.number]
    assert 'aria-sort="descending"' in descending
    unknown = client.get(url("orders:list"), {"sort": "organisation__name"})
    assert unknown.status_code == 200 and b'aria-sort="descending"' in unknown.content  # the default: newest first


def test_filters_are_remembered_per_user_and_reset(client, org_a, customer_a, make_order) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    make_order(org_a, customer_a, purchase_order="PO-BETA")
    client.get(url("orders:list"), {"q": "beta", "sort": "po"})
    bare = client.get(url("orders:list"))
    assert bare.status_code == 302 and bare["Location"] == url("orders:list") + "?q=beta&sort=po"
    assert SavedListFilters.objects.get(user=customer_a, list_name="orders").query == "q=beta&sort=po"
    bad = client.get(url("orders:list"), {"date_from": "not a date"})
    assert bad.status_code == 400
    assert client.get(url("orders:list"))["Location"].endswith("?q=beta&sort=po")  # an error is never kept
    reset = client.get(url("orders:list"), {"reset": "1"})
    assert reset.status_code == 302 and reset["Location"] == url("orders:list")
    assert client.get(url("orders:list")).status_code == 200
    client.get(url("orders:list"), {"q": "beta"})
    client.get(url("orders:list"), {"q": "", "status": ""})  # a cleared form forgets
    assert not SavedListFilters.objects.filter(user=customer_a).exists()


def test_csv_export_holds_every_filtered_row_and_is_formula_safe(client, org_a, customer_a, make_order) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    evil = make_order(org_a, customer_a, purchase_order='=HYPERLINK("http://x")')
    other = make_order(org_a, customer_a, purchase_order="PO-OTHER")
    response = client.get(url("orders:list"), {"q": "HYPERLINK", "export": "csv"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="orders-{org_a.customer_number}.csv"'
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:3] == ["Number", "Date", "Purchase order"]
    assert [row[0] for row in rows[1:]] == [evil.number] and other.number not in str(rows)
    assert rows[1][2] == '\'=HYPERLINK("http://x")'
    page = client.get(url("orders:list"), {"q": "HYPERLINK"}).content.decode()
    assert 'href="?q=HYPERLINK&amp;export=csv"' in page


def test_unknown_export_is_a_translated_400(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    response = client.get(url("orders:list", language="fr"), {"export": "xlsx"})
    assert response.status_code == 400 and b'lang="fr"' in response.content
