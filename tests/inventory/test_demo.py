"""Every demo machine shows its coverage: under contract (after the contracts demo), warranty, none."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from guichet.accounts.models import Organisation
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.inventory import demo, selectors
from guichet.inventory.models import Machine

pytestmark = pytest.mark.django_db


def test_demo_machines_show_their_coverage() -> None:
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)  # idempotent
    for number, spec in demo.DEMO.items():
        organisation = Organisation.objects.get(customer_number=number)
        with tenant_scope(organisation):
            for machine_type, _model, serial, _description, under in spec["machines"]:
                machine = selectors.get_machine_for(organisation, serial, machine_type)
                assert selectors.coverage_of(machine).state == under, (number, serial)
    with across_organisations():
        laurentide = Machine.objects.get(machine_type="8286", serial="78CA123")
    assert laurentide.organisation.customer_number == "CA-200001" and laurentide.model == "42A"
