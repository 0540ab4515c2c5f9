"""The access matrix: every URL pattern, every kind of visitor, and what each must get.

House rule 1: a URL pattern without an entry here fails the build, so adding a page
means deciding, in this table, who may open it. Another organisation's objects
answer exactly like missing ones: the same 404, the same body.

Each entry lists one outcome per role, in the order of ROLES:

    anonymous  customer_a  customer_b  customer_no_grant  agent_ro  agent_be  administrator

customer_a is the admin of org_a (BE) with every application; customer_b the same
in org_b (RO); customer_no_grant a plain member of org_a with no application;
agent_be serves org_a's country, agent_ro another one. The objects in the URLs
(requests, access requests, organisation, attachments) are org_a's.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from guichet.accounts import services as account_services
from guichet.accounts.models import AccessRequest, ApiToken, Consent, Organisation, User
from guichet.core.models import AuditEvent, OutboxMessage
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.help.models import Article, Feedback
from guichet.support import services as support_services
from guichet.support.models import Attachment, CannedReply, Request

ROLES = ("anonymous", "customer_a", "customer_b", "customer_no_grant", "agent_ro", "agent_be", "administrator")

# A 1x1 PNG: the smallest file the attachment checks accept.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f2b4d50000000049454e44ae426082"
)
ARTICLE = "contact-support"
MISSING_NUMBER = "BE-1999-999999"
MISSING_PK = 987654321


# --- outcomes ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Expect:
    """A status code and, for a redirect, where it leads: a URL name (any language) or a path."""

    status: int
    to: str = ""
    same_kwargs: bool = False  # reverse `to` with the entry's own URL values
    to_suffix: str = ""

    def __str__(self) -> str:
        target = self.to or (f"*{self.to_suffix}" if self.to_suffix else "")
        return f"{self.status} -> {target}" if target else str(self.status)


OK = Expect(200)
CREATED = Expect(201)
NO_CONTENT = Expect(204)
UNAUTHORISED = Expect(401)
FORBIDDEN = Expect(403)
NOT_FOUND = Expect(404)
LOGIN = Expect(302, "account_login")
ADMIN_LOGIN = Expect(302, "admin:login")
REAUTH = Expect(302, "account_reauthenticate")
HOME = Expect(302, "portal:home")
CONSOLE = Expect(302, "console:home")
TO_REQUEST = Expect(303, "support:detail", same_kwargs=True)
TO_QUEUE_ITEM = Expect(303, "support_console:detail", same_kwargs=True)
TO_QUEUE = Expect(303, "support_console:queue")


# --- the world the URLs point into ------------------------------------------------------------


@dataclass
class World:
    org_a: Organisation
    member: User  # customer_no_grant, a member of org_a
    access_request: AccessRequest  # org_a's, pending
    request: Request  # org_a's support request, by customer_a
    attachment: Attachment  # on it, visible to the customer
    request_b: Request  # org_b's support request, by customer_b
    authenticator: Authenticator  # agent_be's TOTP

    def admin_values(self, pattern: Pattern) -> dict[str, Any]:
        """URL values for the admin's pages: a real row of the model in the route."""
        parts = pattern.route.split("/")
        values: dict[str, Any] = {}
        for name in pattern.kwarg_names:
            if name in ("object_id", "id"):
                model = apps.get_model(parts[1], parts[2])
                with across_organisations():
                    row = model._base_manager.order_by("pk").first()
                assert row is not None, f"the builder made no {model.__name__} for {pattern.key}"
                values[name] = row.pk
            elif name == "app_label":
                values[name] = "accounts"
        return values


def _submit(organisation: Organisation, user: User, files: list[tuple[str, bytes]]) -> Request:
    with tenant_scope(organisation):
        return support_services.request_submit(
            actor=user,
            organisation=organisation,
            type="invoices",
            subject="Invoice copy",
            description="Please send the invoice again.",
            details={"invoice_number": "INV-1"},
            contact={"name": user.get_full_name(), "email": user.email},
            files=files,
        )


@pytest.fixture
def world(settings, tmp_path, org_a, org_b, customer_a, customer_b, customer_no_grant, agent_be) -> World:  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path
    with tenant_scope(org_a):
        access_request = account_services.access_request_create(
            actor=customer_no_grant, organisation=org_a, application="orders", request=None
        )
    request = _submit(org_a, customer_a, [("invoice.png", PNG)])
    with tenant_scope(org_a):
        attachment = Attachment.objects.get(request=request)
    # One row of every model the admin shows, so each admin page has something to open.
    Consent.objects.create(user=customer_a, purpose=Consent.Purpose.CONTACT, wording_version="1")
    AuthGroup.objects.create(name="Matrix")
    CannedReply.objects.create(title="Matrix", language="en", body="Hello")
    Feedback.objects.create(article=Article.objects.get(slug=ARTICLE), language="en", helpful=True)
    OutboxMessage.objects.get_or_create(
        message_id="<matrix@guichet.test>", defaults={"to": customer_a.email, "language": "en", "template": "matrix"}
    )
    assert AuditEvent.objects.exists()
    _buytech_world(org_a, customer_a)  # Buy Tech: org_a eligible, one reserved order (see the Buy Tech block)
    _contracts_admin_rows(org_a)  # contracts (issue 5): a Contract and a ServicePacCode for the admin pages
    _billing_world(org_a)  # billing: an invoice and a payment of org_a (see the billing block below)
    _inventory_world(org_a, customer_a)  # inventory: machines and their service actions (inventory block below)
    _orders_world(org_a)  # orders (issue 6): an order with a parcel and a carrier report (orders block below)
    return World(
        org_a=org_a,
        member=customer_no_grant,
        access_request=access_request,
        request=request,
        attachment=attachment,
        request_b=_submit(org_b, customer_b, []),
        authenticator=Authenticator.objects.get(user=agent_be, type=Authenticator.Type.TOTP),
    )


def number(w: World) -> dict[str, Any]:
    return {"number": w.request.number}


def attachment(w: World) -> dict[str, Any]:
    return {"number": w.request.number, "pk": w.attachment.pk}


def organisation(w: World) -> dict[str, Any]:
    return {"customer_number": w.org_a.customer_number}


def access_request(w: World) -> dict[str, Any]:
    return {"pk": w.access_request.pk}


# The URL builders that name one of org_a's objects.
OBJECT_URLS = (number, attachment, organisation, access_request)

NEW_REQUEST = {"type": "general", "subject": "A question", "description": "How do I read my statement?"}


def org_a_on_site(w: World) -> dict[str, Any]:
    return {"content_type_id": ContentType.objects.get_for_model(Organisation).pk, "object_id": w.org_a.pk}


# --- contract signing (contracts/views/signing.py, contracts/api.py): its own contracts of org_a ---
SIGNING_AWAITING = "BE-SIGN-2026-0001"  # awaiting the customer's signature
SIGNING_SIGNED = "BE-SIGN-2026-0002"  # signed by the customer (a stand-in file: access is what is tested here)


def _signing_contract(w: World, number: str, *, signed: bool) -> str:
    from datetime import date
    from decimal import Decimal

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from guichet.contracts.models import Contract, Signature

    with across_organisations():
        contract, created = Contract.objects.get_or_create(
            number=number,
            defaults={
                "organisation": w.org_a,
                "kind": "hardware_maintenance",
                "status": "active" if signed else "awaiting_signature",
                "title": "Matrix",
                "start_date": date(2026, 1, 1),
                "currency": "EUR",
                "amount": Decimal("100.00"),
            },
        )
        if created and signed:
            signature = Signature(
                contract=contract,
                party="customer",
                signer=w.member,
                signer_name="Matrix",
                signer_email=w.member.email,
                organisation_name=w.org_a.name,
                signed_at=timezone.now(),
                document_sha256="0" * 64,
                content_sha256="0" * 64,
            )
            signature.document.save(f"{number}.pdf", ContentFile(b"%PDF-1.7 matrix"), save=False)
            signature.save()
    return number


def awaiting_contract(w: World) -> dict[str, Any]:
    return {"number": _signing_contract(w, SIGNING_AWAITING, signed=False)}


def signed_contract(w: World) -> dict[str, Any]:
    return {"number": _signing_contract(w, SIGNING_SIGNED, signed=True)}


def _sign_body(w: World) -> dict[str, Any]:
    from tests.accounts.factories import PASSWORD

    return {"password": PASSWORD, "accept_terms": True}


TO_CONTRACT_CONSOLE = Expect(303, "contracts_console:detail", same_kwargs=True)


# --- billing (billing/views, billing/api.py): org_a's invoice and a dispute of it ---------------
BILLING_INVOICE = "BE-INV-2026-0901"
BILLING_MISSING = "BE-INV-1999-9999"


