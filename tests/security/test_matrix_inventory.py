"""Access matrix, My inventory: machines, repairs, transfers, relocations, the console and imports."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.apps import apps as django_apps
from django.core.files.base import ContentFile

from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.inventory import services as inventory_services
from guichet.inventory.models import ImportJob, Machine, SiteChange
from tests.security.matrix import (
    APPLICATION_PAGE,
    CONFLICT,
    CREATED,
    FORBIDDEN,
    LOGIN,
    MISSING_PK,
    NF,
    NOT_FOUND,
    OK,
    STAFF_PAGE,
    UNAUTHORISED,
    Expect,
    F,
    Matrix,
    Probe,
    World,
    admin_pages,
    admin_read_only,
    row,
)

INVENTORY_SERIAL = "78MX001"  # carries the service actions below
INVENTORY_FREE_SERIAL = "78MX002"  # nothing pending: a transfer may be reported on it
INVENTORY_MISSING_SERIAL = "NOSUCH99"
INVENTORY_MISSING_NUMBER = "SR-BE-1999-999999"


def _build(world: World) -> None:
    """org_a's machines: one with a repair, a transfer, a relocation and a site change; one free."""
    organisation, customer = world.org_a, world.users["customer_a"]
    with across_organisations():
        machine, _free = (
            Machine.objects.create(
                organisation=organisation,
                machine_type="8286",
                model="42A",
                serial=serial,
                site_country=organisation.country,
                site_city="Bruxelles",
            )
            for serial in (INVENTORY_SERIAL, INVENTORY_FREE_SERIAL)
        )
    with tenant_scope(organisation):
        inventory_services.repair_request(
            actor=customer, machine=machine, kind="hardware", description="Matrix", accept_billing=True
        )
        inventory_services.transfer_report(
            actor=customer, machine=machine, kind="lease_return", leaves_on=date.today(), reason="Matrix"
        )
        inventory_services.relocation_request(
            actor=customer, machine=machine, from_country=organisation.country, from_address="Here",
            to_country="RO", to_address="There", desired_date=date.today() + timedelta(days=60),
        )  # fmt: skip
        inventory_services.machine_update_site(actor=customer, machine=machine, changes={"site_city": "Namur"})
    job = ImportJob(organisation=organisation, created_by=world.users["agent_be"], original_name="m.csv")
    job.file.save("matrix.csv", ContentFile(b"machine_type,model,serial,site_country\n"), save=False)
    job.save()
    world.import_job = job


def _inventory_number(w: World, model_name: str) -> str:
    with across_organisations():
        return str(django_apps.get_model("inventory", model_name).objects.get(organisation=w.org_a).number)


def machine_serial(w: World) -> dict[str, Any]:
    return {"serial": INVENTORY_SERIAL}


def free_machine_serial(w: World) -> dict[str, Any]:
    return {"serial": INVENTORY_FREE_SERIAL}


def _missing_serial(w: World) -> dict[str, Any]:
    return {"serial": INVENTORY_MISSING_SERIAL}


def repair_number(w: World) -> dict[str, Any]:
    return {"number": _inventory_number(w, "RepairRequest")}


def transfer_number(w: World) -> dict[str, Any]:
    return {"number": _inventory_number(w, "Transfer")}


def relocation_number(w: World) -> dict[str, Any]:
    return {"number": _inventory_number(w, "Relocation")}


def _inventory_missing(w: World) -> dict[str, Any]:
    return {"number": INVENTORY_MISSING_NUMBER}


def site_change(w: World) -> dict[str, Any]:
    with across_organisations():
        return {"pk": SiteChange.objects.get(organisation=w.org_a).pk}


def import_job(w: World) -> dict[str, Any]:
    return {"pk": w.import_job.pk}


def _relocation_body(w: World) -> dict[str, Any]:
    return {
        "from_country": "BE", "from_address": "Here", "to_country": "RO", "to_address": "There",
        "desired_date": (date.today() + timedelta(days=60)).isoformat(),
    }  # fmt: skip


