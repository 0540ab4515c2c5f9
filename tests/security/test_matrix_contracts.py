"""Access matrix, Contracts online: contracts, copies, terminations, ServicePacs, signatures."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from guichet.accounts.models import Organisation
from guichet.contracts.models import Contract, CoveredMachine, ServicePacCode, Signature, Termination
from guichet.core.tenancy import across_organisations
from guichet.inventory.models import Machine
from tests.accounts.factories import PASSWORD
from tests.security.matrix import (
    APPLICATION_PAGE,
    FORBIDDEN,
    INVALID,
    LOGIN,
    MISSING_PK,
    NF,
    OK,
    STAFF_PAGE,
    UNAUTHORISED,
    Expect,
    F,
    Matrix,
    Probe,
    World,
    admin_pages,
    missing_number,
    row,
)

MATRIX_CONTRACT = "BE-HW-MATRIX-01"
SIGNING_AWAITING = "BE-SIGN-2026-0001"  # awaiting the customer's signature
SIGNING_SIGNED = "BE-SIGN-2026-0002"  # signed by the customer (a stand-in file: access is what is tested here)


def _build(world: World) -> None:
    """One hardware-maintenance contract of org_a with a pending termination, a ServicePac code, and
    two contracts to sign: one awaiting the customer's signature, one signed."""
    org = world.org_a
    with across_organisations():
        contract = Contract.objects.create(
            organisation=org,
            number=MATRIX_CONTRACT,
            kind="hardware_maintenance",
            status="active",
            title="Matrix",
            start_date=date(2020, 1, 1),
            currency="EUR",
            amount=Decimal("100.00"),
        )
        machine = Machine.objects.create(
            organisation=org, machine_type="9009", model="22A", serial="78MATRIX1", site_country="BE"
        )
        coverage = CoveredMachine.objects.create(
            contract=contract, machine=machine, service_level="onsite_next_day", covered_from=date(2020, 1, 1)
        )
        user = world.users["customer_a"]
        termination = Termination.objects.create(
            organisation=org,
            contract=contract,
            kind="hardware_customer",
            notice_date=date(2026, 1, 1),
            effective_date=date(2026, 2, 1),
            requested_by=user,
            contact_name="Matrix",
            contact_email=user.email,
        )
        termination.coverages.set([coverage])
        termination.notice_document.save("matrix-notice.pdf", ContentFile(b"%PDF-1.7 matrix"))
        world.termination = termination
        ServicePacCode.objects.create(code="SP-MATR-2345-X", organisation=org, contract=contract)
        _signing_contract(world, org, SIGNING_AWAITING, signed=False)
        _signing_contract(world, org, SIGNING_SIGNED, signed=True)


def _signing_contract(world: World, org: Organisation, number: str, *, signed: bool) -> None:
    contract = Contract.objects.create(
        number=number,
        organisation=org,
        kind="hardware_maintenance",
        status="active" if signed else "awaiting_signature",
        title="Matrix",
        start_date=date(2026, 1, 1),
        currency="EUR",
        amount=Decimal("100.00"),
    )
    if signed:
        signature = Signature(
            contract=contract,
            party="customer",
            signer=world.member,
            signer_name="Matrix",
            signer_email=world.member.email,
            organisation_name=org.name,
            signed_at=timezone.now(),
            document_sha256="0" * 64,
            content_sha256="0" * 64,
        )
        signature.document.save(f"{number}.pdf", ContentFile(b"%PDF-1.7 matrix"), save=False)
        signature.save()


def contract_number(w: World) -> dict[str, Any]:
    return {"number": MATRIX_CONTRACT}


def contract_termination(w: World) -> dict[str, Any]:
    return {"number": MATRIX_CONTRACT, "pk": w.termination.pk}


def _missing_termination(w: World) -> dict[str, Any]:
    return {"number": MATRIX_CONTRACT, "pk": MISSING_PK}


def api_contract_termination(w: World) -> dict[str, Any]:
    return {"number": MATRIX_CONTRACT, "termination_id": w.termination.pk}


def _api_missing_termination(w: World) -> dict[str, Any]:
    return {"number": MATRIX_CONTRACT, "termination_id": MISSING_PK}


def awaiting_contract(w: World) -> dict[str, Any]:
    return {"number": SIGNING_AWAITING}


def signed_contract(w: World) -> dict[str, Any]:
    return {"number": SIGNING_SIGNED}


def _sign_body(w: World) -> dict[str, Any]:
    return {"password": PASSWORD, "accept_terms": True}


