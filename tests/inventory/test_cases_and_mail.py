"""Repairs, transfers and relocations in the case index, and the e-mails the help articles promise
(repair assigned and done, transfer recorded, relocation submitted), in the reader's language and
on the case's timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail

from guichet.core.models import Case, CaseActivity, OutboxMessage
from guichet.core.notifications import delivery
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.inventory import services
from guichet.inventory.models import RepairRequest
from tests.inventory.conftest import cover, make_machine, today

pytestmark = pytest.mark.django_db


def case_of(kind: str, number: str) -> Case:
    with across_organisations():
        return Case.objects.get(kind=kind, number=number)


def steps(case: Case) -> list[tuple[str, str, str]]:
    with across_organisations():
        rows = CaseActivity.objects.filter(case=case).order_by("at", "id")
        return [(row.event, row.status, row.note) for row in rows]


def sent(template: str) -> OutboxMessage:
    return OutboxMessage.objects.get(template=template)


def test_repair_assigned_and_done_are_told_in_the_requesters_language(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    machine = make_machine(org_a)
    cover(machine)
    with tenant_scope(org_a):
        repair = services.repair_request(
            actor=customer_a, machine=machine, kind="hardware", description="Bourrage\nsuite"
        )
    case = case_of("repair", repair.number)
    assert (case.status, case.waits_for, case.url_name) == ("open", "vendor", "inventory:repair")
    assert case.title == f"{machine} · Bourrage"
    with tenant_scope(org_a):
        services.repair_dispatch(actor=agent_be, repair=repair)
        services.repair_close(actor=agent_be, repair=repair)
    case.refresh_from_db()
    assert (case.status, case.waits_for) == ("resolved", "")
    assert steps(case) == [
        ("opened", "open", ""),
        ("notified", "open", "repair_received"),
        ("status", "in_progress", ""),
        ("notified", "in_progress", "repair_dispatched"),
        ("status", "resolved", ""),
        ("notified", "resolved", "repair_done"),
    ]
    for template in ("repair_dispatched", "repair_done"):
        message = sent(template)
        assert message.to == customer_a.email and message.language == "fr"
        assert delivery.deliver(message.pk)
    subjects = [email.subject for email in mail.outbox]
    assert any("un technicien est attribué" in subject for subject in subjects)
    assert any("est terminée" in subject for subject in subjects)
    assert "/fr/inventory/repairs/" in mail.outbox[-1].body


def test_a_repair_is_done_only_once_dispatched(org_a, customer_a, agent_be, agent_ro) -> None:  # type: ignore[no-untyped-def]
    from guichet.core.errors import Conflict, PermissionDenied

    machine = make_machine(org_a)
    cover(machine)
    with tenant_scope(org_a):
        repair = services.repair_request(actor=customer_a, machine=machine, kind="hardware", description="x")
        with pytest.raises(Conflict):
            services.repair_close(actor=agent_be, repair=repair)
        services.repair_dispatch(actor=agent_be, repair=repair)
        with pytest.raises(PermissionDenied):
            services.repair_close(actor=agent_ro, repair=repair)
    with across_organisations():
        assert RepairRequest.objects.get(pk=repair.pk).status == "dispatched"


def test_the_console_marks_a_repair_done(client, org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    from tests.inventory.conftest import url

    machine = make_machine(org_a)
    cover(machine)
    with tenant_scope(org_a):
        repair = services.repair_request(actor=customer_a, machine=machine, kind="hardware", description="x")
        services.repair_dispatch(actor=agent_be, repair=repair)
    client.force_login(agent_be)
    page = client.get(url("inventory_console:repair", number=repair.number)).content.decode()
    assert 'data-testid="repair-close"' in page
    client.post(url("inventory_console:repair_close", number=repair.number))
    assert case_of("repair", repair.number).status == "resolved"


def test_transfer_recorded_is_told_and_indexed(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    machine = make_machine(org_a)
    cover(machine)
    with tenant_scope(org_a):
        transfer = services.transfer_report(
            actor=customer_a,
            machine=machine,
            kind="sale",
            leaves_on=today() + timedelta(days=5),
            reason="Vendue",
            buyer="Acme SA",
        )
    message = sent("transfer_recorded")
    assert message.to == customer_a.email and message.context["number"] == transfer.number
    case = case_of("transfer", transfer.number)
    assert (case.status, case.url_args) == ("open", {"serial": machine.serial})
    assert ("notified", "open", "transfer_recorded") in steps(case)
    with tenant_scope(org_a):
        services.transfer_confirm(actor=agent_be, transfer=transfer)
    case.refresh_from_db()
    assert case.status == "in_progress"
    assert delivery.deliver(message.pk) and "Acme" not in mail.outbox[-1].subject


def test_relocation_submitted_is_told_and_follows_its_decisions(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    machine = make_machine(org_a)
    with tenant_scope(org_a):
        relocation = services.relocation_request(
            actor=customer_a,
            machine=machine,
            from_country="BE",
            from_address="Rue Haute 1, 1000 Bruxelles",
            to_country="RO",
            to_address="Strada Republicii 10, Brașov",
            desired_date=today() + timedelta(days=40),
        )
    message = sent("relocation_submitted")
    assert message.to == customer_a.email and message.language == "fr"
    assert delivery.deliver(message.pk) and "reçue" in mail.outbox[-1].subject
    case = case_of("relocation", relocation.number)
    with tenant_scope(org_a):
        services.relocation_assign(actor=agent_be, relocation=relocation, assignee=agent_be)
        services.relocation_decide(actor=agent_be, relocation=relocation, approve=False, reason="Pas de support")
    case.refresh_from_db()
    assert case.status == "refused"
    assert [note for event, _status, note in steps(case) if event == "notified"] == [
        "relocation_submitted",
        "relocation_assigned",
        "relocation_refused",
    ]
