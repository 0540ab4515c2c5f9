"""Inventory services: coverage look-up, repairs (slot, mail-in, billed acceptance), transfers, relocations."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.http import Http404

from guichet.core.errors import Conflict, DomainError, PermissionDenied
from guichet.core.models import AuditEvent, OutboxMessage
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.inventory import rules, selectors, services
from guichet.inventory.models import Machine, RepairRequest
from tests.inventory.conftest import cover, make_machine, today

pytestmark = pytest.mark.django_db


def test_coverage_contract_warranty_and_none(org_a) -> None:  # type: ignore[no-untyped-def]
    under_contract = make_machine(org_a, "78AB001")
    cover(under_contract, end_date=today() + timedelta(days=100))
    under_warranty = make_machine(org_a, "78AB002", warranty_end=today() + timedelta(days=30))
    uncovered = make_machine(org_a, "78AB003")
    with tenant_scope(org_a):
        contract = selectors.coverage_of(under_contract)
        assert (contract.state, contract.contract_number, contract.until) == (
            "contract",
            "BE-HW-2024-0001",
            today() + timedelta(days=100),
        )
        assert selectors.coverage_of(under_warranty).state == "warranty"
        assert selectors.coverage_of(uncovered).state == "none"
        many = selectors.coverages_of([under_contract, under_warranty, uncovered], today())
        assert [many[m.pk].state for m in (under_contract, under_warranty, uncovered)] == [
            "contract",
            "warranty",
            "none",
        ]


def test_a_serial_is_found_only_in_its_organisation(org_a, org_b) -> None:  # type: ignore[no-untyped-def]
    make_machine(org_a, "78AB001")
    with tenant_scope(org_b), pytest.raises(Http404):
        selectors.get_machine_for(org_b, "78AB001")
    with tenant_scope(org_a):
        assert selectors.get_machine_for(org_a, "78ab001").serial == "78AB001"


def test_a_serial_shared_by_two_types_needs_the_type(org_a) -> None:  # type: ignore[no-untyped-def]
    make_machine(org_a, "78AB001", machine_type="8286")
    make_machine(org_a, "78AB001", machine_type="9009")
    with tenant_scope(org_a):
        with pytest.raises(selectors.AmbiguousSerial) as error:
            selectors.get_machine_for(org_a, "78AB001")
        assert error.value.details["types"] == ["8286", "9009"]
        assert selectors.get_machine_for(org_a, "78AB001", "9009").machine_type == "9009"


def test_type_and_serial_are_unique(org_a, org_b) -> None:  # type: ignore[no-untyped-def]
    make_machine(org_a, "78AB001")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_machine(org_b, "78AB001")


# --- repairs ---------------------------------------------------------------------------------------

TUESDAY_10H_BRUSSELS = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def test_covered_next_business_day_repair_proposes_tomorrows_slot(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    machine = make_machine(org_a)
    cover(machine, service_level="onsite_next_day", covered_from=date(2025, 1, 1))
    with tenant_scope(org_a):
        repair = services.repair_request(
            actor=customer_a, machine=machine, kind="hardware", description="Disk fault", now=TUESDAY_10H_BRUSSELS
        )
    assert repair.number == "SR-BE-2026-000001"
    assert (repair.coverage, repair.handling, repair.contract_number) == ("contract", "onsite", "BE-HW-2024-0001")
    assert repair.slot_start is not None and repair.slot_start.date() == date(2026, 3, 11)
    assert repair.billing_accepted_at is None and repair.dispatch_due == repair.slot_start
    assert OutboxMessage.objects.filter(template="repair_received", to=customer_a.email).exists()
    assert AuditEvent.objects.filter(action="repair.requested", target=repair.number).exists()


def test_warranty_repair_is_mail_in(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    machine = make_machine(org_a, warranty_end=today() + timedelta(days=10))
    with tenant_scope(org_a):
        repair = services.repair_request(actor=customer_a, machine=machine, kind="software", description="Boot loop")
    assert (repair.coverage, repair.handling, repair.slot_start) == ("warranty", "mail_in", None)


def test_uncovered_repair_refused_without_billing_acceptance(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    machine = make_machine(org_a)
    with tenant_scope(org_a):
        with pytest.raises(services.BillingNotAccepted):
            services.repair_request(actor=customer_a, machine=machine, kind="hardware", description="Broken")
        assert not RepairRequest.objects.exists()
        repair = services.repair_request(
            actor=customer_a, machine=machine, kind="hardware", description="Broken", accept_billing=True
        )
    assert repair.coverage == "none" and repair.handling == "mail_in"
    assert repair.billing_accepted_by == customer_a and repair.billing_accepted_at is not None
    assert repair.billing_wording_version == rules.BILLING_WORDING_VERSION


def test_the_database_refuses_a_billed_repair_without_acceptance(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    machine = make_machine(org_a)
    with tenant_scope(org_a), pytest.raises(IntegrityError), transaction.atomic():
        RepairRequest.objects.create(
            organisation=org_a, machine=machine, number="SR-X", kind="hardware", description="x",
            coverage="none", service_level="mail_in", handling="mail_in", requester=customer_a,
        )  # fmt: skip


def test_repair_numbers_count_per_country_and_year(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    machine = make_machine(org_a, warranty_end=today() + timedelta(days=10))
    with tenant_scope(org_a):
        numbers = [
            services.repair_request(actor=customer_a, machine=machine, kind="hardware", description="x").number
            for _ in range(2)
        ]
    assert [n[-6:] for n in numbers] == ["000001", "000002"]


def test_dispatch_by_an_agent_of_the_country_only(org_a, customer_a, agent_be, agent_ro) -> None:  # type: ignore[no-untyped-def]
    machine = make_machine(org_a, warranty_end=today() + timedelta(days=10))
    with tenant_scope(org_a):
        repair = services.repair_request(actor=customer_a, machine=machine, kind="hardware", description="x")
        with pytest.raises(PermissionDenied):
            services.repair_dispatch(actor=agent_ro, repair=repair)
        assert services.repair_dispatch(actor=agent_be, repair=repair).status == "dispatched"
        with pytest.raises(Conflict):
            services.repair_dispatch(actor=agent_be, repair=repair)


# --- site changes ----------------------------------------------------------------------------------


def test_site_change_is_recorded_and_reviewed(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    machine = make_machine(org_a)
    with tenant_scope(org_a):
        services.machine_update_site(
            actor=customer_a, machine=machine, changes={"site_city": "Namur", "contact_name": "Jo Site"}
        )
        change = selectors.site_changes_of(machine).get()
        assert change.changes == {"site_city": ["Bruxelles", "Namur"]}
        assert AuditEvent.objects.filter(action="machine.site_changed").exists()
        with pytest.raises(DomainError):
            services.machine_update_site(actor=customer_a, machine=machine, changes={"serial": "X"})
        with pytest.raises(Exception):  # noqa: B017 - full_clean's ValidationError
            services.machine_update_site(actor=customer_a, machine=machine, changes={"contact_email": "not-an-email"})
    assert [c.pk for c in selectors.site_changes_to_review(agent_be)] == [change.pk]
    with tenant_scope(org_a):
        services.site_change_review(actor=agent_be, change=change)
    assert selectors.site_changes_to_review(agent_be) == []


# --- transfers -------------------------------------------------------------------------------------


def test_transfer_reported_confirmed_and_taking_effect_ends_the_contract_line(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    machine = make_machine(org_a)
    line = cover(machine)
    leaves = today() + timedelta(days=5)
    with tenant_scope(org_a):
        transfer = services.transfer_report(
            actor=customer_a, machine=machine, kind="sale", leaves_on=leaves, reason="Sold", buyer="Acme SA"
        )
        assert transfer.last_charged_day == today() + relativedelta(months=1)
        assert transfer.contract_number == "BE-HW-2024-0001" and transfer.number.startswith("TR-BE-")
        with pytest.raises(Conflict):
            services.transfer_report(
                actor=customer_a, machine=machine, kind="sale", leaves_on=leaves, reason="x", buyer="B"
            )
        services.transfer_confirm(actor=agent_be, transfer=transfer)
        transfer.refresh_from_db()
        assert transfer.status == "confirmed"  # the machine has not left yet
        assert services.transfers_take_effect(today()) == 0
        assert services.transfers_take_effect(leaves) == 1
        assert services.transfers_take_effect(leaves) == 0  # idempotent
    with across_organisations():
        line.refresh_from_db()
        machine.refresh_from_db()
        transfer.refresh_from_db()
    assert line.covered_until == transfer.last_charged_day
    assert machine.departed_on == leaves and transfer.status == "done"
    with tenant_scope(org_a):
        assert selectors.coverage_of(machine, leaves + timedelta(days=1)).state == "none"
        assert machine not in selectors.machines_of(org_a)


def test_transfer_of_a_machine_already_gone_takes_effect_on_confirmation(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    machine = make_machine(org_a)
    cover(machine)
    with tenant_scope(org_a):
        transfer = services.transfer_report(
            actor=customer_a,
            machine=machine,
            kind="lease_return",
            leaves_on=today() - timedelta(days=3),
            reason="Lease ended",
            financing_quote="Q-123",
        )
        services.transfer_confirm(actor=agent_be, transfer=transfer)
        transfer.refresh_from_db()
    assert transfer.status == "done" and transfer.financing_quote == "Q-123"
    assert transfer.last_charged_day == today() + relativedelta(months=1)


def test_a_sale_names_the_buyer(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    machine = make_machine(org_a)
    with tenant_scope(org_a), pytest.raises(DomainError) as error:
        services.transfer_report(actor=customer_a, machine=machine, kind="sale", leaves_on=today(), reason="Sold")
    assert error.value.code == "buyer_required"


# --- relocations -----------------------------------------------------------------------------------


def _relocation(org_a, customer_a):  # type: ignore[no-untyped-def]
    machine = make_machine(org_a)
    with tenant_scope(org_a):
        return services.relocation_request(
            actor=customer_a,
            machine=machine,
            from_country="BE",
            from_address="Rue Haute 1, 1000 Bruxelles",
            to_country="RO",
            to_address="Strada Republicii 10, Brașov",
            desired_date=today() + timedelta(days=40),
        )


def test_relocation_is_evaluated_before_anything_happens(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    relocation = _relocation(org_a, customer_a)
    assert relocation.status == "submitted" and relocation.number.startswith("RL-BE-")
    with tenant_scope(org_a):
        with pytest.raises(Conflict):
            services.relocation_carry_out(actor=agent_be, relocation=relocation)
        services.relocation_assign(actor=agent_be, relocation=relocation, assignee=agent_be)
        assert OutboxMessage.objects.filter(template="relocation_assigned", to=customer_a.email).count() == 1
        services.relocation_decide(actor=agent_be, relocation=relocation, approve=True)
        assert (
            OutboxMessage.objects.filter(to=customer_a.email)
            .exclude(template__in=("relocation_submitted", "relocation_assigned"))
            .count()
            == 0
        )
        services.relocation_carry_out(actor=agent_be, relocation=relocation)
        assert OutboxMessage.objects.filter(template="relocation_carried_out", to=customer_a.email).count() == 1
        machine = Machine.objects.get(pk=relocation.machine_id)
    assert machine.site_country == "RO"


def test_refusal_needs_a_reason_and_tells_the_customer(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    relocation = _relocation(org_a, customer_a)
    with tenant_scope(org_a):
        services.relocation_assign(actor=agent_be, relocation=relocation, assignee=agent_be)
        with pytest.raises(DomainError):
            services.relocation_decide(actor=agent_be, relocation=relocation, approve=False)
        services.relocation_decide(actor=agent_be, relocation=relocation, approve=False, reason="No local support")
    assert OutboxMessage.objects.filter(template="relocation_refused").exists()


def test_relocation_must_cross_a_border_and_leave_time(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    machine = make_machine(org_a)
    with tenant_scope(org_a):
        with pytest.raises(DomainError) as same:
            services.relocation_request(
                actor=customer_a, machine=machine, from_country="BE", from_address="a", to_country="BE",
                to_address="b", desired_date=today() + timedelta(days=60),
            )  # fmt: skip
        with pytest.raises(DomainError) as soon:
            services.relocation_request(
                actor=customer_a, machine=machine, from_country="BE", from_address="a", to_country="RO",
                to_address="b", desired_date=today() + timedelta(days=1),
            )  # fmt: skip
    assert (same.value.code, soon.value.code) == ("same_country", "too_soon")


def test_console_lists_only_the_agents_country(org_a, customer_a, agent_be, agent_ro) -> None:  # type: ignore[no-untyped-def]
    relocation = _relocation(org_a, customer_a)
    assert [r.number for r in selectors.relocations_to_handle(agent_be)] == [relocation.number]
    assert selectors.relocations_to_handle(agent_ro) == []


_ = time
