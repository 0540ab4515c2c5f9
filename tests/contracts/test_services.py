"""Terminations and ServicePac activation through the services: rules enforced, requests filed, rows updated."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.management import call_command

from guichet.contracts import services
from guichet.contracts.models import (
    ContractKind,
    ContractStatus,
    CoveredMachine,
    ServicePacCode,
    Termination,
    TerminationStatus,
)
from guichet.core.errors import Conflict, DomainError, PermissionDenied
from guichet.core.models import AuditEvent, OutboxMessage
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.support.models import Request
from tests.contracts.conftest import cover, make_code, make_contract, make_machine
from tests.tools import pdftotext

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 31)


def contact(user):  # type: ignore[no-untyped-def]
    return {"name": user.get_full_name(), "email": user.email, "phone": ""}


def test_customer_termination_of_an_eligible_machine_files_a_request_and_a_signed_notice(  # type: ignore[no-untyped-def]
    org_a, customer_a, tmp_path
) -> None:
    contract = make_contract(org_a, number="BE-HW-2024-0001")
    old = cover(contract, date(2025, 9, 30))  # exactly six months before TODAY
    with tenant_scope(org_a):
        termination = services.hardware_termination_request(
            actor=customer_a, contract=contract, coverage_ids=[old.pk], contact=contact(customer_a), today=TODAY
        )
        request = Request.objects.get(number=termination.request_number)
    # One month's notice from 31 March is 30 April (month end clamped).
    assert termination.effective_date == date(2026, 4, 30)
    assert termination.status == TerminationStatus.PENDING
    assert request.type == "contracts" and request.details == {"contract_number": "BE-HW-2024-0001"}
    data = termination.notice_document.read()
    assert data.startswith(b"%PDF")
    text = pdftotext(data)
    assert "BE-HW-2024-0001" in text and "Avenue du Bourget 42" in text and "1130 Bruxelles" in text
    assert customer_a.email in text and old.machine.serial in text
    assert AuditEvent.objects.filter(action="contract.termination_requested", target=contract.number).exists()


def test_a_machine_under_contract_less_than_six_months_is_refused_with_the_first_eligible_date(  # type: ignore[no-untyped-def]
    org_a, customer_a
) -> None:
    contract = make_contract(org_a)
    young = cover(contract, date(2025, 10, 1))  # six months on 1 April: one day short
    with tenant_scope(org_a), pytest.raises(DomainError) as refused:
        services.hardware_termination_request(
            actor=customer_a, contract=contract, coverage_ids=[young.pk], contact=contact(customer_a), today=TODAY
        )
    assert refused.value.code == "not_yet_eligible"
    assert refused.value.details["first_eligible"] == "2026-04-01"
    assert refused.value.details["earliest_effective"] == "2026-05-01"
    with across_organisations():
        assert not Termination.objects.exists() and not Request.objects.exists()


def test_effective_date_before_the_notice_period_is_refused(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a)
    old = cover(contract, date(2024, 1, 1))
    with tenant_scope(org_a):
        with pytest.raises(DomainError) as early:
            services.hardware_termination_request(
                actor=customer_a,
                contract=contract,
                coverage_ids=[old.pk],
                contact=contact(customer_a),
                effective_date=date(2026, 4, 29),
                today=TODAY,
            )
        assert early.value.code == "effective_date_too_early"
        later = services.hardware_termination_request(
            actor=customer_a,
            contract=contract,
            coverage_ids=[old.pk],
            contact=contact(customer_a),
            effective_date=date(2026, 6, 15),
            today=TODAY,
        )
        assert later.effective_date == date(2026, 6, 15)
        # The same machine cannot be terminated twice while the first is under way.
        with pytest.raises(Conflict):
            services.hardware_termination_request(
                actor=customer_a, contract=contract, coverage_ids=[old.pk], contact=contact(customer_a), today=TODAY
            )


def test_machines_of_another_contract_or_none_are_refused(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a)
    other = cover(make_contract(org_a), date(2020, 1, 1))
    with tenant_scope(org_a):
        for ids in ([], [other.pk]):
            with pytest.raises(DomainError) as refused:
                services.hardware_termination_request(
                    actor=customer_a, contract=contract, coverage_ids=ids, contact=contact(customer_a), today=TODAY
                )
            assert refused.value.code == "machine_not_covered"


def test_prepaid_licence_needs_no_cancellation_and_files_nothing(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a, kind=ContractKind.PREPAID_LICENCE)
    with tenant_scope(org_a), pytest.raises(DomainError) as refused:
        services.licence_termination_request(
            actor=customer_a, contract=contract, contact=contact(customer_a), today=TODAY
        )
    assert refused.value.code == "no_cancellation_needed"
    with across_organisations():
        assert not Request.objects.exists() and not Termination.objects.exists()


def test_monthly_licence_needs_thirty_days_and_no_destruction_before_the_notice(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    """Issue 14, item 6: the copies are destroyed at the cancellation and confirmed then, not with the notice."""
    contract = make_contract(org_a, kind=ContractKind.MONTHLY_LICENCE)
    with tenant_scope(org_a):
        with pytest.raises(DomainError) as early:
            services.licence_termination_request(
                actor=customer_a,
                contract=contract,
                contact=contact(customer_a),
                effective_date=TODAY + timedelta(days=29),
                today=TODAY,
            )
        assert early.value.code == "effective_date_too_early"
        termination = services.licence_termination_request(
            actor=customer_a, contract=contract, contact=contact(customer_a), today=TODAY
        )
    assert termination.effective_date == date(2026, 4, 30)
    assert not termination.copies_destroyed and termination.copies_destroyed_at is None
    # Nothing is sent to the vendor as a destruction confirmation when notice is given.
    assert not OutboxMessage.objects.filter(template="contract_destruction_confirmed").exists()
    with tenant_scope(org_a), pytest.raises(DomainError) as not_yet:
        services.licence_destruction_confirm(actor=customer_a, termination=termination)
    assert not_yet.value.code == "not_effective_yet"


@pytest.mark.parametrize(("country", "vendor_address"), [("BE", None), ("RO", "admin@ro.ibm.com")])
def test_the_destruction_is_confirmed_once_the_cancellation_took_effect(country, vendor_address) -> None:  # type: ignore[no-untyped-def]
    """Recorded by the portal; forwarded only where the vendor names an address (the Romanian seed)."""
    from tests.accounts.factories import OrganisationFactory, grant_all, make_member

    organisation = OrganisationFactory(country=country, language="en")
    member = make_member(organisation, role="admin", email=f"licence-{country}@example.com")
    grant_all(member, organisation)
    contract = make_contract(organisation, kind=ContractKind.MONTHLY_LICENCE)
    with tenant_scope(organisation):
        termination = services.licence_termination_request(
            actor=member, contract=contract, contact=contact(member), today=TODAY
        )
        termination.status = TerminationStatus.EFFECTIVE
        termination.save(update_fields=["status"])
        confirmed = services.licence_destruction_confirm(actor=member, termination=termination)
        assert confirmed.copies_destroyed and confirmed.copies_destroyed_at is not None
        with pytest.raises(DomainError) as again:
            services.licence_destruction_confirm(actor=member, termination=termination)
        assert again.value.code == "already_confirmed"
    forwarded = list(OutboxMessage.objects.filter(template="contract_destruction_confirmed"))
    assert [m.to for m in forwarded] == ([vendor_address] if vendor_address else [])
    assert AuditEvent.objects.filter(action="contract.licence_destruction_confirmed", target=contract.number).exists()


def test_agent_accepts_then_the_termination_takes_effect_once(org_a, customer_a, agent_be, agent_ro) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a)
    first, second = cover(contract, date(2024, 1, 1)), cover(contract, date(2024, 1, 1))
    with tenant_scope(org_a):
        termination = services.hardware_termination_request(
            actor=customer_a, contract=contract, coverage_ids=[first.pk], contact=contact(customer_a), today=TODAY
        )
    with pytest.raises(PermissionDenied):
        services.termination_decide(actor=agent_ro, termination=termination, accept=True)
    services.termination_decide(actor=agent_be, termination=termination, accept=True)
    with pytest.raises(Conflict):
        services.termination_decide(actor=agent_be, termination=termination, accept=False, note="No")
    with tenant_scope(org_a):
        request = Request.objects.get(number=termination.request_number)
        assert request.status == "resolved"
    assert services.terminations_apply_due(today=date(2026, 4, 29)) == 0
    assert services.terminations_apply_due(today=date(2026, 4, 30)) == 1
    assert services.terminations_apply_due(today=date(2026, 4, 30)) == 0  # idempotent
    with tenant_scope(org_a):
        first.refresh_from_db()
        second.refresh_from_db()
        contract.refresh_from_db()
        termination.refresh_from_db()
    assert first.covered_until == date(2026, 4, 30) and second.covered_until is None
    assert termination.status == TerminationStatus.EFFECTIVE
    assert contract.status == ContractStatus.ACTIVE  # one machine still covered

    # The last machine leaving ends the contract; the command does what the task does.
    with tenant_scope(org_a):
        last = services.hardware_termination_request(
            actor=customer_a, contract=contract, coverage_ids=[second.pk], contact=contact(customer_a), today=TODAY
        )
    services.termination_decide(actor=agent_be, termination=last, accept=True)
    call_command("apply_terminations", "--today", "2026-05-01")
    with tenant_scope(org_a):
        contract.refresh_from_db()
    assert (contract.status, contract.end_date) == (ContractStatus.TERMINATED, date(2026, 4, 30))


def test_a_refusal_needs_a_reason_and_reaches_the_customer(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a)
    coverage = cover(contract, date(2024, 1, 1))
    with tenant_scope(org_a):
        termination = services.hardware_termination_request(
            actor=customer_a, contract=contract, coverage_ids=[coverage.pk], contact=contact(customer_a), today=TODAY
        )
    with pytest.raises(DomainError):
        services.termination_decide(actor=agent_be, termination=termination, accept=False, note=" ")
    services.termination_decide(actor=agent_be, termination=termination, accept=False, note="Addendum 3 applies.")
    assert services.terminations_apply_due(today=date(2027, 1, 1)) == 0
    bodies = [m.context.get("body", "") for m in OutboxMessage.objects.filter(to=customer_a.email)]
    assert any("Addendum 3 applies." in body for body in bodies)


def test_vendor_termination_needs_a_year_and_three_months_and_tells_the_customer(  # type: ignore[no-untyped-def]
    org_a, customer_a, agent_be
) -> None:
    contract = make_contract(org_a)
    young = cover(contract, date(2025, 4, 1))  # a year on 1 April 2026
    old = cover(contract, date(2025, 3, 31))
    with pytest.raises(DomainError) as refused:
        services.vendor_termination(actor=agent_be, contract=contract, coverage_ids=[young.pk], today=TODAY)
    assert refused.value.details["first_eligible"] == "2026-04-01"
    termination = services.vendor_termination(
        actor=agent_be, contract=contract, coverage_ids=[old.pk], reason="End of support for this model.", today=TODAY
    )
    assert termination.effective_date == date(2026, 6, 30)
    assert termination.status == TerminationStatus.ACCEPTED
    told = OutboxMessage.objects.get(template="contract_vendor_termination")
    assert told.to == customer_a.email and old.machine.serial in told.context["machines"]


def test_servicepac_activation_and_its_distinct_errors(org_a, org_b, customer_a) -> None:  # type: ignore[no-untyped-def]
    servicepac = make_contract(org_a, kind=ContractKind.SERVICEPAC, status=ContractStatus.DRAFT)
    code = make_code(servicepac, "ABCD2345")
    foreign = make_code(make_contract(org_b, kind=ContractKind.SERVICEPAC), "WXYZ2345")
    machine = make_machine(org_a, serial="78BE555")
    make_machine(org_b, serial="78RO555")

    def activate(raw: str, serial: str = "78BE555") -> str:
        try:
            with tenant_scope(org_a):
                services.servicepac_activate(
                    actor=customer_a, organisation=org_a, code=raw, machine_type="9009", serial=serial
                )
        except DomainError as error:
            return error.code
        return "ok"

    assert activate("SP-ABCD-2345-X") == "invalid_code_format"
    assert activate(foreign.code) == "unknown_code"
    assert activate(code.code, serial="78RO555") == "machine_not_found"
    assert activate(code.code.lower().replace("-", " ")) == "ok"
    assert activate(code.code) == "code_already_used"
    with tenant_scope(org_a):
        coverage = CoveredMachine.objects.get(contract=servicepac, machine=machine)
        servicepac.refresh_from_db()
        code.refresh_from_db()
    assert coverage.covered_until is None and servicepac.status == ContractStatus.ACTIVE
    assert code.used_by == customer_a and code.machine == machine
    assert OutboxMessage.objects.filter(template="contract_servicepac_activated", to=customer_a.email).exists()
    with across_organisations():
        assert ServicePacCode.objects.get(pk=foreign.pk).used_at is None


def test_the_periodic_task_applies_due_terminations(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    from guichet.contracts.tasks import apply_due_terminations

    contract = make_contract(org_a)
    coverage = cover(contract, date(2020, 1, 1))
    with tenant_scope(org_a):
        termination = services.hardware_termination_request(
            actor=customer_a, contract=contract, coverage_ids=[coverage.pk], contact=contact(customer_a), today=TODAY
        )
    services.termination_decide(actor=agent_be, termination=termination, accept=True)
    assert apply_due_terminations() == 1  # its effective date (2026-04-30) is in the past of the real today
    assert apply_due_terminations() == 0


def test_a_subscription_is_not_renewed_it_ends_with_its_term(org_a, customer_a, agent_be, tmp_path) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(
        org_a,
        kind=ContractKind.SOFTWARE_SUBSCRIPTION,
        number="BE-SW-T1",
        end_date=date(2027, 3, 31),
        renewal_date=date(2027, 3, 31),
    )
    with tenant_scope(org_a):
        with pytest.raises(DomainError) as unread:
            services.end_of_term_request(
                actor=customer_a, contract=contract, contact=contact(customer_a), lapse_acknowledged=False, today=TODAY
            )
        assert unread.value.code == "lapse_not_acknowledged"
        with pytest.raises(DomainError) as other_day:
            services.end_of_term_request(
                actor=customer_a,
                contract=contract,
                contact=contact(customer_a),
                lapse_acknowledged=True,
                effective_date=date(2026, 12, 31),
                today=TODAY,
            )
        assert other_day.value.code == "effective_date_not_term_end"
        assert other_day.value.details == {"earliest_effective": "2027-03-31"}
        termination = services.end_of_term_request(
            actor=customer_a, contract=contract, contact=contact(customer_a), lapse_acknowledged=True, today=TODAY
        )
        with pytest.raises(Conflict):
            services.end_of_term_request(
                actor=customer_a, contract=contract, contact=contact(customer_a), lapse_acknowledged=True, today=TODAY
            )
        assert Request.objects.get(number=termination.request_number).type == "contracts"
    assert (termination.kind, termination.effective_date) == ("end_of_term", date(2027, 3, 31))
    text = pdftotext(termination.notice_document.read())
    # In the organisation's language (fr), dated the day the term ends.
    assert "BE-SW-T1" in text and "ne renouvelons pas" in text and "31 mars 2027" in text

    services.termination_decide(actor=agent_be, termination=termination, accept=True)
    assert services.terminations_apply_due(today=date(2027, 3, 30)) == 0
    assert services.terminations_apply_due(today=date(2027, 3, 31)) == 1
    with tenant_scope(org_a):
        contract.refresh_from_db()
    assert (contract.status, contract.end_date, contract.renewal_date) == (
        ContractStatus.TERMINATED,
        date(2027, 3, 31),
        None,
    )
    told = OutboxMessage.objects.get(template="contract_termination_effective")
    assert told.to == customer_a.email and told.context["contract_ended"] is True
    assert told.context["number"] == "BE-SW-T1"


def test_an_open_ended_agreement_takes_one_months_notice(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a, kind=ContractKind.PROGRAM_AGREEMENT)
    with tenant_scope(org_a):
        with pytest.raises(DomainError) as early:
            services.end_of_term_request(
                actor=customer_a,
                contract=contract,
                contact=contact(customer_a),
                lapse_acknowledged=True,
                effective_date=date(2026, 4, 29),
                today=TODAY,
            )
        assert early.value.code == "effective_date_too_early"
        termination = services.end_of_term_request(
            actor=customer_a, contract=contract, contact=contact(customer_a), lapse_acknowledged=True, today=TODAY
        )
    assert termination.effective_date == date(2026, 4, 30)


def test_a_servicepac_runs_out_and_needs_no_termination(org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a, kind=ContractKind.SERVICEPAC)
    with tenant_scope(org_a):
        for attempt in (services.licence_termination_request, services.end_of_term_request):
            with pytest.raises(DomainError) as refused:
                attempt(  # type: ignore[operator]
                    actor=customer_a,
                    contract=contract,
                    contact=contact(customer_a),
                    **({} if attempt is services.licence_termination_request else {"lapse_acknowledged": True}),
                    today=TODAY,
                )
            assert refused.value.code == "no_cancellation_needed"
    with across_organisations():
        assert not Termination.objects.exists()


def test_the_customer_withdraws_a_notice_until_the_vendor_processed_it(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a)
    coverage = cover(contract, date(2024, 1, 1))
    with tenant_scope(org_a):
        first = services.hardware_termination_request(
            actor=customer_a, contract=contract, coverage_ids=[coverage.pk], contact=contact(customer_a), today=TODAY
        )
        services.termination_withdraw(actor=customer_a, termination=first)
        first.refresh_from_db()
        assert first.status == TerminationStatus.WITHDRAWN
        assert Request.objects.get(number=first.request_number).status == "closed"
        # The machine is free again: a new notice may name it; once accepted it can no longer be withdrawn.
        second = services.hardware_termination_request(
            actor=customer_a, contract=contract, coverage_ids=[coverage.pk], contact=contact(customer_a), today=TODAY
        )
    services.termination_decide(actor=agent_be, termination=second, accept=True)
    with tenant_scope(org_a), pytest.raises(Conflict) as late:
        services.termination_withdraw(actor=customer_a, termination=second)
    assert late.value.code == "not_withdrawable"
    assert services.terminations_apply_due(today=date(2026, 4, 30)) == 1
    assert AuditEvent.objects.filter(action="contract.termination_withdrawn", target=contract.number).count() == 1
    told = OutboxMessage.objects.get(template="contract_termination_effective")
    assert told.context["contract_ended"] is True and coverage.machine.serial in told.context["machines"]


def test_the_vendors_notice_taking_effect_is_told_to_the_administrators(org_a, customer_a, agent_be) -> None:  # type: ignore[no-untyped-def]
    contract = make_contract(org_a)
    kept, leaving = cover(contract, date(2024, 1, 1)), cover(contract, date(2024, 1, 1))
    termination = services.vendor_termination(actor=agent_be, contract=contract, coverage_ids=[leaving.pk], today=TODAY)
    OutboxMessage.objects.all().delete()
    assert services.terminations_apply_due(today=termination.effective_date) == 1
    told = OutboxMessage.objects.filter(template="contract_termination_effective")
    assert told.exists() and all(m.context["contract_ended"] is False for m in told)
    assert customer_a.email in {m.to for m in told}
    assert kept.machine.serial not in told[0].context["machines"]
