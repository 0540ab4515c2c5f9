"""Reads on contracts. Customers: their organisation's. Agents: their country's."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from guichet.accounts import jurisdiction
from guichet.accounts.models import Organisation, User
from guichet.core.references import MAX_SUGGESTIONS
from guichet.core.tenancy import across_organisations
from guichet.inventory.models import Machine

from . import rules
from .models import (
    Contract,
    ContractKind,
    ContractStatus,
    CoveredMachine,
    Signature,
    SignatureParty,
    Termination,
    TerminationStatus,
)

# --- customers ------------------------------------------------------------------------------


def contracts_of(
    organisation: Organisation, *, kind: str = "", status: str = "", query: str = ""
) -> QuerySet[Contract]:
    contracts = Contract.objects.filter(organisation=organisation)
    if kind in ContractKind.values:
        contracts = contracts.filter(kind=kind)
    if status in ContractStatus.values:
        contracts = contracts.filter(status=status)
    for word in query.strip()[:100].split():
        covering = CoveredMachine.objects.filter(contract=OuterRef("pk")).filter(
            Q(machine__serial__iexact=word) | Q(machine__machine_type__iexact=word)
        )
        contracts = contracts.filter(Q(number__icontains=word) | Q(title__icontains=word) | Exists(covering))
    return contracts.order_by("-start_date", "number")


def contract_numbers_of(organisation: Organisation) -> Iterator[str]:
    """The organisation's contract numbers, newest first (reference-field suggestions)."""
    yield from (
        Contract.objects.filter(organisation=organisation)
        .order_by("-start_date", "number")
        .values_list("number", flat=True)[:MAX_SUGGESTIONS]
    )


def get_contract_for(organisation: Organisation, number: str) -> Contract:
    contract = Contract.objects.filter(organisation=organisation, number=number).select_related("organisation").first()
    if contract is None:
        raise Http404
    return contract


def coverages_of(contract: Contract, *, current_only: bool = False) -> QuerySet[CoveredMachine]:
    coverages = CoveredMachine.objects.filter(contract=contract).select_related("machine")
    if current_only:
        coverages = coverages.filter(covered_until__isnull=True)
    return coverages.order_by("machine__machine_type", "machine__serial", "covered_from")


def pending_coverage_ids(contract: Contract) -> set[int]:
    """Coverages already named by a termination not refused: they cannot be terminated twice."""
    return set(
        Termination.objects.filter(
            contract=contract, status__in=[TerminationStatus.PENDING, TerminationStatus.ACCEPTED]
        ).values_list("coverages", flat=True)
    ) - {None}


def terminations_of(contract: Contract) -> QuerySet[Termination]:
    return Termination.objects.filter(contract=contract).order_by("-created_at")


def get_termination_for(contract: Contract, pk: int) -> Termination:
    termination = terminations_of(contract).filter(pk=pk).first()
    if termination is None:
        raise Http404
    return termination


def signatures_of(contract: Contract) -> QuerySet[Signature]:
    return Signature.objects.filter(contract=contract).order_by("signed_at")


def get_machine_for(organisation: Organisation, machine_type: str, serial: str) -> Machine:
    machine = Machine.objects.filter(
        organisation=organisation, machine_type=machine_type.strip().upper(), serial=serial.strip().upper()
    ).first()
    if machine is None:
        raise Http404
    return machine


def coverages_of_machine(machine: Machine) -> QuerySet[CoveredMachine]:
    """Every contract that covers (or covered) this machine, the current ones first."""
    return (
        CoveredMachine.objects.filter(machine=machine)
        .select_related("contract", "machine")
        .order_by("covered_until", "-covered_from")
    )


# --- agents ---------------------------------------------------------------------------------


def _staff_contracts(staff: User) -> QuerySet[Contract]:
    return Contract.objects.filter(jurisdiction.served_by(staff))


def get_contract_for_staff(staff: User, number: str) -> Contract:
    with across_organisations():
        contract = _staff_contracts(staff).filter(number=number).select_related("organisation").first()
    if contract is None:
        raise Http404
    return contract


def awaiting_signature(staff: User) -> list[Contract]:
    with across_organisations():
        return list(
            _staff_contracts(staff)
            .filter(status=ContractStatus.AWAITING_SIGNATURE)
            .select_related("organisation")
            .order_by("start_date")
        )


def awaiting_countersignature(staff: User) -> list[Contract]:
    """Signed by the customer, not yet by the vendor."""
    with across_organisations():
        customer = Signature.objects.filter(contract=OuterRef("pk"), party=SignatureParty.CUSTOMER)
        vendor = Signature.objects.filter(contract=OuterRef("pk"), party=SignatureParty.VENDOR)
        return list(
            _staff_contracts(staff)
            .filter(Exists(customer), ~Exists(vendor))
            .select_related("organisation")
            .order_by("start_date")
        )


def terminations_to_process(staff: User) -> list[Termination]:
    with across_organisations():
        terminations = Termination.objects.filter(
            status__in=[TerminationStatus.PENDING, TerminationStatus.ACCEPTED]
        ).select_related("contract", "organisation", "requested_by")
        terminations = terminations.filter(jurisdiction.served_by(staff))
        return list(terminations.prefetch_related("coverages__machine").order_by("effective_date", "created_at"))


def get_termination_for_staff(staff: User, number: str, pk: int) -> Termination:
    contract = get_contract_for_staff(staff, number)
    with across_organisations():
        termination = (
            Termination.objects.filter(contract=contract, pk=pk)
            .select_related("contract", "organisation", "requested_by")
            .first()
        )
    if termination is None:
        raise Http404
    return termination


def renewals_due(staff: User, today: date) -> list[Contract]:
    with across_organisations():
        return list(
            _staff_contracts(staff)
            .filter(
                status=ContractStatus.ACTIVE,
                renewal_date__gte=today,
                renewal_date__lte=today + rules.RENEWAL_WINDOW,
            )
            .select_related("organisation")
            .order_by("renewal_date")
        )


def is_signed(contract: Contract | None) -> bool:
    """Signed by the customer (and countersigned where that is needed): the contract runs."""
    return contract is not None and contract.status == ContractStatus.ACTIVE