def _billing_world(organisation: Organisation) -> None:
    from datetime import date
    from decimal import Decimal

    from guichet.billing import rules as billing_rules
    from guichet.billing import services as billing_services

    with tenant_scope(organisation):
        billing_services.invoice_issue(
            actor=None, organisation=organisation, number=BILLING_INVOICE, issue_date=date.today(),
            lines=[billing_rules.LineIn("Matrix", Decimal(1), Decimal("100.00"))],
        )
        billing_services.payment_record(
            actor=None, organisation=organisation, day=date.today(), amount=Decimal("10.00"), currency="EUR",
            method="bank_transfer", reference="MATRIX-1",
        )


def billing_invoice(w: World) -> dict[str, Any]:
    return {"number": BILLING_INVOICE}


def _billing_missing(w: World) -> dict[str, Any]:
    return {"number": BILLING_MISSING}


def billing_dispute(w: World) -> dict[str, Any]:
    from decimal import Decimal

    from guichet.billing import services as billing_services
    from guichet.billing.models import Dispute, Invoice

    with tenant_scope(w.org_a):
        dispute = Dispute.objects.filter(organisation=w.org_a, state="open").first()
        if dispute is None:
            invoice = Invoice.objects.get(number=BILLING_INVOICE)
            dispute = billing_services.dispute_open(actor=w.member, invoice=invoice, amount=Decimal("5"), reason="M")
    return {"pk": dispute.pk}


def billing_payment(w: World) -> dict[str, Any]:
    return {"reference": "MATRIX-1"}


TO_BILLING_CONSOLE = Expect(303, "billing_console:home")
BILLING_ALLOCATE = {"invoice_number": BILLING_INVOICE, "amount": "5.00"}
BILLING_DISPUTE = {"amount": "10.00", "reason": "Matrix."}


# --- inventory (issue 7): org_a's machines, a repair, a transfer, a relocation, a site change ---
INVENTORY_SERIAL = "78MX001"  # carries the service actions below
INVENTORY_FREE_SERIAL = "78MX002"  # nothing pending: a transfer may be reported on it
INVENTORY_MISSING_SERIAL = "NOSUCH99"
INVENTORY_MISSING_NUMBER = "SR-BE-1999-999999"


def _inventory_world(organisation: Organisation, customer: User) -> None:
    from datetime import date, timedelta

    from guichet.inventory import services as inventory_services
    from guichet.inventory.models import Machine

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
            to_country="RO" if organisation.country != "RO" else "BE", to_address="There",
            desired_date=date.today() + timedelta(days=60),
        )  # fmt: skip
        inventory_services.machine_update_site(actor=customer, machine=machine, changes={"site_city": "Namur"})


def _inventory_number(w: World, model_name: str) -> str:
    from django.apps import apps as django_apps

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
    from guichet.inventory.models import SiteChange

    with across_organisations():
        return {"pk": SiteChange.objects.get(organisation=w.org_a).pk}


def _relocation_body(w: World) -> dict[str, Any]:
    from datetime import date, timedelta

    return {
        "from_country": "BE", "from_address": "Here", "to_country": "RO", "to_address": "There",
        "desired_date": (date.today() + timedelta(days=60)).isoformat(),
    }  # fmt: skip


def _transfer_body(w: World) -> dict[str, Any]:
    from datetime import date

    return {"kind": "lease_return", "leaves_on": date.today().isoformat(), "reason": "Matrix"}


def import_job(w: World) -> dict[str, Any]:
    from django.core.files.base import ContentFile

    from guichet.inventory.models import ImportJob

    job = ImportJob.objects.filter(organisation=w.org_a).first()
    if job is None:
        agent = User.objects.filter(kind="agent").first()
        job = ImportJob(organisation=w.org_a, created_by=agent, original_name="m.csv")
        job.file.save("matrix.csv", ContentFile(b"machine_type,model,serial,site_country\n"), save=False)
        job.save()
    return {"pk": job.pk}


REPAIR_BODY = {"kind": "hardware", "description": "Matrix", "accept_billing": True}
TO_INVENTORY_CONSOLE = Expect(303, "inventory_console:home")
TO_RELOCATION_CONSOLE = Expect(303, "inventory_console:relocation", same_kwargs=True)
MACHINE_PAGE = (LOGIN, Expect(200), NOT_FOUND, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN)
INVENTORY_CONSOLE_OBJECT = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, NOT_FOUND, Expect(200), Expect(200))
# --- end inventory ---------------------------------------------------------------------------


# --- orders (issue 6): one order of org_a with one parcel, made on first use ------------------
MATRIX_ORDER = "BE-ORD-2026-0042"
MATRIX_PARCEL = "CD123456785BE"


def _orders_world(organisation: Organisation) -> Any:
    from django.utils import timezone

    from guichet.orders import services as order_services
    from guichet.orders.models import Order

    with tenant_scope(organisation):
        order = Order.objects.filter(number=MATRIX_ORDER).first()
        if order is None:
            order = order_services.order_create(
                actor=None,
                organisation=organisation,
                number=MATRIX_ORDER,
                lines=[order_services.LineIn("P-1", "Part", 3)],
            )
            parcel = order_services.shipment_add(
                actor=None,
                order=order,
                carrier="bpost",
                tracking_number=MATRIX_PARCEL,
                quantities={order.lines.get().pk: 1},
            )
            # A report that changes nothing (the parcel is being prepared already): a TrackingEvent row.
            order_services.shipment_record_event(
                actor=None, shipment=parcel, event_id="matrix:1", status="label_created", occurred_at=timezone.now()
            )
        return order


def _matrix_order(w: World) -> Any:
    return _orders_world(w.org_a)


def order_number(w: World) -> dict[str, Any]:
    return {"number": _matrix_order(w).number}


def new_parcel(w: World) -> dict[str, Any]:
    with tenant_scope(w.org_a):
        line = _matrix_order(w).lines.get()
    return {"carrier": "dhl_express", "tracking_number": "1234567890", f"line_{line.pk}": "1"}


PARCEL_STATUS = {"shipment": MATRIX_PARCEL, "status": "in_transit"}
TO_ORDER_CONSOLE = Expect(303, "orders_console:detail", same_kwargs=True)
OBJECT_URLS = (*OBJECT_URLS, order_number)
# --- end orders ------------------------------------------------------------------------------


# --- contracts (issue 5): one hardware-maintenance contract of org_a with a pending termination ---
MATRIX_CONTRACT = "BE-HW-MATRIX-01"


def _contracts_admin_rows(org: Organisation) -> None:
    from guichet.contracts.models import ServicePacCode

    contract = _matrix_contract(org)
    with across_organisations():
        ServicePacCode.objects.get_or_create(
            code="SP-MATR-2345-X", defaults={"organisation": org, "contract": contract}
        )


def _matrix_contract(org: Organisation) -> Any:
    from datetime import date
    from decimal import Decimal

    from django.core.files.base import ContentFile

    from guichet.contracts.models import Contract, CoveredMachine, Termination
    from guichet.inventory.models import Machine

    with across_organisations():
        contract = Contract.objects.filter(number=MATRIX_CONTRACT).first()
        if contract is not None:
            return contract
        contract = Contract.objects.create(
            organisation=org,
            number=MATRIX_CONTRACT,
            kind="hardware_maintenance",
            status="active",
            title="Matrix",
            start_date=date(2020, 1, 1),
            currency="EUR",
            amount=Decimal("100.00"),
        )
        machine = Machine.objects.create(
            organisation=org, machine_type="9009", model="22A", serial="78MATRIX1", site_country="BE"
        )
        coverage = CoveredMachine.objects.create(
            contract=contract, machine=machine, service_level="onsite_next_day", covered_from=date(2020, 1, 1)
        )
        user = org.memberships.first().user
        termination = Termination.objects.create(
            organisation=org,
            contract=contract,
            kind="hardware_customer",
            notice_date=date(2026, 1, 1),
            effective_date=date(2026, 2, 1),
            requested_by=user,
            contact_name="Matrix",
            contact_email=user.email,
        )
        termination.coverages.set([coverage])
        termination.notice_document.save("matrix-notice.pdf", ContentFile(b"%PDF-1.7 matrix"))
    return contract


def contract_number(w: World) -> dict[str, Any]:
    return {"number": _matrix_contract(w.org_a).number}


def contract_termination(w: World) -> dict[str, Any]:
    contract = _matrix_contract(w.org_a)
    with across_organisations():
        return {"number": contract.number, "pk": contract.terminations.get().pk}


def _missing_termination(w: World) -> dict[str, Any]:
    return {"number": contract_number(w)["number"], "pk": MISSING_PK}


def api_contract_termination(w: World) -> dict[str, Any]:
    values = contract_termination(w)
    return {"number": values["number"], "termination_id": values["pk"]}


def _api_missing_termination(w: World) -> dict[str, Any]:
    return {"number": contract_number(w)["number"], "termination_id": MISSING_PK}