def _transfer_body(w: World) -> dict[str, Any]:
    return {"kind": "lease_return", "leaves_on": date.today().isoformat(), "reason": "Matrix"}


REPAIR_BODY = {"kind": "hardware", "description": "Matrix", "accept_billing": True}
TO_INVENTORY_CONSOLE = Expect(303, "inventory_console:home")
TO_REPAIR = Expect(303, "inventory:repair", same_kwargs=True)
TO_CONSOLE_REPAIR = Expect(303, "inventory_console:repair", same_kwargs=True)
ESTIMATE_BODY = {"amount": "120.00", "note": "Matrix"}
TO_RELOCATION_CONSOLE = Expect(303, "inventory_console:relocation", same_kwargs=True)
MACHINE_PAGE = (LOGIN, OK, NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)
INVENTORY_CONSOLE_OBJECT = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, OK, OK)

# fmt: off
ENTRIES = {
    # customers with the "inventory" grant, their organisation's machines only
    #                              anonymous  cust_a     cust_b     no_grant   agent_ro   agent_be   administrator
    "inventory:list":          row(*APPLICATION_PAGE),
    "inventory:lookup":        row(*APPLICATION_PAGE, query={"serial": INVENTORY_SERIAL}),
    "inventory:detail":        row(*MACHINE_PAGE, kwargs=machine_serial),
    "inventory:edit":          row(*MACHINE_PAGE, kwargs=machine_serial),
    "inventory:repair_new":    row(*MACHINE_PAGE, kwargs=machine_serial),
    "inventory:transfer_new":  row(*MACHINE_PAGE, kwargs=machine_serial),
    "inventory:relocation_new": row(*MACHINE_PAGE, kwargs=machine_serial),
    "inventory:repair":        row(*MACHINE_PAGE, kwargs=repair_number),
    "inventory:repair_label":  row(*MACHINE_PAGE, kwargs=repair_number),
    "inventory:relocation":    row(*MACHINE_PAGE, kwargs=relocation_number),
    "inventory_console:home":  row(*STAFF_PAGE),
    "inventory_console:import": row(*STAFF_PAGE),
    "inventory_console:import_job": row(*INVENTORY_CONSOLE_OBJECT, kwargs=import_job),
    "inventory_console:repair": row(*INVENTORY_CONSOLE_OBJECT, kwargs=repair_number),
    "inventory_console:transfer": row(*INVENTORY_CONSOLE_OBJECT, kwargs=transfer_number),
    "inventory_console:relocation": row(*INVENTORY_CONSOLE_OBJECT, kwargs=relocation_number),
    "inventory:repair_estimate_answer": row(LOGIN, TO_REPAIR, NF, F, F, F, F, kwargs=repair_number,
                                   method="post", data={"answer": "accept"}),
    "inventory_console:repair_estimate": row(LOGIN, F, F, F, NF, TO_CONSOLE_REPAIR, TO_CONSOLE_REPAIR,
                                   kwargs=repair_number, method="post", data=ESTIMATE_BODY),
    "inventory_console:repair_dispatch": row(LOGIN, F, F, F, NF, TO_INVENTORY_CONSOLE, TO_INVENTORY_CONSOLE,
                                   kwargs=repair_number, method="post"),
    "inventory_console:repair_close": row(LOGIN, F, F, F, NF, TO_INVENTORY_CONSOLE, TO_INVENTORY_CONSOLE,
                                   kwargs=repair_number, method="post"),
    "inventory_console:transfer_confirm": row(LOGIN, F, F, F, NF, TO_INVENTORY_CONSOLE, TO_INVENTORY_CONSOLE,
                                   kwargs=transfer_number, method="post"),
    "inventory_console:site_change_review": row(LOGIN, F, F, F, NF, TO_INVENTORY_CONSOLE, TO_INVENTORY_CONSOLE,
                                   kwargs=site_change, method="post"),
    "inventory_console:relocation_assign": row(LOGIN, F, F, F, NF, TO_RELOCATION_CONSOLE, TO_RELOCATION_CONSOLE,
                                   kwargs=relocation_number, method="post", data={"assignee": "me"}),
    "inventory_console:relocation_decide": row(LOGIN, F, F, F, NF, TO_RELOCATION_CONSOLE, TO_RELOCATION_CONSOLE,
                                   kwargs=relocation_number, method="post", data={"decision": "approve"}),
    "inventory_console:relocation_carry_out": row(LOGIN, F, F, F, NF, TO_RELOCATION_CONSOLE,
                                   TO_RELOCATION_CONSOLE, kwargs=relocation_number, method="post"),
    "api-1:list_machines":     row(UNAUTHORISED, OK,     OK,        F,         F,         F,         F,  api=True),
    "api-1:get_machine":       row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True,
                                   kwargs=machine_serial),
    "api-1:patch_machine":     row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True,
                                   kwargs=machine_serial, method="patch", data={"site_city": "Liège"}),
    "api-1:create_repair":     row(UNAUTHORISED, CREATED, NF,       F,         F,         F,         F,  api=True,
                                   kwargs=machine_serial, method="post", data=REPAIR_BODY),
    "api-1:get_repair":        row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True,
                                   kwargs=repair_number),
    # the world's repair has no estimate waiting: an answer is a conflict, and another organisation's a 404
    "api-1:accept_estimate":   row(UNAUTHORISED, CONFLICT, NF,      F,         F,         F,         F,  api=True,
                                   kwargs=repair_number, method="post"),
    "api-1:decline_estimate":  row(UNAUTHORISED, CONFLICT, NF,      F,         F,         F,         F,  api=True,
                                   kwargs=repair_number, method="post"),
    "api-1:create_transfer":   row(UNAUTHORISED, CREATED, NF,       F,         F,         F,         F,  api=True,
                                   kwargs=free_machine_serial, method="post", data=_transfer_body),
    "api-1:create_relocation": row(UNAUTHORISED, CREATED, NF,       F,         F,         F,         F,  api=True,
                                   kwargs=machine_serial, method="post", data=_relocation_body),
    # inventory admin: read-only (changes go through the portal and console services)
    **admin_read_only("inventory", "machine", "repairrequest", "transfer", "relocation", "sitechange"),
}
# fmt: on