TO_CONTRACT_CONSOLE = Expect(303, "contracts_console:detail", same_kwargs=True)
TO_MATRIX_CONTRACT = Expect(303, to_suffix=f"/contracts/{MATRIX_CONTRACT}/")
TO_MATRIX_CONTRACT_CONSOLE = Expect(303, to_suffix=f"/console/contracts/{MATRIX_CONTRACT}/")

# fmt: off
ENTRIES = {
    # contract signing: customers of the organisation (signing itself needs the signatory role, which
    # customer_a lacks: the page explains it); countersigning by agents of the country (the awaiting
    # contract is not signed yet, so the console answers with a message and goes back to the contract)
    #                              anonymous  cust_a     cust_b     no_grant   agent_ro   agent_be   administrator
    "contracts:sign":          row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=awaiting_contract),
    "contracts:signed_document": row(LOGIN,   OK,        NF,        F,         F,         F,         F,
                                   kwargs=signed_contract),
    "contracts_console:countersign": row(LOGIN, F,       F,         F,         NF,        TO_CONTRACT_CONSOLE,
                                   TO_CONTRACT_CONSOLE, method="post", kwargs=awaiting_contract),
    "contracts_console:signed_document": row(LOGIN, F,   F,         F,         NF,        OK,        OK,
                                   kwargs=signed_contract),
    "api-1:sign_contract":     row(UNAUTHORISED, F,      NF,        F,         F,         F,         F,  api=True,
                                   method="post", kwargs=awaiting_contract, data=_sign_body),
    # contracts: customers with the "contracts" application; agents of org_a's country
    "contracts:list":          row(*APPLICATION_PAGE),
    "contracts:servicepac":    row(*APPLICATION_PAGE),
    "contracts:machine_lookup": row(*APPLICATION_PAGE),
    "contracts:detail":        row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=contract_number),
    "contracts:copy":          row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=contract_number),
    "contracts:machines_csv":  row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=contract_number),
    "contracts:machines_pdf":  row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=contract_number),
    "contracts:terminate":     row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=contract_number),
    "contracts:notice":        row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=contract_termination),
    "contracts:withdraw":      row(LOGIN,     TO_MATRIX_CONTRACT, NF, F,         F,         F,         F,
                                   kwargs=contract_termination, method="post"),
    # issue 14 (item 6): a licence's destruction, confirmed once the cancellation took effect (before
    # that, customer_a is told why and sent back to the contract)
    "contracts:destruction":   row(LOGIN,     TO_MATRIX_CONTRACT, NF, F,         F,         F,         F,
                                   kwargs=contract_termination, method="post", data={"confirm": "on"}),
    "contracts_console:home":  row(*STAFF_PAGE),
    "contracts_console:detail": row(LOGIN,    F,         F,         F,         NF,        OK,        OK,
                                   kwargs=contract_number),
    "contracts_console:terminate": row(LOGIN, F,         F,         F,         NF,        TO_CONTRACT_CONSOLE,
                                   TO_CONTRACT_CONSOLE, kwargs=contract_number, method="post",
                                   data={"reason": "Matrix"}),
    "contracts_console:decide": row(LOGIN,    F,         F,         F,         NF,        TO_MATRIX_CONTRACT_CONSOLE,
                                   TO_MATRIX_CONTRACT_CONSOLE, kwargs=contract_termination, method="post",
                                   data={"decision": "accept"}),
    "contracts_console:notice": row(LOGIN,    F,         F,         F,         NF,        OK,        OK,
                                   kwargs=contract_termination),
    "api-1:list_contracts":    row(UNAUTHORISED, OK,     OK,        F,         F,         F,         F,  api=True),
    "api-1:get_contract":      row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True,
                                   kwargs=contract_number),
    "api-1:contract_pdf":      row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True,
                                   kwargs=contract_number),
    # issue 16 (h-input): the signed file with a token, like the page's with a session
    "api-1:signed_contract_pdf": row(UNAUTHORISED, OK,   NF,        F,         F,         F,         F,  api=True,
                                   kwargs=signed_contract),
    # an empty choice of machines: past the access checks, refused by the rules (400)
    "api-1:create_termination": row(UNAUTHORISED, INVALID, NF,      F,         F,         F,         F,  api=True,
                                   kwargs=contract_number, method="post", data={"machines": []}),
    "api-1:withdraw_termination": row(UNAUTHORISED, OK,  NF,        F,         F,         F,         F,  api=True,
                                   kwargs=api_contract_termination, method="post"),
    "api-1:activate_servicepac": row(UNAUTHORISED, INVALID, INVALID, F,        F,         F,         F,  api=True,
                                   method="post", data={"code": "SP-MATR-2345-X", "machine_type": "9009",
                                                        "serial": "78MATRIX1"}),
}
# fmt: on