TO_CONTRACTS_CONSOLE_ITEM = Expect(303, "contracts_console:detail", same_kwargs=True)
TO_MATRIX_CONTRACT = Expect(303, to_suffix=f"/contracts/{MATRIX_CONTRACT}/")
TO_MATRIX_CONTRACT_CONSOLE = Expect(303, to_suffix=f"/console/contracts/{MATRIX_CONTRACT}/")
OBJECT_URLS = (*OBJECT_URLS, contract_number, contract_termination, api_contract_termination)
# --- end contracts -----------------------------------------------------------------------------


# --- Buy Tech (buytech/): org_a is an eligible nonprofit with one reserved order; org_b (RO) is not ---
BT_SKU = "BT-PH-A54-N"


def _buytech_world(organisation: Organisation, signer: User) -> None:
    from guichet.buytech import demo as buytech_demo
    from guichet.buytech import services as buytech_services

    buytech_demo._products()
    Organisation.objects.filter(pk=organisation.pk).update(is_nonprofit=True, partner_id="SW-BE-MATRIX")
    organisation.refresh_from_db()
    buytech_services.eligibility_set(
        actor=None, organisation=organisation, status="eligible", source="partner_import"
    )
    with tenant_scope(organisation):
        buytech_services.attestation_sign(actor=signer, organisation=organisation)
        buytech_services.order_reserve(actor=signer, organisation=organisation, items={BT_SKU: 2})


def bt_order(w: World) -> dict[str, Any]:
    from guichet.buytech.models import BuyTechOrder

    with across_organisations():
        return {"number": BuyTechOrder.objects.filter(organisation=w.org_a).values_list("number", flat=True)[0]}


BT_STAFF = (LOGIN, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, OK)  # Belgian agents and administrators
TO_BT_ORDER = Expect(303, "buytech:order", same_kwargs=True)
TO_BT_CONSOLE_ORDER = Expect(303, "buytech_console:order", same_kwargs=True)
TO_BT_ELIGIBILITY = Expect(303, "buytech_console:eligibility")
BT_CONFLICT = Expect(409)
BT_INVALID = Expect(400)
BT_CONSOLE_ACTIONS = {  # name -> (form data, what agent_be gets on org_a's reserved order)
    "confirm": ({}, TO_BT_CONSOLE_ORDER),
    "payment": ({"amount": "1.00"}, TO_BT_CONSOLE_ORDER),
    "ship": ({}, BT_INVALID),
    "delivered": ({"shipment": "none", "delivered_on": "2026-03-02"}, TO_BT_CONSOLE_ORDER),
    "substitute": ({}, BT_INVALID),
    "cancel": ({"reason": "Matrix."}, TO_BT_CONSOLE_ORDER),
    "return_decide": ({"return": "none", "decision": "accept", "text": "Matrix."}, TO_BT_CONSOLE_ORDER),
    "return_received": ({"return": "none"}, TO_BT_CONSOLE_ORDER),
    "claim_resolve": ({"claim": "none"}, TO_BT_CONSOLE_ORDER),
}
OBJECT_URLS = (*OBJECT_URLS, bt_order)
# --- end Buy Tech ------------------------------------------------------------------------------


# --- the matrix -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    outcomes: dict[str, Expect]
    method: str = "get"
    kwargs: Callable[[World], dict[str, Any]] | None = None
    url: str = ""  # for a pattern reverse() cannot build (no name)
    query: dict[str, str] | None = None
    data: Callable[[World], dict[str, Any]] | dict[str, Any] | None = None
    api: bool = False  # Ninja: bearer token, JSON body


def row(*outcomes: Expect, **options: Any) -> Entry:
    assert len(outcomes) == len(ROLES), outcomes
    return Entry(outcomes=dict(zip(ROLES, outcomes, strict=True)), **options)


F, NF = FORBIDDEN, NOT_FOUND
EVERYONE = (OK,) * 7
SIGNED_IN = (LOGIN, *(OK,) * 6)
CUSTOMER_PAGE = (LOGIN, OK, OK, OK, F, F, F)  # staff have no organisation
APPLICATION_PAGE = (LOGIN, OK, OK, F, F, F, F)  # and a grant is needed
STAFF_PAGE = (LOGIN, F, F, F, OK, OK, OK)
ADMIN_ONLY = (*(ADMIN_LOGIN,) * 6, OK)
GOES_HOME = (HOME, HOME, HOME, CONSOLE, CONSOLE, CONSOLE)  # signed in: where login would send them

