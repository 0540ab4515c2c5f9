"""Contracts API: the same rules as the pages, errors with stable codes, another organisation's contract a 404."""

from __future__ import annotations

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from django.test import Client

from guichet.accounts.models import ApiToken
from guichet.contracts import services
from guichet.contracts.models import ContractKind, ContractStatus
from tests.contracts.conftest import cover, make_code, make_contract, make_machine

pytestmark = pytest.mark.django_db


def api(client: Client, user, method: str, path: str, body: dict | None = None):  # type: ignore[no-untyped-def]
    headers = {"Authorization": f"Bearer {ApiToken.issue(user)}"}
    if method == "get":
        return client.get(f"/api/v1/{path}", headers=headers)
    return client.post(f"/api/v1/{path}", body or {}, content_type="application/json", headers=headers)


def test_list_filter_and_detail(client, org_a, org_b, customer_a, customer_b) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a, number="BE-HW-A1")
    make_contract(org_a, kind=ContractKind.PREPAID_LICENCE, number="BE-PA-A1")
    cover(contract, date(2024, 5, 2), make_machine(org_a, serial="78BE456"))
    listing = api(client, customer_a, "get", "contracts").json()
    assert listing["count"] == 2
    only = api(client, customer_a, "get", "contracts?kind=prepaid_licence").json()
    assert [c["number"] for c in only["items"]] == ["BE-PA-A1"]
    bad = api(client, customer_a, "get", "contracts?kind=nonsense")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_filter"
    detail = api(client, customer_a, "get", "contracts/BE-HW-A1").json()
    assert detail["machines"][0]["serial"] == "78BE456" and detail["machines"][0]["covered_from"] == "2024-05-02"
    foreign = api(client, customer_b, "get", "contracts/BE-HW-A1")
    missing = api(client, customer_b, "get", "contracts/NO-SUCH-1")
    assert foreign.status_code == missing.status_code == 404 and foreign.json() == missing.json()
    pdf = api(client, customer_a, "get", "contracts/BE-HW-A1/pdf?lang=ro")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_terminations_follow_the_rules(client, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    today = services.today_for(org_a)
    contract = make_contract(org_a, number="BE-HW-A2")
    cover(contract, today - relativedelta(years=1), make_machine(org_a, serial="78BE461"))
    since = today - relativedelta(months=6) + relativedelta(days=1)
    cover(contract, since, make_machine(org_a, serial="78BE462"))
    young = api(client, customer_a, "post", "contracts/BE-HW-A2/terminations", {"machines": ["78BE462"]})
    assert young.status_code == 400
    body = young.json()
    assert body["code"] == "not_yet_eligible"
    assert body["details"]["first_eligible"] == (since + relativedelta(months=6)).isoformat()
    assert date.fromisoformat(body["details"]["first_eligible"]) > today
    unknown = api(client, customer_a, "post", "contracts/BE-HW-A2/terminations", {"machines": ["NOPE1"]})
    assert unknown.json()["code"] == "machine_not_covered"
    done = api(client, customer_a, "post", "contracts/BE-HW-A2/terminations", {"machines": ["78be461"]})
    assert done.status_code == 201
    assert done.json()["effective_date"] == (today + relativedelta(months=1)).isoformat()
    assert done.json()["request_number"].startswith("BE-")
    prepaid = make_contract(org_a, kind=ContractKind.PREPAID_LICENCE, number="BE-PA-A2")
    nothing = api(client, customer_a, "post", f"contracts/{prepaid.number}/terminations", {})
    assert nothing.status_code == 400 and nothing.json()["code"] == "no_cancellation_needed"
    monthly = make_contract(org_a, kind=ContractKind.MONTHLY_LICENCE, number="BE-ML-A2")
    ok = api(client, customer_a, "post", f"contracts/{monthly.number}/terminations", {})
    assert ok.status_code == 201 and ok.json()["kind"] == "monthly_licence"


def test_subscriptions_and_agreements_end_at_term_and_notices_can_be_withdrawn(
    client, org_a, customer_a, customer_b
) -> None:  # type: ignore[no-untyped-def]
    today = services.today_for(org_a)
    term = today + relativedelta(months=2)
    make_contract(org_a, kind=ContractKind.SOFTWARE_SUBSCRIPTION, number="BE-SW-A3", renewal_date=term)
    make_contract(org_a, kind=ContractKind.PROGRAM_AGREEMENT, number="BE-PG-A3")
    make_contract(org_a, kind=ContractKind.SERVICEPAC, number="BE-SP-A3")
    path = "contracts/BE-SW-A3/terminations"
    unread = api(client, customer_a, "post", path, {})
    assert unread.status_code == 400 and unread.json()["code"] == "lapse_not_acknowledged"
    other = api(client, customer_a, "post", path, {"lapse_acknowledged": True, "effective_date": str(today)})
    assert other.json()["code"] == "effective_date_not_term_end"
    assert other.json()["details"]["earliest_effective"] == term.isoformat()
    done = api(client, customer_a, "post", path, {"lapse_acknowledged": True})
    assert done.status_code == 201 and done.json()["effective_date"] == term.isoformat()
    agreement = api(client, customer_a, "post", "contracts/BE-PG-A3/terminations", {"lapse_acknowledged": True})
    assert agreement.json()["effective_date"] == (today + relativedelta(months=1)).isoformat()
    servicepac = api(client, customer_a, "post", "contracts/BE-SP-A3/terminations", {"lapse_acknowledged": True})
    assert servicepac.status_code == 400 and servicepac.json()["code"] == "no_cancellation_needed"

    withdraw = f"contracts/BE-SW-A3/terminations/{done.json()['id']}/withdraw"
    foreign = api(client, customer_b, "post", withdraw)
    assert foreign.status_code == 404
    taken_back = api(client, customer_a, "post", withdraw)
    assert taken_back.status_code == 200 and taken_back.json()["status"] == "withdrawn"
    twice = api(client, customer_a, "post", withdraw)
    assert twice.status_code == 409 and twice.json()["code"] == "not_withdrawable"
    wrong_contract = api(client, customer_a, "post", f"contracts/BE-PG-A3/terminations/{done.json()['id']}/withdraw")
    assert wrong_contract.status_code == 404


def test_servicepac_activation(client, org_a, org_b, customer_a, customer_no_grant) -> None:  # type: ignore[no-untyped-def]
    servicepac = make_contract(org_a, kind=ContractKind.SERVICEPAC, status=ContractStatus.DRAFT, number="BE-SP-A1")
    code = make_code(servicepac, "MNPQ2345")
    foreign = make_code(make_contract(org_b, kind=ContractKind.SERVICEPAC), "RSTU2345")
    make_machine(org_a, serial="78BE471")
    body = {"code": code.code, "machine_type": "9009", "serial": "78BE471"}
    assert api(client, customer_no_grant, "post", "servicepac/activations", body).status_code == 403
    other = api(client, customer_a, "post", "servicepac/activations", {**body, "code": foreign.code})
    assert other.status_code == 400 and other.json()["code"] == "unknown_code"
    done = api(client, customer_a, "post", "servicepac/activations", body)
    assert done.status_code == 201 and done.json()["contract"] == "BE-SP-A1"
    again = api(client, customer_a, "post", "servicepac/activations", body)
    assert again.status_code == 409 and again.json()["code"] == "code_already_used"


def test_bad_input_is_a_4xx_never_a_500(client, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    make_contract(org_a, number="BE-HW-A9")
    assert api(client, customer_a, "get", "contracts/BE-HW-A9/pdf?lang=xx").status_code == 422
    assert api(client, customer_a, "get", "contracts?page=0").status_code == 422
    bad_date = api(client, customer_a, "post", "contracts/BE-HW-A9/terminations", {"effective_date": "31/02/2026"})
    assert bad_date.status_code == 422 and bad_date.json()["code"] == "validation_error"
    draft = make_contract(org_a, kind=ContractKind.SOFTWARE_SUBSCRIPTION, status=ContractStatus.DRAFT)
    other = api(client, customer_a, "post", f"contracts/{draft.number}/terminations", {"lapse_acknowledged": True})
    assert other.status_code == 409 and other.json()["code"] == "contract_not_active"
    malformed = api(client, customer_a, "post", "servicepac/activations", {"code": "nope"})
    assert malformed.status_code == 422
