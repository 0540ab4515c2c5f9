"""The contracts demo: every type for each demo organisation, the numbers the other demos mention, idempotent."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from guichet.accounts.models import Membership, Organisation
from guichet.contracts import demo, rules
from guichet.contracts.models import Contract, ContractKind, ContractStatus, CoveredMachine, ServicePacCode
from guichet.core.tenancy import across_organisations

pytestmark = pytest.mark.django_db


def test_every_demo_organisation_has_every_type_and_the_known_numbers() -> None:
    call_command("seed_demo", verbosity=0)
    with across_organisations():
        before = Contract.objects.count()
    assert demo.seed() == 0  # idempotent
    with across_organisations():
        assert Contract.objects.count() == before
        for number in demo.ORGANISATIONS:
            organisation = Organisation.objects.get(customer_number=number)
            kinds = set(Contract.objects.filter(organisation=organisation).values_list("kind", flat=True))
            assert kinds == set(ContractKind.values), number
            assert Contract.objects.filter(organisation=organisation, status=ContractStatus.AWAITING_SIGNATURE).exists()
            code = ServicePacCode.objects.get(organisation=organisation)
            assert code.used_at is None and rules.normalise_servicepac_code(code.code) == code.code
        hardware = Contract.objects.get(number="BE-HW-2024-0001")
        assert hardware.organisation.customer_number == "BE-100001"
        laurentide = CoveredMachine.objects.get(machine__machine_type="8286", machine__serial="78CA123")
        assert laurentide.contract.organisation.customer_number == "CA-200001"
        signatories = set(Membership.objects.filter(is_signatory=True).values_list("user__email", flat=True))
    assert set(demo.SIGNATORIES) <= signatories