# fmt: off
MATRIX: dict[str, Entry] = {
    # portal                       anonymous  cust_a     cust_b     no_grant   agent_ro   agent_be   administrator
    "portal:home":             row(OK,        OK,        OK,        OK,        CONSOLE,   CONSOLE,   CONSOLE),
    "portal:access":           row(*CUSTOMER_PAGE),
    "portal:team":             row(LOGIN,     OK,        OK,        F,         F,         F,         F),
    "portal:profile":          row(*SIGNED_IN),
    # an application with its own pages forwards to them (here My invoices, billing:invoices)
    "portal:application":      row(LOGIN,     Expect(302, "billing:invoices"), Expect(302, "billing:invoices"),
                                   F,         F,         F,         F,  kwargs=lambda w: {"application": "invoices"}),
    "portal:switch_organisation": row(
                                   LOGIN,     Expect(303, "portal:home"), Expect(303, "portal:home"),
                                   Expect(303, "portal:home"), F, F, F,
                                   method="post", data=lambda w: {"organisation": w.org_a.pk}),
    # console (vendor staff)
    "console:home":            row(*STAFF_PAGE),
    "console:organisations":   row(*STAFF_PAGE),
    "console:organisation":    row(LOGIN,     F,         F,         F,         NF,        OK,        OK,
                                   kwargs=organisation),
    "console:decide":          row(LOGIN,     F,         F,         F,         NF,        CONSOLE,   CONSOLE,
                                   method="post", kwargs=access_request,
                                   data={"decision": "refuse", "reason": "Access matrix."}),
    "help_console:insights":   row(LOGIN,     F,         F,         F,         F,         F,         OK),
    # help centre: public
    "help:home":               row(*EVERYONE),
    "help:search":             row(*EVERYONE, query={"q": "password"}),
    "help:article":            row(*EVERYONE, kwargs=lambda w: {"slug": ARTICLE}),
    "help:feedback":           row(*EVERYONE, kwargs=lambda w: {"slug": ARTICLE}, method="post",
                                   data={"helpful": "yes"}),
    "help:contact":            row(*EVERYONE),
    "help:check":              row(*EVERYONE, query={"q": "password"}),
    "help:suggest":            row(*EVERYONE, query={"q": "password"}),
    "help:suggestion":         row(*(Expect(302, "help:article", same_kwargs=True),) * 7,
                                   kwargs=lambda w: {"slug": ARTICLE}),
    "set_language":            row(*(Expect(302, "help:home"),) * 7, method="post",
                                   data={"language": "fr", "next": "/en/help/"}),
    # support requests: customers with the "requests" application, their organisation's only.
    # issue 14 (item 5): a member without the grant may ask a question and follow their own questions,
    # so the list and the form open for them, and customer_a's request is a 404 to them.
    "support:list":            row(*CUSTOMER_PAGE),
    "support:request_new":     row(*CUSTOMER_PAGE),
    "support:detail":          row(LOGIN,     OK,        NF,        NF,        F,         F,         F,
                                   kwargs=number),
    "support:reply":           row(LOGIN,     TO_REQUEST, NF,       NF,        F,         F,         F,
                                   kwargs=number, method="post", data={"body": "Any news?"}),
    "support:close":           row(LOGIN,     TO_REQUEST, NF,       NF,        F,         F,         F,
                                   kwargs=number, method="post"),
    "support:reopen":          row(LOGIN,     TO_REQUEST, NF,       NF,        F,         F,         F,
                                   kwargs=number, method="post", data={"reason": "Not solved."}),
    "support:rate":            row(LOGIN,     TO_REQUEST, NF,       NF,        F,         F,         F,
                                   kwargs=number, method="post", data={"rating": "5"}),
    "support:attachment":      row(LOGIN,     OK,        NF,        NF,        F,         F,         F,
                                   kwargs=attachment),
    # support queue: agents of the organisation's country, administrators
    "support_console:queue":   row(*STAFF_PAGE),
    "support_console:satisfaction": row(*STAFF_PAGE),
    "support_console:bulk":    row(LOGIN,     F,         F,         F,         TO_QUEUE,  TO_QUEUE,  TO_QUEUE,
                                   method="post", data=lambda w: {"numbers": w.request.number, "action": "assign_me"}),
    "support_console:detail":  row(LOGIN,     F,         F,         F,         NF,        OK,        OK,
                                   kwargs=number),
    "support_console:assign":  row(LOGIN,     F,         F,         F,         NF,        TO_QUEUE_ITEM, TO_QUEUE_ITEM,
                                   kwargs=number, method="post", data={"assignee": "me"}),
    "support_console:reply":   row(LOGIN,     F,         F,         F,         NF,        TO_QUEUE_ITEM, TO_QUEUE_ITEM,
                                   kwargs=number, method="post", data={"body": "We are on it."}),
    "support_console:status":  row(LOGIN,     F,         F,         F,         NF,        TO_QUEUE_ITEM, TO_QUEUE_ITEM,
                                   kwargs=number, method="post", data={"status": "in_progress"}),
    "support_console:attachment": row(LOGIN,  F,         F,         F,         NF,        OK,        OK,
                                   kwargs=attachment),
    # HTTP API (bearer token)
    "api-1:api-root":          row(*(NOT_FOUND,) * 7, api=True),
    "api-1:openapi-json":      row(*EVERYONE, api=True),
    "api-1:openapi-view":      row(*EVERYONE, api=True),
    "api-1:me":                row(UNAUTHORISED, *(OK,) * 6, api=True),
    "api-1:issue_token":       row(*(UNAUTHORISED,) * 7, api=True, method="post",
                                   data={"email": "nobody@example.com", "password": "wrong"}),
    "api-1:search":            row(*EVERYONE, api=True, query={"q": "password"}),
    "api-1:suggestions":       row(*EVERYONE, api=True, query={"q": "password"}),
    "api-1:article":           row(*EVERYONE, api=True, kwargs=lambda w: {"slug": ARTICLE}),
    "api-1:contact":           row(*EVERYONE, api=True, query={"country": "BE"}),
    "api-1:suggestion_opened": row(*(NO_CONTENT,) * 7, api=True, method="post",
                                   kwargs=lambda w: {"slug": ARTICLE}, data={"q": "password"}),
    # requests API: like the pages, customers with the grant, their organisation's requests only;
    # issue 14 (item 5): without the grant, one's own general questions (NEW_REQUEST is one)
    "api-1:list_requests":     row(UNAUTHORISED, OK,     OK,        OK,        F,         F,         F,  api=True),
    "api-1:request_types":     row(UNAUTHORISED, OK,     OK,        F,         F,         F,         F,  api=True),
    "api-1:create_request":    row(UNAUTHORISED, CREATED, CREATED,  CREATED,   F,         F,         F,  api=True,
                                   method="post", data=NEW_REQUEST),
    "api-1:get_request":       row(UNAUTHORISED, OK,     NF,        NF,        F,         F,         F,  api=True,
                                   kwargs=number),
    "api-1:reply":             row(UNAUTHORISED, CREATED, NF,       NF,        F,         F,         F,  api=True,
                                   kwargs=number, method="post", data={"body": "Any news?"}),
    # contract signing: customers of the organisation (signing itself needs the signatory role, which
    # customer_a lacks: the page explains it); countersigning by agents of the country (the awaiting
    # contract is not signed yet, so the console answers with a message and goes back to the contract)
    "contracts:sign":          row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=awaiting_contract),
    "contracts:signed_document": row(LOGIN,   OK,        NF,        F,         F,         F,         F,
                                   kwargs=signed_contract),
    "contracts_console:countersign": row(LOGIN, F,       F,         F,         NF,        TO_CONTRACT_CONSOLE,
                                   TO_CONTRACT_CONSOLE, method="post", kwargs=awaiting_contract),
    "contracts_console:signed_document": row(LOGIN, F,   F,         F,         NF,        OK,        OK,
                                   kwargs=signed_contract),
    "api-1:sign_contract":     row(UNAUTHORISED, F,      NF,        F,         F,         F,         F,  api=True,
                                   method="post", kwargs=awaiting_contract, data=_sign_body),
    # billing: "invoices" and "statements" grants, org_a's invoices only; the console for agents of the country
    "billing:invoices":        row(*APPLICATION_PAGE),
    "billing:statement":       row(*APPLICATION_PAGE),
    "billing:statement_csv":   row(*APPLICATION_PAGE),
    "billing:statement_pdf":   row(*APPLICATION_PAGE),
    "billing:options":         row(*APPLICATION_PAGE),
    "billing:invoice":         row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=billing_invoice),
    "billing:invoice_pdf":     row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=billing_invoice),
    "billing:dispute":         row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=billing_invoice),
    "billing_console:home":    row(*STAFF_PAGE),
    "billing_console:payment_new": row(*STAFF_PAGE),
    "billing_console:payment_import": row(*STAFF_PAGE),
    "billing_console:resolve": row(LOGIN,     F,         F,         F,         NF,        TO_BILLING_CONSOLE,
                                   TO_BILLING_CONSOLE, method="post", kwargs=billing_dispute,
                                   data={"decision": "reject", "note": "Matrix."}),
    "billing_console:allocate": row(LOGIN,    F,         F,         F,         NF,        TO_BILLING_CONSOLE,
                                   TO_BILLING_CONSOLE, method="post", kwargs=billing_payment, data=BILLING_ALLOCATE),
    "api-1:list_invoices":     row(UNAUTHORISED, OK,     OK,        F,         F,         F,         F,  api=True),
    "api-1:get_statement":     row(UNAUTHORISED, OK,     OK,        F,         F,         F,         F,  api=True),
    "api-1:get_invoice":       row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True,
                                   kwargs=billing_invoice),
    "api-1:invoice_pdf":       row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True,
                                   kwargs=billing_invoice),
    "api-1:dispute_invoice":   row(UNAUTHORISED, CREATED, NF,       F,         F,         F,         F,  api=True,
                                   method="post", kwargs=billing_invoice, data=BILLING_DISPUTE),
    "admin:billing_invoice_add": row(*ADMIN_ONLY[:6], F),  # billing documents change through services only
    "admin:billing_invoice_delete": row(*ADMIN_ONLY[:6], F),
    "admin:billing_payment_add": row(*ADMIN_ONLY[:6], F),
    "admin:billing_payment_delete": row(*ADMIN_ONLY[:6], F),
    # contracts (issue 5): customers with the "contracts" application; agents of org_a's country
    "contracts:list":          row(*APPLICATION_PAGE),
    "contracts:servicepac":    row(*APPLICATION_PAGE),
    "contracts:machine_lookup": row(*APPLICATION_PAGE),
    "contracts:detail":        row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=contract_number),
    "contracts:copy":          row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=contract_number),
    "contracts:machines_csv":  row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=contract_number),
    "contracts:machines_pdf":  row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=contract_number),
    "contracts:terminate":     row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=contract_number),
    "contracts:notice":        row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=contract_termination),
    "contracts:withdraw":      row(LOGIN,     TO_MATRIX_CONTRACT, NF, F,         F,         F,         F,
                                   kwargs=contract_termination, method="post"),
    # issue 14 (item 6): confirming a licence's destruction (refused with a message before it is effective)
    "contracts:destruction":   row(LOGIN,     TO_MATRIX_CONTRACT, NF, F,         F,         F,         F,
                                   kwargs=contract_termination, method="post", data={"confirm": "on"}),
    "contracts_console:home":  row(*STAFF_PAGE),
    "contracts_console:detail": row(LOGIN,    F,         F,         F,         NF,        OK,        OK,
                                   kwargs=contract_number),
    "contracts_console:terminate": row(LOGIN, F,         F,         F,         NF,        TO_CONTRACTS_CONSOLE_ITEM,
                                   TO_CONTRACTS_CONSOLE_ITEM, kwargs=contract_number, method="post",
                                   data={"reason": "Matrix"}),
    "contracts_console:decide": row(LOGIN,    F,         F,         F,         NF,        TO_MATRIX_CONTRACT_CONSOLE,
                                   TO_MATRIX_CONTRACT_CONSOLE, kwargs=contract_termination, method="post",
                                   data={"decision": "accept"}),
    "contracts_console:notice": row(LOGIN,    F,         F,         F,         NF,        OK,        OK,
                                   kwargs=contract_termination),
    "api-1:list_contracts":    row(UNAUTHORISED, OK,     OK,        F,         F,         F,         F,  api=True),
    "api-1:get_contract":      row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True,
                                   kwargs=contract_number),
    "api-1:contract_pdf":      row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True,
                                   kwargs=contract_number),
    # an empty choice of machines: past the access checks, refused by the rules (400)
    "api-1:create_termination": row(UNAUTHORISED, Expect(400), NF,  F,         F,         F,         F,  api=True,
                                   kwargs=contract_number, method="post", data={"machines": []}),
    "api-1:withdraw_termination": row(UNAUTHORISED, OK,  NF,        F,         F,         F,         F,  api=True,
                                   kwargs=api_contract_termination, method="post"),
    "api-1:activate_servicepac": row(UNAUTHORISED, Expect(400), Expect(400), F, F,        F,         F,  api=True,
                                   method="post", data={"code": "SP-MATR-2345-X", "machine_type": "9009",
                                                        "serial": "78MATRIX1"}),
    # orders (issue 6): customers with the "orders" application; agents of org_a's country
    "orders:list":             row(*APPLICATION_PAGE),
    "orders:detail":           row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=order_number),
    "orders_console:find":     row(*STAFF_PAGE),
    "orders_console:detail":   row(LOGIN,     F,         F,         F,         NF,        OK,        OK,
                                   kwargs=order_number),
    "orders_console:add_shipment": row(LOGIN, F,         F,         F,         NF,        TO_ORDER_CONSOLE,
                                   TO_ORDER_CONSOLE, kwargs=order_number, method="post", data=new_parcel),
    "orders_console:status":   row(LOGIN,     F,         F,         F,         NF,        TO_ORDER_CONSOLE,
                                   TO_ORDER_CONSOLE, kwargs=order_number, method="post", data=PARCEL_STATUS),
    "api-1:list_orders":       row(UNAUTHORISED, OK,     OK,        F,         F,         F,         F,  api=True),
    "api-1:get_order":         row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True,
                                   kwargs=order_number),
    # the carriers' webhook: an HMAC signature, not a user; none here, so none gets in
    "api-1:shipment_event":    row(*(UNAUTHORISED,) * 7, api=True, method="post",
                                   data={"event_id": "e", "carrier": "bpost", "tracking_number": MATRIX_PARCEL,
                                         "status": "delivered", "occurred_at": "2026-03-02T10:00:00Z"}),
    # Buy Tech: customers with the "buytech" grant; ordering only once eligible; orders are org_a's;
    # the console for Belgian agents. issue 14 (item 2): Buy Tech is Belgian only, so org_b (Romania)
    # gets a 404 everywhere, like a page that does not exist, even with a grant row.
    "buytech:home":            row(LOGIN,     OK,        NF,        F,         F,         F,         F),
    "buytech:attest":          row(LOGIN,     Expect(303, "buytech:home"), NF,
                                   F,         F,         F,         F,  method="post", data={"confirm": "on"}),
    "buytech:catalogue":       row(LOGIN,     OK,        NF,        F,         F,         F,         F),
    "buytech:cart":            row(LOGIN,     OK,        NF,        F,         F,         F,         F),
    "buytech:checkout":        row(LOGIN,     Expect(303, "buytech:cart"), NF, F,  F,         F,         F,
                                   method="post"),
    "buytech:order":           row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=bt_order),
    "buytech:cancel":          row(LOGIN,     TO_BT_ORDER, NF,      F,         F,         F,         F,
                                   kwargs=bt_order, method="post", data={"positions": "1"}),
    "buytech:return":          row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=bt_order),
    "buytech:claim":           row(LOGIN,     OK,        NF,        F,         F,         F,         F,
                                   kwargs=bt_order),
    "buytech_console:home":    row(*BT_STAFF),
    "buytech_console:eligibility": row(*BT_STAFF),
    "buytech_console:import":  row(*BT_STAFF),
    "buytech_console:set_eligibility": row(LOGIN, F,     F,         F,         F,         TO_BT_ELIGIBILITY,
                                   TO_BT_ELIGIBILITY, method="post", data={"status": "eligible"},
                                   kwargs=lambda w: {"customer_number": w.org_a.customer_number}),
    "buytech_console:order":   row(*BT_STAFF, kwargs=bt_order),
    **{
        f"buytech_console:{name}": row(LOGIN, F, F, F, F, expected, expected, kwargs=bt_order, method="post",
                                       data=data)
        for name, (data, expected) in BT_CONSOLE_ACTIONS.items()
    },
    "api-1:buytech_eligibility": row(UNAUTHORISED, OK,   NF,        F,         F,         F,         F,  api=True),
    "api-1:buytech_sign_attestation": row(UNAUTHORISED, CREATED, NF, F,        F,         F,         F,  api=True,
                                   method="post", data={"confirm": True}),
    "api-1:buytech_products":  row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True),
    "api-1:buytech_create_order": row(UNAUTHORISED, CREATED, NF,    F,         F,         F,         F,  api=True,
                                   method="post", data={"items": [{"sku": BT_SKU, "quantity": 1}]}),
    "api-1:buytech_orders":    row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True),
    "api-1:buytech_order":     row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True,
                                   kwargs=bt_order),
    "api-1:buytech_cancel":    row(UNAUTHORISED, OK,     NF,        F,         F,         F,         F,  api=True,
                                   kwargs=bt_order, method="post", data={}),
    "api-1:buytech_return":    row(UNAUTHORISED, BT_CONFLICT, NF,   F,         F,         F,         F,  api=True,
                                   kwargs=bt_order, method="post", data={"positions": [1], "reason": "Matrix."}),
    "api-1:buytech_warranty_claim": row(UNAUTHORISED, BT_CONFLICT, NF, F,      F,         F,         F,  api=True,
                                   kwargs=bt_order, method="post", data={"position": 1, "description": "Matrix."}),
    # Buy Tech orders, eligibility and attestations change through services only (the attestation is evidence)
    "admin:buytech_buytechorder_add": row(*ADMIN_ONLY[:6], F),
    "admin:buytech_buytechorder_delete": row(*ADMIN_ONLY[:6], F),
    "admin:buytech_eligibility_add": row(*ADMIN_ONLY[:6], F),
    "admin:buytech_eligibility_delete": row(*ADMIN_ONLY[:6], F),
    "admin:buytech_attestation_add": row(*ADMIN_ONLY[:6], F),
    "admin:buytech_attestation_delete": row(*ADMIN_ONLY[:6], F),
    # allauth pages that do not fit a group below
    "account_logout":          row(Expect(302, "/"), *(OK,) * 6),
    "account_set_password":    row(LOGIN, *(Expect(302, "account_change_password"),) * 6),
    "mfa_reauthenticate":      row(LOGIN,     REAUTH,    REAUTH,    REAUTH,    OK,        OK,        OK),
    "mfa_deactivate_totp":     row(LOGIN,     NF,        NF,        NF,        REAUTH,    REAUTH,    REAUTH),
    # Django admin: administrators only; its own sign-in page only forwards (allauth signs in, with MFA)
    "admin:login":             row(LOGIN,     F,         F,         F,         F,         F,
                                   Expect(302, "admin:index")),
    "admin:logout":            row(*(Expect(302, "admin:index"),) * 6, OK, method="post"),
    "admin:core_auditevent_add": row(*ADMIN_ONLY[:6], F),  # the audit trail is evidence: never edited
    "admin:core_auditevent_delete": row(*ADMIN_ONLY[:6], F),
    # Requests change only through the console, where the workflow rules and e-mails apply.
    "admin:support_request_add": row(*ADMIN_ONLY[:6], F),
    "admin:support_request_delete": row(*ADMIN_ONLY[:6], F),
    # Orders change through the console and the carriers' webhook (issue 6); the admin only looks.
    "admin:orders_order_add": row(*ADMIN_ONLY[:6], F),
    "admin:orders_order_delete": row(*ADMIN_ONLY[:6], F),
    "admin:orders_trackingevent_add": row(*ADMIN_ONLY[:6], F),
    "admin:orders_trackingevent_delete": row(*ADMIN_ONLY[:6], F),
    # inventory (issue 7): customers with the "inventory" grant, their organisation's machines only
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
    "inventory_console:repair_dispatch": row(LOGIN, F, F, F, NF, TO_INVENTORY_CONSOLE, TO_INVENTORY_CONSOLE,
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
    "api-1:create_transfer":   row(UNAUTHORISED, CREATED, NF,       F,         F,         F,         F,  api=True,
                                   kwargs=free_machine_serial, method="post", data=_transfer_body),
    "api-1:create_relocation": row(UNAUTHORISED, CREATED, NF,       F,         F,         F,         F,  api=True,
                                   kwargs=machine_serial, method="post", data=_relocation_body),
    # inventory admin: read-only (changes go through the portal and console services)
    **{f"admin:inventory_{model}_{action}": row(*ADMIN_ONLY[:6], F)
       for model in ("machine", "repairrequest", "transfer", "relocation", "sitechange")
       for action in ("add", "delete")},
    "admin:view_on_site":      row(*ADMIN_ONLY[:6], NF, kwargs=org_a_on_site),  # no model has a public page
    "admin:autocomplete":      row(*ADMIN_ONLY,
                                   query={"app_label": "accounts", "model_name": "membership", "field_name": "user"}),
    "admin/(?P<url>.*)$":      row(*ADMIN_ONLY[:6], NF, url="/admin/no-such-page/"),
}
# fmt: on


