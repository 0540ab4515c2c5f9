"""Builders for the contracts tests: contracts of each type, machines under contract since a given date."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from guichet.accounts.models import Organisation
from guichet.contracts.models import Contract, ContractKind, ContractStatus, CoveredMachine, ServicePacCode
from guichet.core.tenancy import across_organisations
from guichet.inventory.models import Machine

_serials = iter(range(10_000, 99_999))


def url(name: str, language: str = "en", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def make_contract(
    organisation: Organisation,
    kind: str = ContractKind.HARDWARE_MAINTENANCE,
    status: str = ContractStatus.ACTIVE,
    number: str = "",
    **fields: Any,
) -> Contract:
    with across_organisations():
        return Contract.objects.create(
            organisation=organisation,
            number=number or f"{organisation.country}-T-{next(_serials)}",
            kind=kind,
            status=status,
            title=fields.pop("title", "Maintenance"),
            start_date=fields.pop("start_date", date(2024, 1, 1)),
            currency=fields.pop("currency", "EUR"),
            amount=fields.pop("amount", Decimal("1200.00")),
            **fields,
        )


def make_machine(organisation: Organisation, serial: str = "", machine_type: str = "9009") -> Machine:
    with across_organisations():
        return Machine.objects.create(
            organisation=organisation,
            machine_type=machine_type,
            model="22A",
            serial=serial or f"T{next(_serials)}",
            site_country=organisation.country,
        )


def cover(contract: Contract, since: date, machine: Machine | None = None) -> CoveredMachine:
    with across_organisations():
        return CoveredMachine.objects.create(
            contract=contract,
            machine=machine or make_machine(contract.organisation),
            service_level="onsite_next_day",
            covered_from=since,
        )


def make_code(contract: Contract, body: str) -> ServicePacCode:
    from guichet.contracts.rules import servicepac_code

    with across_organisations():
        return ServicePacCode.objects.create(
            organisation=contract.organisation, contract=contract, code=servicepac_code(body), months=12
        )