PROBES = (
    *(
        Probe(name, contract_number, missing_number, {"customer_b": 404}, ("customer_a", OK))
        for name in (
            "contracts:detail",
            "contracts:copy",
            "contracts:machines_csv",
            "contracts:machines_pdf",
            "contracts:terminate",
        )
    ),
    Probe(
        "contracts:notice",
        contract_termination,
        lambda w: {"number": missing_number(w)["number"], "pk": contract_termination(w)["pk"]},
        {"customer_b": 404},
        ("customer_a", OK),
    ),
    Probe("contracts:notice", contract_termination, _missing_termination, {"customer_b": 404}, ("customer_a", OK)),
    Probe(
        "contracts:withdraw",
        contract_termination,
        _missing_termination,
        {"customer_b": 404},
        ("customer_a", TO_MATRIX_CONTRACT),
        method="post",
    ),
    Probe(
        "contracts:destruction",
        contract_termination,
        _missing_termination,
        {"customer_b": 404},
        ("customer_a", TO_MATRIX_CONTRACT),
        method="post",
    ),
    Probe(
        "api-1:withdraw_termination",
        api_contract_termination,
        _api_missing_termination,
        {"customer_b": 404},
        ("customer_a", OK),
        method="post",
        api=True,
    ),
    Probe("contracts_console:detail", contract_number, missing_number, {"agent_ro": 404}, ("agent_be", OK)),
    Probe(
        "contracts_console:terminate",
        contract_number,
        missing_number,
        {"agent_ro": 404},
        ("agent_be", TO_CONTRACT_CONSOLE),
        method="post",
        data={"reason": "Matrix"},
    ),
    Probe(
        "contracts_console:decide",
        contract_termination,
        _missing_termination,
        {"agent_ro": 404},
        ("agent_be", TO_MATRIX_CONTRACT_CONSOLE),
        method="post",
        data={"decision": "refuse", "note": "Matrix"},
    ),
    Probe("contracts_console:notice", contract_termination, _missing_termination, {"agent_ro": 404}, ("agent_be", OK)),
    Probe("api-1:get_contract", contract_number, missing_number, {"customer_b": 404}, ("customer_a", OK), api=True),
    Probe("api-1:contract_pdf", contract_number, missing_number, {"customer_b": 404}, ("customer_a", OK), api=True),
    Probe(
        "api-1:create_termination",
        contract_number,
        missing_number,
        {"customer_b": 404},
        ("customer_a", INVALID),
        method="post",
        data={"machines": []},
        api=True,
    ),
    Probe("contracts:sign", awaiting_contract, missing_number, {"customer_b": 404}, ("customer_a", OK)),
    Probe("contracts:signed_document", signed_contract, missing_number, {"customer_b": 404}, ("customer_a", OK)),
    Probe(
        "api-1:signed_contract_pdf", signed_contract, missing_number, {"customer_b": 404}, ("customer_a", OK), api=True
    ),
    Probe(
        "contracts_console:countersign",
        awaiting_contract,
        missing_number,
        {"agent_ro": 404, "customer_b": 403},
        ("agent_be", TO_CONTRACT_CONSOLE),
        method="post",
    ),
    Probe(
        "contracts_console:signed_document",
        signed_contract,
        missing_number,
        {"agent_ro": 404, "customer_b": 403},
        ("agent_be", OK),
    ),
    Probe(
        "api-1:sign_contract",
        awaiting_contract,
        missing_number,
        {"customer_b": 404},
        ("customer_a", FORBIDDEN),
        method="post",
        data=_sign_body,
        api=True,
    ),
)

MATRIX = Matrix(
    ENTRIES,
    groups=admin_pages("contracts"),
    probes=PROBES,
    post_only=(
        "contracts:destruction",
        "contracts_console:countersign",
        "contracts_console:terminate",
        "contracts_console:decide",
        "api-1:sign_contract",
    ),
    build=_build,
    object_urls=(contract_number, contract_termination, api_contract_termination, awaiting_contract, signed_contract),
)
# This module's tests: test_access, test_actions_refuse_get, test_foreign_objects_answer_like_missing_ones.
globals().update(MATRIX.tests())