@dataclass(frozen=True)
class Group:
    """Many patterns, one rule: an explicit set of names, or a prefix."""

    label: str
    entry: Entry
    names: frozenset[str] = frozenset()
    prefix: str = ""

    def covers(self, key: str) -> bool:
        return key in self.names or (bool(self.prefix) and key.startswith(self.prefix))


GROUPS = (
    Group(
        "allauth: public pages",
        row(*EVERYONE),
        names=frozenset(
            {
                "account_email_verification_sent",
                "account_inactive",
                "account_reset_password",
                "account_reset_password_done",
                "account_reset_password_from_key_done",
            }
        ),
    ),
    Group(
        "allauth: public pages with a (here bogus) key",
        row(*EVERYONE, kwargs=lambda w: {"key": "not-a-real-key", "uidb36": "1"}),
        names=frozenset({"account_confirm_email", "account_reset_password_from_key"}),
    ),
    Group(
        "allauth: signed-out pages",
        row(OK, *GOES_HOME),
        names=frozenset({"account_login", "account_signup"}),
    ),
    Group(
        "allauth: steps of a sign-in in progress",
        row(LOGIN, *GOES_HOME),
        names=frozenset({"account_confirm_login_code", "mfa_authenticate", "mfa_login_webauthn"}),
    ),
    Group(
        "allauth: signed-in pages",
        row(*SIGNED_IN),
        names=frozenset(
            {"account_change_password", "account_email", "account_reauthenticate", "mfa_index", "mfa_list_webauthn"}
        ),
    ),
    Group(
        "allauth: pages that first ask for the password again",
        row(LOGIN, *(REAUTH,) * 6),
        names=frozenset(
            {"mfa_activate_totp", "mfa_add_webauthn", "mfa_generate_recovery_codes", "mfa_reauthenticate_webauthn"}
        ),
    ),
    Group(
        "allauth: one's own passkey, after the password again",
        row(LOGIN, *(REAUTH,) * 6, kwargs=lambda w: {"pk": w.authenticator.pk}),
        names=frozenset({"mfa_edit_webauthn", "mfa_remove_webauthn"}),
    ),
    Group(
        "allauth: recovery codes (none were generated)",
        row(LOGIN, *(NOT_FOUND,) * 6),
        names=frozenset({"mfa_view_recovery_codes", "mfa_download_recovery_codes"}),
    ),
    Group("Django admin pages", row(*ADMIN_ONLY), prefix="admin:"),
    Group(
        "Django admin: unnamed object links (forward to the change page)",
        row(*ADMIN_ONLY[:6], Expect(302, to_suffix="/change/")),
        prefix="admin/",
    ),
)


