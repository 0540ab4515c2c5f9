"""Contracts' answer for the home (core/home.py): contracts to sign (signatories), renewals due, active contracts."""

from __future__ import annotations

from datetime import date

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from guichet.accounts import jurisdiction
from guichet.accounts.models import User
from guichet.core.home import ITEMS_PER_KIND, AttentionItem, Day, Figure, Queue, Viewer
from guichet.core.tenancy import across_organisations

from . import rules
from .models import Contract, ContractStatus, Signature, SignatureParty, Termination, TerminationStatus

APPLICATION = "contracts"


class ContractsHome:
    """Contracts to sign (signatories), renewals due, active contracts."""

    reads = ("contracts",)

    def attention(self, viewer: Viewer) -> list[AttentionItem]:
        if APPLICATION not in viewer.applications:
            return []
        contracts = Contract.objects.filter(organisation=viewer.organisation).only("number", "title", "renewal_date")
        items = []
        if viewer.is_signatory:
            # No rule sets a deadline for the customer's signature: the item has no due date.
            to_sign = contracts.filter(status=ContractStatus.AWAITING_SIGNATURE).order_by("created_at", "pk")
            items += [
                AttentionItem(
                    kind="contract_signature",
                    label=_("Contract to sign"),
                    number=contract.number,
                    title=contract.title,
                    due=None,
                    url=reverse("contracts:sign", args=[contract.number]),
                    application=APPLICATION,
                )
                for contract in to_sign[:ITEMS_PER_KIND]
            ]
        # The renewal window of the rules (contracts.rules.renewal_due), on the organisation's clock.
        renewing = contracts.filter(
            status=ContractStatus.ACTIVE,
            renewal_date__gte=viewer.today,
            renewal_date__lte=viewer.today + rules.RENEWAL_WINDOW,
        ).order_by("renewal_date", "pk")
        items += [
            AttentionItem(
                kind="contract_renewal",
                label=_("Renewal due"),
                number=contract.number,
                title=contract.title,
                due=contract.renewal_date,
                url=reverse("contracts:detail", args=[contract.number]),
                application=APPLICATION,
            )
            for contract in renewing[:ITEMS_PER_KIND]
        ]
        return items

    def figures(self, viewer: Viewer) -> dict[str, list[Figure]]:
        if APPLICATION not in viewer.applications:
            return {}
        count = Contract.objects.filter(organisation=viewer.organisation, status=ContractStatus.ACTIVE).count()
        return {
            APPLICATION: [
                Figure(
                    label=ngettext("active contract", "active contracts", count),
                    value=str(count),
                    url=reverse("contracts:list") + "?status=" + ContractStatus.ACTIVE,
                )
            ]
        }


class ContractsConsole:
    """Contracts waiting on the vendor in the agent's jurisdiction: a countersignature, a termination."""

    reads = ("contracts",)

    def figures(self, staff: User) -> list[Figure]:
        with across_organisations():
            customer = Signature.objects.filter(contract=OuterRef("pk"), party=SignatureParty.CUSTOMER)
            vendor = Signature.objects.filter(contract=OuterRef("pk"), party=SignatureParty.VENDOR)
            countersign = (
                Contract.objects.filter(jurisdiction.served_by(staff)).filter(Exists(customer), ~Exists(vendor)).count()
            )
            terminations = Termination.objects.filter(
                jurisdiction.served_by(staff), status__in=[TerminationStatus.PENDING, TerminationStatus.ACCEPTED]
            ).count()
        url = reverse("contracts_console:home")
        return [
            Figure(label=_("contracts to countersign"), value=str(countersign), url=url),
            Figure(label=_("terminations to process"), value=str(terminations), url=url),
        ]

    def queues(self, staff: User) -> list[Queue]:
        return []

    def days(self, staff: User, today: date) -> list[Day]:
        return []