PROBES = (
    *(
        Probe(name, machine_serial, _missing_serial, {"customer_b": 404}, ("customer_a", OK))
        for name in (
            "inventory:detail",
            "inventory:edit",
            "inventory:repair_new",
            "inventory:transfer_new",
            "inventory:relocation_new",
        )
    ),
    Probe("inventory:repair", repair_number, _inventory_missing, {"customer_b": 404}, ("customer_a", OK)),
    Probe("inventory:repair_label", repair_number, _inventory_missing, {"customer_b": 404}, ("customer_a", OK)),
    Probe("inventory:relocation", relocation_number, _inventory_missing, {"customer_b": 404}, ("customer_a", OK)),
    Probe("inventory_console:repair", repair_number, _inventory_missing, {"agent_ro": 404}, ("agent_be", OK)),
    Probe(
        "inventory_console:import_job", import_job, lambda w: {"pk": MISSING_PK}, {"agent_ro": 404}, ("agent_be", OK)
    ),
    Probe("inventory_console:transfer", transfer_number, _inventory_missing, {"agent_ro": 404}, ("agent_be", OK)),
    Probe("inventory_console:relocation", relocation_number, _inventory_missing, {"agent_ro": 404}, ("agent_be", OK)),
    Probe(
        "inventory:repair_estimate_answer",
        repair_number,
        _inventory_missing,
        {"customer_b": 404},
        ("customer_a", TO_REPAIR),
        method="post",
        data={"answer": "accept"},
    ),
    Probe(
        "inventory_console:repair_estimate",
        repair_number,
        _inventory_missing,
        {"agent_ro": 404},
        ("agent_be", TO_CONSOLE_REPAIR),
        method="post",
        data=ESTIMATE_BODY,
    ),
    Probe("api-1:get_repair", repair_number, _inventory_missing, {"customer_b": 404}, ("customer_a", OK), api=True),
    *(
        Probe(
            name,
            repair_number,
            _inventory_missing,
            {"customer_b": 404},
            ("customer_a", CONFLICT),
            method="post",
            api=True,
        )
        for name in ("api-1:accept_estimate", "api-1:decline_estimate")
    ),
    Probe(
        "inventory_console:repair_dispatch",
        repair_number,
        _inventory_missing,
        {"agent_ro": 404},
        ("agent_be", TO_INVENTORY_CONSOLE),
        method="post",
    ),
    Probe(
        "inventory_console:repair_close",
        repair_number,
        _inventory_missing,
        {"agent_ro": 404},
        ("agent_be", TO_INVENTORY_CONSOLE),
        method="post",
    ),
    Probe(
        "inventory_console:transfer_confirm",
        transfer_number,
        _inventory_missing,
        {"agent_ro": 404},
        ("agent_be", TO_INVENTORY_CONSOLE),
        method="post",
    ),
    Probe(
        "inventory_console:site_change_review",
        site_change,
        lambda w: {"pk": MISSING_PK},
        {"agent_ro": 404},
        ("agent_be", TO_INVENTORY_CONSOLE),
        method="post",
    ),
    Probe(
        "inventory_console:relocation_assign",
        relocation_number,
        _inventory_missing,
        {"agent_ro": 404},
        ("agent_be", TO_RELOCATION_CONSOLE),
        method="post",
        data={"assignee": "me"},
    ),
    Probe(
        "inventory_console:relocation_decide",
        relocation_number,
        _inventory_missing,
        {"agent_ro": 404},
        ("agent_be", TO_RELOCATION_CONSOLE),
        method="post",
        data={"decision": "approve"},
    ),
    Probe(
        "inventory_console:relocation_carry_out",
        relocation_number,
        _inventory_missing,
        {"agent_ro": 404},
        ("agent_be", TO_RELOCATION_CONSOLE),
        method="post",
    ),
    Probe("api-1:get_machine", machine_serial, _missing_serial, {"customer_b": 404}, ("customer_a", OK), api=True),
    Probe(
        "api-1:patch_machine",
        machine_serial,
        _missing_serial,
        {"customer_b": 404},
        ("customer_a", OK),
        method="patch",
        data={"contact_name": "Matrix"},
        api=True,
    ),
    Probe(
        "api-1:create_repair",
        machine_serial,
        _missing_serial,
        {"customer_b": 404},
        ("customer_a", CREATED),
        method="post",
        data=REPAIR_BODY,
        api=True,
    ),
    Probe(
        "api-1:create_transfer",
        free_machine_serial,
        _missing_serial,
        {"customer_b": 404},
        ("customer_a", CREATED),
        method="post",
        data=_transfer_body,
        api=True,
    ),
    Probe(
        "api-1:create_relocation",
        machine_serial,
        _missing_serial,
        {"customer_b": 404},
        ("customer_a", CREATED),
        method="post",
        data=_relocation_body,
        api=True,
    ),
)

MATRIX = Matrix(
    ENTRIES,
    groups=admin_pages("inventory"),
    probes=PROBES,
    post_only=(
        "inventory:repair_estimate_answer",
        "inventory_console:repair_estimate",
        "api-1:accept_estimate",
        "api-1:decline_estimate",
        "inventory_console:repair_dispatch",
        "inventory_console:repair_close",
        "inventory_console:transfer_confirm",
        "inventory_console:site_change_review",
        "inventory_console:relocation_assign",
        "inventory_console:relocation_decide",
        "inventory_console:relocation_carry_out",
        "api-1:create_repair",
        "api-1:create_transfer",
        "api-1:create_relocation",
    ),
    build=_build,
    object_urls=(machine_serial, free_machine_serial, repair_number, relocation_number, transfer_number),
)
# This module's tests: test_access, test_actions_refuse_get, test_foreign_objects_answer_like_missing_ones.
globals().update(MATRIX.tests())