# --- every URL pattern ------------------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # namespace:name, else the route
    route: str
    kwarg_names: frozenset[str]

    def __str__(self) -> str:
        return self.key


def _walk(
    items: list[Any], prefix: str = "", namespace: str = "", kwargs: frozenset[str] = frozenset()
) -> Iterator[Pattern]:
    for item in items:
        names = kwargs | frozenset(item.pattern.regex.groupindex)
        if isinstance(item, URLResolver):
            inner = ":".join(part for part in (namespace, item.namespace or "") if part)
            yield from _walk(item.url_patterns, prefix + str(item.pattern), inner, names)
        else:
            assert isinstance(item, URLPattern)
            route = prefix + str(item.pattern)
            key = (f"{namespace}:{item.name}" if namespace else item.name) if item.name else route
            yield Pattern(key, route, names)


with translation.override(settings.LANGUAGE_CODE):
    PATTERNS = list(_walk(get_resolver().url_patterns))


def entry_for(key: str) -> Entry | None:
    if key in MATRIX:
        return MATRIX[key]
    groups = [group for group in GROUPS if group.covers(key)]
    assert len(groups) <= 1, f"{key} is in several groups: {[g.label for g in groups]}"
    return groups[0].entry if groups else None


# --- asking and checking ----------------------------------------------------------------------


def _user(request: pytest.FixtureRequest, role: str) -> User | None:
    return None if role == "anonymous" else request.getfixturevalue(role)


def _values(pattern: Pattern, entry: Entry, world: World) -> dict[str, Any]:
    if entry.kwargs is not None:
        values = entry.kwargs(world)
        return {name: value for name, value in values.items() if name in pattern.kwarg_names}
    if pattern.kwarg_names and pattern.route.startswith("admin/"):
        return world.admin_values(pattern)
    assert not pattern.kwarg_names, f"{pattern.key}: the matrix gives no values for {sorted(pattern.kwarg_names)}"
    return {}


def _url(pattern: Pattern, entry: Entry, values: dict[str, Any]) -> str:
    if entry.url:
        return entry.url
    if pattern.key != pattern.route:
        return reverse(pattern.key, kwargs=values)
    # An unnamed route pattern: fill its <converter:name> parts.
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values[m.group(1)]), pattern.route)


def send(client: Client, entry: Entry, url: str, world: World, user: User | None) -> HttpResponse:
    headers: dict[str, str] = {}
    if user is not None:
        if entry.api:
            headers["Authorization"] = f"Bearer {ApiToken.issue(user)}"
        else:
            client.force_login(user)
    data = entry.data(world) if callable(entry.data) else entry.data or {}
    if entry.method == "get":
        return client.get(url, entry.query or {}, headers=headers)
    if entry.api:
        return client.generic(entry.method.upper(), url, json.dumps(data), "application/json", headers=headers)
    return client.generic(
        entry.method.upper(), url, urlencode(data), "application/x-www-form-urlencoded", headers=headers
    )


def _targets(expected: Expect, values: dict[str, Any]) -> set[str]:
    if expected.to.startswith("/"):
        return {expected.to}
    kwargs = values if expected.same_kwargs else None
    paths = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            paths.add(reverse(expected.to, kwargs=kwargs))
    return paths


def check(response: HttpResponse, expected: Expect, values: dict[str, Any], what: str) -> None:
    location = response.get("Location", "")
    got = f"{response.status_code}" + (f" -> {location}" if location else "")
    assert response.status_code == expected.status, f"{what}: expected {expected}, got {got}"
    if expected.to:
        assert urlsplit(location).path in _targets(expected, values), f"{what}: expected {expected}, got {got}"
    if expected.to_suffix:
        assert urlsplit(location).path.endswith(expected.to_suffix), f"{what}: expected {expected}, got {got}"


# --- the tests --------------------------------------------------------------------------------


def test_every_url_pattern_has_an_entry() -> None:
    missing = sorted({f"{p.key}  ({p.route})" for p in PATTERNS if entry_for(p.key) is None})
    assert not missing, "URL patterns without an access-matrix entry:\n  " + "\n  ".join(missing)


def test_the_matrix_names_only_existing_patterns() -> None:
    keys = {p.key for p in PATTERNS}
    stale = sorted(set(MATRIX) - keys)
    stale += [f"{g.label}: {name}" for g in GROUPS for name in sorted(g.names - keys)]
    stale += [f"{g.label}: {g.prefix}*" for g in GROUPS if g.prefix and not any(g.covers(k) for k in keys)]
    assert not stale, f"matrix entries for patterns that no longer exist: {stale}"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("pattern", PATTERNS, ids=str)
def test_access(pattern: Pattern, role: str, client: Client, world: World, request: pytest.FixtureRequest) -> None:
    entry = entry_for(pattern.key)
    if entry is None:
        pytest.fail(f"no access-matrix entry for the URL pattern {pattern.key} ({pattern.route})")
    values = _values(pattern, entry, world)
    url = _url(pattern, entry, values)
    response = send(client, entry, url, world, _user(request, role))
    response.close()
    check(response, entry.outcomes[role], values, f"{entry.method.upper()} {url} as {role}")


POST_ONLY = (
    "buytech:attest",  # Buy Tech
    "buytech:checkout",
    "buytech:cancel",
    "buytech_console:set_eligibility",
    *(f"buytech_console:{name}" for name in BT_CONSOLE_ACTIONS),
    "api-1:buytech_sign_attestation",
    "api-1:buytech_cancel",
    "api-1:buytech_return",
    "api-1:buytech_warranty_claim",
    "orders_console:add_shipment",  # orders (issue 6)
    "orders_console:status",
    "api-1:shipment_event",
    "portal:switch_organisation",
    "console:decide",
    "help:feedback",
    "support:reply",
    "support:close",
    "support:reopen",
    "support:rate",
    "support_console:bulk",
    "support_console:assign",
    "support_console:reply",
    "support_console:status",
    "api-1:issue_token",
    "api-1:suggestion_opened",
    "api-1:reply",
    "contracts:destruction",  # issue 14: a licence's destruction confirmed
    "contracts_console:countersign",  # contract signing
    "contracts_console:terminate",  # contracts (issue 5)
    "contracts_console:decide",
    "api-1:sign_contract",
    "billing_console:resolve",  # billing
    "billing_console:allocate",
    "inventory_console:repair_dispatch",  # inventory
    "inventory_console:transfer_confirm",
    "inventory_console:site_change_review",
    "inventory_console:relocation_assign",
    "inventory_console:relocation_decide",
    "inventory_console:relocation_carry_out",
    "api-1:create_repair",
    "api-1:create_transfer",
    "api-1:create_relocation",
    "api-1:dispute_invoice",
)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", POST_ONLY)
def test_actions_refuse_get(key: str, role: str, client: Client, world: World, request: pytest.FixtureRequest) -> None:
    pattern = next(p for p in PATTERNS if p.key == key)
    entry = MATRIX[key]
    values = _values(pattern, entry, world)
    url = _url(pattern, entry, values)
    get = Entry(outcomes={}, api=entry.api)
    response = send(client, get, url, world, _user(request, role))
    check(response, Expect(405), values, f"GET {url} as {role}")


