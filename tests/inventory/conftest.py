"""Machines and coverage made quickly for the inventory tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from guichet.accounts.models import Organisation
from guichet.core.calendar import today_in
from guichet.core.tenancy import across_organisations
from guichet.inventory.models import Machine


def url(name: str, language: str = "en", query: str = "", **kwargs: Any) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None) + (f"?{query}" if query else "")


def today(country: str = "BE") -> date:
    """Today on the portal's clock for an organisation of `country` (org_a is Belgian), as the code
    under test reads it (calendar.today_in). UTC's date is a day behind Brussels' from 23:00 UTC."""
    return today_in(country)


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def make_machine(organisation: Organisation, serial: str = "78AB001", **fields: Any) -> Machine:
    defaults: dict[str, Any] = {
        "machine_type": "8286",
        "model": "42A",
        "description": "Power server",
        "site_name": "Head office",
        "site_street": "Rue Haute 1",
        "site_postcode": "1000",
        "site_city": "Bruxelles",
        "site_country": organisation.country,
        "contact_name": "Jo Site",
        "contact_phone": "+3225550000",
        "install_date": today() - timedelta(days=900),
        "warranty_end": today() - timedelta(days=10),
    }
    defaults.update(fields)
    with across_organisations():
        return Machine.objects.create(organisation=organisation, serial=serial, **defaults)


def cover(
    machine: Machine,
    number: str = "BE-HW-2024-0001",
    service_level: str = "onsite_next_day",
    status: str = "active",
    covered_from: date | None = None,
    covered_until: date | None = None,
    end_date: date | None = None,
) -> Any:
    from guichet.contracts.models import Contract, CoveredMachine

    with across_organisations():
        contract, _made = Contract.objects.get_or_create(
            number=number,
            defaults={
                "organisation": machine.organisation,
                "kind": "hardware_maintenance",
                "status": status,
                "title": "Hardware maintenance",
                "start_date": today() - timedelta(days=400),
                "end_date": end_date,
                "currency": "EUR",
                "amount": Decimal("1200.00"),
            },
        )
        return CoveredMachine.objects.create(
            contract=contract,
            machine=machine,
            service_level=service_level,
            covered_from=covered_from or today() - timedelta(days=300),
            covered_until=covered_until,
        )


@pytest.fixture
def machine_factory() -> Callable[..., Machine]:
    return make_machine