# --- another organisation's objects look exactly like missing ones ----------------------------


@dataclass(frozen=True)
class Probe:
    """One object URL, asked for org_a's object and for a missing one."""

    name: str
    existing: Callable[[World], dict[str, Any]]
    missing: Callable[[World], dict[str, Any]]
    outsiders: dict[str, int]  # role -> the status both must get
    insider: tuple[str, Expect]  # proves the existing object is really there
    method: str = "get"
    data: Callable[[World], dict[str, Any]] | dict[str, Any] | None = None
    in_data: bool = False  # the object is named in the form, not the URL
    api: bool = False


def _missing_number(w: World) -> dict[str, Any]:
    return {"number": MISSING_NUMBER}


PROBES = (
    # contracts (issue 5)
    *(
        Probe(name, contract_number, _missing_number, {"customer_b": 404}, ("customer_a", OK))
        for name in (
            "contracts:detail",
            "contracts:copy",
            "contracts:machines_csv",
            "contracts:machines_pdf",
            "contracts:terminate",
        )
    ),
    Probe(
        "contracts:notice",
        contract_termination,
        lambda w: {"number": MISSING_NUMBER, "pk": contract_termination(w)["pk"]},
        {"customer_b": 404},
        ("customer_a", OK),
    ),
    Probe("contracts:notice", contract_termination, _missing_termination, {"customer_b": 404}, ("customer_a", OK)),
    Probe(
        "contracts:withdraw",
        contract_termination,
        _missing_termination,
        {"customer_b": 404},
        ("customer_a", TO_MATRIX_CONTRACT),
        method="post",
    ),
    Probe(
        "api-1:withdraw_termination",
        api_contract_termination,
        _api_missing_termination,
        {"customer_b": 404},
        ("customer_a", OK),
        method="post",
        api=True,
    ),
    Probe("contracts_console:detail", contract_number, _missing_number, {"agent_ro": 404}, ("agent_be", OK)),
    Probe(
        "contracts_console:terminate",
        contract_number,
        _missing_number,
        {"agent_ro": 404},
        ("agent_be", TO_CONTRACTS_CONSOLE_ITEM),
        method="post",
        data={"reason": "Matrix"},
    ),
    Probe(
        "contracts_console:decide",
        contract_termination,
        _missing_termination,
        {"agent_ro": 404},
        ("agent_be", TO_MATRIX_CONTRACT_CONSOLE),
        method="post",
        data={"decision": "refuse", "note": "Matrix"},
    ),
    Probe(
        "contracts_console:notice", contract_termination, _missing_termination, {"agent_ro": 404}, ("agent_be", OK)
    ),
    Probe("api-1:get_contract", contract_number, _missing_number, {"customer_b": 404}, ("customer_a", OK), api=True),
    Probe("api-1:contract_pdf", contract_number, _missing_number, {"customer_b": 404}, ("customer_a", OK), api=True),
    Probe(
        "api-1:create_termination",
        contract_number,
        _missing_number,
        {"customer_b": 404},
        ("customer_a", Expect(400)),
        method="post",
        data={"machines": []},
        api=True,
    ),
    # orders (issue 6)
    Probe("orders:detail", order_number, _missing_number, {"customer_b": 404}, ("customer_a", OK)),
    Probe("orders_console:detail", order_number, _missing_number, {"agent_ro": 404}, ("agent_be", OK)),
    Probe(
        "orders_console:add_shipment",
        order_number,
        _missing_number,
        {"agent_ro": 404},
        ("agent_be", TO_ORDER_CONSOLE),
        method="post",
        data=new_parcel,
    ),
    Probe(
        "orders_console:status",
        order_number,
        _missing_number,
        {"agent_ro": 404},
        ("agent_be", TO_ORDER_CONSOLE),
        method="post",
        data=PARCEL_STATUS,
    ),
    Probe("api-1:get_order", order_number, _missing_number, {"customer_b": 404}, ("customer_a", OK), api=True),
    Probe("support:detail", number, _missing_number, {"customer_b": 404}, ("customer_a", OK)),
    Probe(
        "support:reply",
        number,
        _missing_number,
        {"customer_b": 404},
        ("customer_a", TO_REQUEST),
        method="post",
        data={"body": "Hello"},
    ),
    Probe("support:close", number, _missing_number, {"customer_b": 404}, ("customer_a", TO_REQUEST), method="post"),
    Probe("support:reopen", number, _missing_number, {"customer_b": 404}, ("customer_a", TO_REQUEST), method="post"),
    Probe(
        "support:rate",
        number,
        _missing_number,
        {"customer_b": 404},
        ("customer_a", TO_REQUEST),
        method="post",
        data={"rating": "5"},
    ),
    Probe(
        "support:attachment",
        attachment,
        lambda w: {"number": MISSING_NUMBER, "pk": w.attachment.pk},
        {"customer_b": 404},
        ("customer_a", OK),
    ),
    # customer_b's own request, with org_a's attachment id in the URL
    Probe(
        "support:attachment",
        lambda w: {"number": w.request_b.number, "pk": w.attachment.pk},
        lambda w: {"number": w.request_b.number, "pk": MISSING_PK},
        {"customer_b": 404},
        ("customer_b", NOT_FOUND),
    ),
    Probe("support_console:detail", number, _missing_number, {"agent_ro": 404}, ("agent_be", OK)),
    Probe(
        "support_console:assign",
        number,
        _missing_number,
        {"agent_ro": 404},
        ("agent_be", TO_QUEUE_ITEM),
        method="post",
        data={"assignee": "me"},
    ),
    Probe(
        "support_console:reply",
        number,
        _missing_number,
        {"agent_ro": 404},
        ("agent_be", TO_QUEUE_ITEM),
        method="post",
        data={"body": "On it."},
    ),
    Probe(
        "support_console:status",
        number,
        _missing_number,
        {"agent_ro": 404},
        ("agent_be", TO_QUEUE_ITEM),
        method="post",
        data={"status": "in_progress"},
    ),
    Probe(
        "support_console:attachment",
        attachment,
        lambda w: {"number": w.request.number, "pk": MISSING_PK},
        {"agent_ro": 404},
        ("agent_be", OK),
    ),
    # Console pages are closed to customers before any lookup: 403 for foreign and missing alike.
    Probe(
        "console:organisation",
        organisation,
        lambda w: {"customer_number": "X-000000"},
        {"agent_ro": 404, "customer_b": 403},
        ("agent_be", OK),
    ),
    Probe(
        "console:decide",
        access_request,
        lambda w: {"pk": MISSING_PK},
        {"agent_ro": 404, "customer_b": 403},
        ("agent_be", CONSOLE),
        method="post",
        data={"decision": "refuse", "reason": "No."},
    ),
    # The team page names a member in its form: org_a's member is not customer_b's to change.
    Probe(
        "portal:team",
        lambda w: {"user": w.member.pk},
        lambda w: {"user": MISSING_PK},
        {"customer_b": 404},
        ("customer_a", Expect(302, "portal:team")),
        method="post",
        data={"application": "orders", "action": "grant"},
        in_data=True,
    ),
    # contract signing
    Probe("contracts:sign", awaiting_contract, _missing_number, {"customer_b": 404}, ("customer_a", OK)),
    Probe("contracts:signed_document", signed_contract, _missing_number, {"customer_b": 404}, ("customer_a", OK)),
    Probe(
        "contracts_console:countersign",
        awaiting_contract,
        _missing_number,
        {"agent_ro": 404, "customer_b": 403},
        ("agent_be", TO_CONTRACT_CONSOLE),
        method="post",
    ),
    Probe(
        "contracts_console:signed_document",
        signed_contract,
        _missing_number,
        {"agent_ro": 404, "customer_b": 403},
        ("agent_be", OK),
    ),
    Probe(
        "api-1:sign_contract",
        awaiting_contract,
        _missing_number,
        {"customer_b": 404},
        ("customer_a", FORBIDDEN),
        method="post",
        data=_sign_body,
        api=True,
    ),
    Probe("api-1:get_request", number, _missing_number, {"customer_b": 404}, ("customer_a", OK), api=True),
    Probe(
        "api-1:reply",
        number,
        _missing_number,
        {"customer_b": 404},
        ("customer_a", CREATED),
        method="post",
        data={"body": "Hello"},
        api=True,
    ),
    # billing (issue 6): org_a's invoice, its PDF and dispute form; the console's dispute resolution
    Probe("billing:invoice", billing_invoice, _billing_missing, {"customer_b": 404}, ("customer_a", OK)),
    Probe("billing:invoice_pdf", billing_invoice, _billing_missing, {"customer_b": 404}, ("customer_a", OK)),
    Probe("billing:dispute", billing_invoice, _billing_missing, {"customer_b": 404}, ("customer_a", OK)),
    Probe(
        "billing_console:resolve",
        billing_dispute,
        lambda w: {"pk": MISSING_PK},
        {"agent_ro": 404},
        ("agent_be", TO_BILLING_CONSOLE),
        method="post",
        data={"decision": "reject", "note": "Matrix."},
    ),
    # inventory (issue 7): machines by serial, service actions by number
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
        "inventory_console:repair_dispatch",
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
    Probe(
        "billing_console:allocate",
        billing_payment,
        lambda w: {"reference": "MATRIX-MISSING"},
        {"agent_ro": 404},
        ("agent_be", TO_BILLING_CONSOLE),
        method="post",
        data=BILLING_ALLOCATE,
    ),
    Probe("api-1:get_invoice", billing_invoice, _billing_missing, {"customer_b": 404}, ("customer_a", OK), api=True),
    Probe("api-1:invoice_pdf", billing_invoice, _billing_missing, {"customer_b": 404}, ("customer_a", OK), api=True),
    Probe(
        "api-1:dispute_invoice",
        billing_invoice,
        _billing_missing,
        {"customer_b": 404},
        ("customer_a", CREATED),
        method="post",
        data=BILLING_DISPUTE,
        api=True,
    ),
)

# Buy Tech: org_a's order is customer_b's 404, like a missing one; the program console is closed to
# agents of other countries before any lookup (403 for foreign and missing alike).
PROBES = (
    *PROBES,
    Probe("buytech:order", bt_order, _missing_number, {"customer_b": 404}, ("customer_a", OK)),
    Probe(
        "buytech:cancel",
        bt_order,
        _missing_number,
        {"customer_b": 404},
        ("customer_a", TO_BT_ORDER),
        method="post",
        data={"positions": "1"},
    ),
    Probe("buytech:return", bt_order, _missing_number, {"customer_b": 404}, ("customer_a", OK)),
    Probe("buytech:claim", bt_order, _missing_number, {"customer_b": 404}, ("customer_a", OK)),
    Probe("api-1:buytech_order", bt_order, _missing_number, {"customer_b": 404}, ("customer_a", OK), api=True),
    Probe(
        "api-1:buytech_cancel", bt_order, _missing_number, {"customer_b": 404}, ("customer_a", OK), method="post",
        data={}, api=True,
    ),
    Probe(
        "api-1:buytech_return", bt_order, _missing_number, {"customer_b": 404}, ("customer_a", BT_CONFLICT),
        method="post", data={"positions": [1], "reason": "Matrix."}, api=True,
    ),
    Probe(
        "api-1:buytech_warranty_claim", bt_order, _missing_number, {"customer_b": 404}, ("customer_a", BT_CONFLICT),
        method="post", data={"position": 1, "description": "Matrix."}, api=True,
    ),
    Probe("buytech_console:order", bt_order, _missing_number, {"agent_ro": 403, "customer_b": 403}, ("agent_be", OK)),
    *(
        Probe(
            f"buytech_console:{name}",
            bt_order,
            _missing_number,
            {"agent_ro": 403, "customer_b": 403},
            ("agent_be", expected),
            method="post",
            data=data,
        )
        for name, (data, expected) in BT_CONSOLE_ACTIONS.items()
    ),
)
# --- end Buy Tech probes -------------------------------------------------------------------------

_CSRF = re.compile(r"""(csrfmiddlewaretoken" value=|csrf-token" content=|X-CSRFToken":\s*)["']?[\w-]+""")


def _normalised(response: HttpResponse, *urls: str) -> str:
    body = b"".join(response.streaming_content) if response.streaming else response.content  # type: ignore[attr-defined]
    text = _CSRF.sub(r"\1<csrf>", body.decode(errors="replace"))
    for url in urls:
        text = text.replace(url, "<url>")
    return text


def _ask(probe: Probe, values: dict[str, Any], world: World, client: Client, user: User) -> tuple[str, HttpResponse]:
    data = probe.data(world) if callable(probe.data) else dict(probe.data or {})
    if probe.in_data:
        data, values = {**data, **values}, {}
    url = reverse(probe.name, kwargs=values or None)
    entry = Entry(outcomes={}, method=probe.method, data=data, api=probe.api)
    return url, send(client, entry, url, world, user)


@pytest.mark.django_db
@pytest.mark.parametrize("probe", PROBES, ids=lambda p: p.name)
def test_foreign_objects_answer_like_missing_ones(probe: Probe, world: World, request: pytest.FixtureRequest) -> None:
    role, expected = probe.insider
    url, response = _ask(probe, probe.existing(world), world, Client(), request.getfixturevalue(role))
    check(response, expected, probe.existing(world), f"{probe.method.upper()} {url} as {role}")
    for role, status in probe.outsiders.items():
        user = request.getfixturevalue(role)
        foreign_url, foreign = _ask(probe, probe.existing(world), world, Client(), user)
        missing_url, missing = _ask(probe, probe.missing(world), world, Client(), user)
        what = f"{probe.method.upper()} {foreign_url} as {role}"
        assert foreign.status_code == status, f"{what}: expected {status}, got {foreign.status_code}"
        assert missing.status_code == status, f"{what} (missing object): expected {status}, got {missing.status_code}"
        assert foreign.get("Content-Type") == missing.get("Content-Type"), what
        assert _normalised(foreign, foreign_url, missing_url) == _normalised(missing, foreign_url, missing_url), (
            f"{what}: the body differs from a missing object's"
        )


def test_every_object_url_is_probed_and_customer_b_gets_404() -> None:
    """Wherever a URL names one of org_a's objects, the probes above cover it, and a
    customer of another organisation gets the 404 a missing object gets, never a 403."""
    probed = {probe.name: probe for probe in PROBES}
    for pattern in PATTERNS:
        entry = entry_for(pattern.key)
        if entry is None or entry.kwargs not in OBJECT_URLS:
            continue
        assert pattern.key in probed, f"{pattern.key} names an object of org_a but has no probe"
        if entry.outcomes["customer_a"].status < 400:  # a page for customers
            assert entry.outcomes["customer_b"] == NOT_FOUND, pattern.key
            assert probed[pattern.key].outsiders.get("customer_b") == 404, pattern.key


@pytest.mark.django_db
def test_bulk_action_leaves_other_countries_requests_alone(client: Client, world: World, agent_ro: User) -> None:
    client.force_login(agent_ro)
    client.post(reverse("support_console:bulk"), {"numbers": world.request.number, "action": "close"})
    with tenant_scope(world.org_a):
        world.request.refresh_from_db()
    assert world.request.status == "submitted"
    assert world.request.assignee is None


# --- the API's own answers --------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("authorization", [None, "Bearer not-a-token", "Basic eDp5"])
def test_api_me_without_credentials_is_a_401_in_the_error_format(client: Client, authorization: str | None) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/api/v1/me", headers=headers)
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "details"}
    assert body["code"] == "unauthenticated" and body["message"] and body["details"] == {}


@pytest.mark.django_db
def test_api_me_with_a_token(client: Client, org_a: Organisation, customer_a: User) -> None:
    response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {ApiToken.issue(customer_a)}"})
    assert response.status_code == 200
    body = response.json()
    assert body["email"] == customer_a.email
    assert body["active_organisation"] == org_a.customer_number


@pytest.mark.django_db
def test_api_me_with_a_session(client: Client, customer_b: User) -> None:
    client.force_login(customer_b)
    response = client.get("/api/v1/me")
    assert response.status_code == 200
    assert response.json()["email"] == customer_b.email


@pytest.mark.django_db
def test_api_token_of_a_deactivated_user_is_refused(client: Client, customer_a: User) -> None:
    token = ApiToken.issue(customer_a)
    User.objects.filter(pk=customer_a.pk).update(is_active=False)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401


# --- the admin's sign-in page never takes a password ------------------------------------------


@pytest.mark.django_db
def test_admin_login_form_cannot_skip_mfa(client: Client, customer_no_grant: User, administrator: User) -> None:
    from tests.accounts.factories import PASSWORD

    client.force_login(customer_no_grant)
    response = client.post("/admin/login/?next=/admin/", {"username": administrator.email, "password": PASSWORD})
    assert response.status_code == 403
    assert client.get("/admin/").status_code == 302
    assert int(client.session["_auth_user_id"]) == customer_no_grant.pk


@pytest.mark.django_db
def test_api_organisation_header_naming_another_organisation_is_a_404_like_a_missing_one(
    client: Client, world: World, customer_b: User
) -> None:
    token = ApiToken.issue(customer_b)

    def ask(customer_number: str) -> HttpResponse:
        headers = {"Authorization": f"Bearer {token}", "X-Organisation": customer_number}
        return client.get(reverse("api-1:list_requests"), headers=headers)

    foreign, missing = ask(world.org_a.customer_number), ask("X-000000")
    assert foreign.status_code == missing.status_code == 404
    assert foreign.json() == missing.json()
