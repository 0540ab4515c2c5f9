"""Buy Tech services: eligibility, ordering, agreements, payment, shipments, cancellation, returns, warranty."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from guichet.accounts.models import Organisation, User
from guichet.buytech import rules, services
from guichet.buytech.models import (
    Attestation,
    BuyTechOrder,
    ClaimRemedy,
    Eligibility,
    LineStatus,
    OrderStatus,
    Product,
    Refund,
    ReturnStatus,
)
from guichet.core import structured_communication
from guichet.core.errors import Conflict, DomainError, PermissionDenied
from guichet.core.models import AuditEvent, OutboxMessage
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.support.models import Request

from .conftest import BPOST, BPOST_2, Clock, deliver_all, forward, make_eligible, reserve, sign_agreements

pytestmark = pytest.mark.django_db


def outbox(template: str) -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(template=template))


# --- eligibility -----------------------------------------------------------------------------------------


def test_a_new_nonprofit_lacks_the_partner_verdict_and_the_attestation(nonprofit: Organisation) -> None:
    assert services.gaps_of(nonprofit) == [rules.PARTNER_PENDING, rules.NO_ATTESTATION]


def test_a_company_is_never_eligible(db: object) -> None:
    from tests.accounts.factories import OrganisationFactory

    company = OrganisationFactory(country="RO", is_nonprofit=False)
    gaps = services.gaps_of(company)
    assert rules.NOT_BELGIAN in gaps and rules.NOT_NONPROFIT in gaps and rules.NO_PARTNER_ID in gaps


def test_attestation_is_kept_with_its_wording_signer_and_time(nonprofit: Organisation, buyer: User) -> None:
    with tenant_scope(nonprofit):
        attestation = services.attestation_sign(actor=buyer, organisation=nonprofit)
        again = services.attestation_sign(actor=buyer, organisation=nonprofit)
    assert again.pk == attestation.pk
    assert attestation.wording_version == rules.ATTESTATION_VERSION
    assert attestation.signer == buyer and attestation.signed_at is not None
    assert AuditEvent.objects.filter(action="buytech.attestation_signed").count() == 1


def test_a_plain_member_cannot_sign_the_attestation(nonprofit: Organisation) -> None:
    from tests.accounts.factories import make_member

    member = make_member(nonprofit, role="member")
    with tenant_scope(nonprofit), pytest.raises(PermissionDenied):
        services.attestation_sign(actor=member, organisation=nonprofit)


def test_an_ineligible_organisation_cannot_reserve(nonprofit: Organisation, buyer: User, catalogue: dict) -> None:
    with tenant_scope(nonprofit), pytest.raises(services.NotEligible) as caught:
        services.order_reserve(actor=buyer, organisation=nonprofit, items={"BT-LT-T14-N": 1})
    assert [gap["code"] for gap in caught.value.details["missing"]] == [rules.PARTNER_PENDING, rules.NO_ATTESTATION]


CSV_OK = "customer_number,partner_id,status\n{a},SW-BE-99001,eligible\n{b},SW-BE-99002,refused\n"


def test_partner_import_applies_every_row(nonprofit: Organisation) -> None:
    from tests.accounts.factories import OrganisationFactory

    other = OrganisationFactory(country="BE", is_nonprofit=True)
    progress: list[tuple[int, int]] = []
    record = services.partner_import(
        actor=None,
        file_name="partner.csv",
        content=CSV_OK.format(a=nonprofit.customer_number, b=other.customer_number),
        progress=lambda done, total: progress.append((done, total)),
    )
    assert (record.rows, record.eligible, record.refused) == (2, 1, 1)
    assert progress == [(1, 2), (2, 2)]
    with across_organisations():
        assert Eligibility.objects.get(organisation=nonprofit).source == "partner_import"
        assert Eligibility.objects.get(organisation=other).status == "refused"
    other.refresh_from_db()
    assert other.partner_id == "SW-BE-99002"


def test_partner_import_is_all_or_nothing(nonprofit: Organisation) -> None:
    content = (
        CSV_OK.format(a=nonprofit.customer_number, b="NOPE-1") + f"{nonprofit.customer_number},SW-BE-99001,maybe\n"
    )
    with pytest.raises(services.ImportRejected) as caught:
        services.partner_import(actor=None, file_name="partner.csv", content=content)
    assert [e["line"] for e in caught.value.details["errors"]] == [3, 4]
    with across_organisations():
        assert not Eligibility.objects.exists()


def test_partner_import_needs_its_columns(db: object) -> None:
    with pytest.raises(services.ImportRejected):
        services.partner_import(actor=None, file_name="x.csv", content="name;status\nA;eligible\n")


def test_partner_import_command(nonprofit: Organisation, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from io import StringIO

    from django.core.management import call_command

    path = tmp_path / "partner.csv"
    path.write_text(f"customer_number,partner_id,status\n{nonprofit.customer_number},SW-BE-99001,eligible\n")
    out = StringIO()
    call_command("import_partner_eligibility", str(path), stdout=out)
    assert "1/1" in out.getvalue() and "1 rows imported" in out.getvalue()


# --- ordering ------------------------------------------------------------------------------------------------


def test_reservation_numbers_snapshots_totals_and_asks_for_the_fee_first(
    eligible: Organisation, buyer: User, catalogue: dict, clock: Clock
) -> None:
    order = reserve(eligible, buyer, {"BT-LT-T14-N": 2, "BT-PH-A54-N": 1})
    assert order.number == "BT-2026-000001"
    # Two payments, two references: the fee's to the partner, the price's to the vendor.
    assert structured_communication.is_valid(order.fee_reference)
    assert structured_communication.is_valid(order.payment_reference)
    assert order.fee_reference != order.payment_reference
    with tenant_scope(eligible):
        lines = list(order.lines.order_by("position"))
        assert [line.description for line in lines] == ["Lenovo ThinkPad T14 Gen 5"] * 2 + ["Samsung Galaxy A54"]
        # 2 x (449 + 25) + (249 + 12)
        assert services.order_total(order) == Decimal("1209.00")
        assert (services.order_fees(order), services.order_price(order)) == (Decimal("62.00"), Decimal("1147.00"))
    assert Product.objects.get(sku="BT-LT-T14-N").stock == 38
    # The vendor's 2 business days start when it has the order (the fee received), not at the reservation.
    assert order.status == OrderStatus.RESERVED and order.confirmation_due is None
    assert order.processing_due == date(2026, 4, 27)
    (mail,) = outbox("buytech_order_reserved")
    assert mail.context["communication"] == order.fee_reference
    assert (mail.context["fee"], mail.context["price"]) == ("62.00", "1147.00")
    assert mail.context["beneficiary"] == services.PAYMENT_BENEFICIARY == "SOCIALware ASBL"
    assert reserve(eligible, buyer, {"BT-PH-A54-N": 1}).number == "BT-2026-000002"


def test_references_of_fee_and_price_never_meet() -> None:
    fees = {services.fee_reference(2026 * 1_000_000 + n) for n in range(1, 2000)}
    prices = {services.price_reference(year * 1_000_000 + n) for year in (2020, 2026, 2099) for n in range(1, 2000)}
    assert not fees & prices and len(prices) == 3 * 1999


def test_fee_to_the_partner_then_the_vendor_confirms_then_the_price_to_the_vendor(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    order = reserve(eligible, buyer, {"BT-LT-T14-N": 2, "BT-PH-A54-N": 1})
    with tenant_scope(eligible):
        with pytest.raises(Conflict) as early:  # the vendor has not got the order yet
            services.order_confirm(actor=agent, order=order)
        assert early.value.code == "not_forwarded"
        with pytest.raises(DomainError) as partial:
            services.order_record_fee(actor=agent, order=order, amount=Decimal("61.99"))
        assert partial.value.code == "partial_fee"
        clock.today = date(2026, 3, 6)  # a Friday: 2 Belgian business days end on Tuesday
        order = services.order_record_fee(actor=agent, order=order, amount=Decimal("62.00"))
        assert order.status == OrderStatus.FORWARDED and order.forwarded_on == date(2026, 3, 6)
        assert order.confirmation_due == date(2026, 3, 10) and order.fee_amount == Decimal("62.00")
        with pytest.raises(Conflict):  # the fee is recorded once
            services.order_record_fee(actor=agent, order=order, amount=Decimal("62.00"))
        with pytest.raises(Conflict):  # the price is not due before the vendor's confirmation
            services.order_record_payment(actor=agent, order=order, amount=Decimal("1147.00"))
        order = services.order_confirm(actor=agent, order=order)
        with pytest.raises(DomainError):  # the vendor takes the price only, in full
            services.order_record_payment(actor=agent, order=order, amount=Decimal("1146.99"))
        order = services.order_record_payment(actor=agent, order=order, amount=Decimal("1147.00"))
    assert order.status == OrderStatus.PAID
    (fee_mail,) = outbox("buytech_fee_received")
    assert (fee_mail.context["amount"], fee_mail.context["confirmation_due"]) == ("62.00", "2026-03-10")
    (confirmed,) = outbox("buytech_order_confirmed")
    assert confirmed.context["communication"] == order.payment_reference
    assert confirmed.context["price"] == "1147.00"
    assert confirmed.context["beneficiary"] == services.VENDOR_BENEFICIARY  # not the partner's
    assert confirmed.context["iban"] != services.PAYMENT_IBAN
    actions = set(AuditEvent.objects.filter(target=order.number).values_list("action", flat=True))
    assert {"buytech.fee_recorded", "buytech.order_confirmed", "buytech.payment_recorded"} <= actions
    # Amounts and dates in the recipient's language.
    from guichet.core.notifications.rendering import render

    fee_mail.language = "fr"
    assert "62,00\xa0€" in render(fee_mail).body and "10 mars 2026" in render(fee_mail).body
    fee_mail.language = "en"
    assert "€62.00" in render(fee_mail).body and "March 10, 2026" in render(fee_mail).body


def test_vendor_cancellation_after_the_fee_only_refunds_the_fee(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    order = reserve(eligible, buyer, {"BT-PH-A54-N": 1})
    with tenant_scope(eligible):
        order = services.order_confirm(actor=agent, order=forward(order, agent))
        services.order_vendor_cancel(actor=agent, order=order, reason="Donation withdrawn")
        refund = Refund.objects.get()
        case = Request.objects.get()
    assert (refund.amount, refund.request_number) == (Decimal("12.00"), case.number)


def test_no_quota_but_stock_is_checked(eligible: Organisation, buyer: User, catalogue: dict, clock: Clock) -> None:
    reserve(eligible, buyer, {"BT-PH-A54-N": 50})  # the whole stock: no quota
    with pytest.raises(Conflict) as caught:
        reserve(eligible, buyer, {"BT-PH-A54-N": 1})
    assert caught.value.code == "out_of_stock"
    with pytest.raises(DomainError):
        reserve(eligible, buyer, {"NO-SUCH": 1})
    with pytest.raises(DomainError):
        reserve(eligible, buyer, {})


def test_confirmation_due_across_easter_monday(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    clock.today = date(2026, 4, 3)  # Friday before Easter Monday: the fee arrives that day
    order = reserve(eligible, buyer, {"BT-PH-A54-N": 1})
    with tenant_scope(eligible):
        order = forward(order, agent)
    assert order.confirmation_due == date(2026, 4, 8)


def test_console_flags_orders_at_risk_and_late(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    from guichet.buytech import selectors

    order = reserve(eligible, buyer, {"BT-PH-A54-N": 1})
    assert selectors.board(today=date(2026, 3, 3)).awaiting_fee == [order]
    assert selectors.board(today=date(2026, 3, 3)).to_confirm == []  # not with the vendor yet
    with tenant_scope(eligible):
        order = forward(order, agent)
    assert selectors.board(today=date(2026, 3, 3)).to_confirm == [(order, "ok")]
    assert selectors.board(today=date(2026, 3, 4)).to_confirm == [(order, "at_risk")]
    assert selectors.board(today=date(2026, 3, 5)).to_confirm == [(order, "late")]
    assert selectors.board(today=date(2026, 4, 27)).past_target == []  # the 8 weeks end that day
    assert selectors.board(today=date(2026, 4, 28)).past_target == [order]


def test_from_confirmation_to_delivery_in_two_shipments(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    order = reserve(eligible, buyer, {"BT-LT-T14-N": 2, "BT-PH-A54-N": 1})
    with tenant_scope(eligible):
        order = services.order_confirm(actor=agent, order=forward(order, agent))
        assert order.status == OrderStatus.CONFIRMED
        assert order.relationship_agreement.number == "BT-AGR-2026-000001-1"
        assert order.relationship_agreement.kind == "program_agreement"
        assert order.devices_agreement.status == "awaiting_signature"
        with pytest.raises(Conflict):
            services.order_confirm(actor=agent, order=order)
        with pytest.raises(DomainError):  # partial payment
            services.order_record_payment(actor=agent, order=order, amount=Decimal("100"))
        order = services.order_record_payment(actor=agent, order=order, amount=Decimal("1147.00"))
        assert order.status == OrderStatus.PAID
        with pytest.raises(Conflict) as unsigned:
            services.shipment_create(actor=agent, order=order, positions=[1, 2], carrier="bpost", tracking_number=BPOST)
        assert unsigned.value.code == "agreements_unsigned"
        sign_agreements(order)
        order.refresh_from_db()
        with pytest.raises(DomainError) as bad_tracking:
            services.shipment_create(actor=agent, order=order, positions=[1, 2], carrier="bpost", tracking_number="12")
        assert bad_tracking.value.code == "invalid_tracking_number"
        first = services.shipment_create(
            actor=agent, order=order, positions=[1, 2], carrier="bpost", tracking_number=BPOST
        )
        assert first.number == "BT-2026-000001-S1" and "track.bpost" in first.tracking_url
        with pytest.raises(Conflict):  # already shipped
            services.shipment_create(actor=agent, order=order, positions=[2, 3], carrier="bpost", tracking_number=BPOST)
        second = services.shipment_create(
            actor=agent, order=order, positions=[3], carrier="bpost", tracking_number=BPOST_2
        )
        clock.today = date(2026, 3, 6)
        with pytest.raises(DomainError):  # not yet happened
            services.shipment_deliver(actor=agent, shipment=first, delivered_on=date(2026, 3, 9))
        services.shipment_deliver(actor=agent, shipment=first, delivered_on=date(2026, 3, 5))
        order.refresh_from_db()
        assert order.status == OrderStatus.SHIPPED
        services.shipment_deliver(actor=agent, shipment=second, delivered_on=date(2026, 3, 6))
        order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED and order.delivered_on == date(2026, 3, 6)
    assert len(outbox("buytech_shipment_dispatched")) == 2
    delivered = outbox("buytech_shipment_delivered")
    assert delivered[0].context["cancel_until"] == "2026-03-19"
    assert delivered[0].context["return_until"] == "2026-05-04"
    assert delivered[0].context["warranty_until"] == "2027-03-05"


def test_substitution_by_a_functional_equivalent(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    order = reserve(eligible, buyer, {"BT-LT-L14-U": 1})
    with tenant_scope(eligible):
        with pytest.raises(DomainError) as weaker:
            services.line_substitute(actor=agent, order=order, position=1, sku="BT-LT-T480-U", note="Out of stock")
        assert weaker.value.code == "not_equivalent"
        with pytest.raises(DomainError):
            services.line_substitute(actor=agent, order=order, position=1, sku="BT-LT-EB-U", note=" ")
        line = services.line_substitute(actor=agent, order=order, position=1, sku="BT-LT-EB-U", note="Donation changed")
    assert line.description == "HP EliteBook 840 G8" and line.substituted_from == "Lenovo ThinkPad L14 Gen 3"
    assert Product.objects.get(sku="BT-LT-L14-U").stock == 25
    assert Product.objects.get(sku="BT-LT-EB-U").stock == 14
    (mail,) = outbox("buytech_substitution")
    assert mail.context["note"] == "Donation changed"


# --- cancellation -----------------------------------------------------------------------------------------------


def test_customer_cancels_before_delivery_and_stock_comes_back(
    eligible: Organisation, buyer: User, catalogue: dict, clock: Clock
) -> None:
    order = reserve(eligible, buyer, {"BT-PH-A54-N": 2})
    with tenant_scope(eligible):
        order = services.order_cancel(actor=buyer, order=order, positions=[2])
        assert order.status == OrderStatus.RESERVED
        assert not Refund.objects.exists()  # nothing paid, nothing to refund
        order = services.order_cancel(actor=buyer, order=order)
    assert order.status == OrderStatus.CANCELLED
    assert Product.objects.get(sku="BT-PH-A54-N").stock == 50


@pytest.mark.parametrize(("days_after", "allowed"), [(14, True), (15, False)])
def test_cancellation_day_14_and_15_after_delivery(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock, days_after: int, allowed: bool
) -> None:
    order = deliver_all(reserve(eligible, buyer, {"BT-LT-T14-N": 2, "BT-PH-A54-N": 1}), agent, clock)
    clock.today += timedelta(days=days_after)
    with tenant_scope(eligible):
        if allowed:
            services.order_cancel(actor=buyer, order=order, positions=[3])
            refund = Refund.objects.get()
            assert (refund.reason, refund.amount) == ("customer_cancellation", Decimal("261.00"))
            assert order.lines.get(position=3).status == LineStatus.CANCELLED
        else:
            with pytest.raises(Conflict) as caught:
                services.order_cancel(actor=buyer, order=order, positions=[3])
            assert caught.value.code == "cancellation_window_closed"


def test_vendor_cancellation_after_payment_opens_a_case_with_a_refund(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    order = reserve(eligible, buyer, {"BT-PH-A54-N": 1})
    with tenant_scope(eligible):
        order = services.order_confirm(actor=agent, order=forward(order, agent))
        order = services.order_record_payment(actor=agent, order=order, amount=Decimal("249.00"))
        order = services.order_vendor_cancel(actor=agent, order=order, reason="Donation withdrawn")
        case = Request.objects.get()
        refund = Refund.objects.get()
    assert order.status == OrderStatus.CANCELLED_BY_VENDOR
    with across_organisations():
        order.relationship_agreement.refresh_from_db()
    assert order.relationship_agreement.status == "terminated"  # unsigned: out of the signing queue
    assert case.type == "orders" and case.details["order_number"] == order.number
    assert "SW-BE-99001" in case.description and order.number in case.subject
    assert (refund.reason, refund.amount, refund.request_number) == (
        "vendor_cancellation",
        Decimal("261.00"),
        case.number,
    )


# --- returns ------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("days_after", "allowed"), [(60, True), (61, False)])
def test_return_day_60_and_61(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock, days_after: int, allowed: bool
) -> None:
    order = deliver_all(reserve(eligible, buyer, {"BT-LT-T14-N": 1}), agent, clock)
    clock.today += timedelta(days=days_after)
    with tenant_scope(eligible):
        if allowed:
            item = services.return_request(actor=buyer, order=order, positions=[1], reason="Does not fit our needs")
            assert item.organisation_name == eligible.name and item.number == f"{order.number}-R1"
        else:
            with pytest.raises(Conflict) as caught:
                services.return_request(actor=buyer, order=order, positions=[1], reason="Too late")
            assert caught.value.code == "return_window_closed"


def test_return_accepted_then_received_then_refunded(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    order = deliver_all(reserve(eligible, buyer, {"BT-LT-T14-N": 1}), agent, clock)
    clock.today += timedelta(days=30)
    with tenant_scope(eligible):
        item = services.return_request(actor=buyer, order=order, positions=[1], reason="Not needed any more")
        with pytest.raises(Conflict):
            services.return_receive(actor=agent, item=item)
        item = services.return_decide(actor=agent, item=item, accept=True, text="Send it to our Brussels depot.")
        assert item.status == ReturnStatus.ACCEPTED
        refund = services.return_receive(actor=agent, item=item)
        assert refund is not None and refund.amount == Decimal("474.00") and refund.reason == "return"
        assert order.lines.get(position=1).status == LineStatus.RETURNED
    decided = outbox("buytech_return_decided")[0]
    assert decided.context["accepted"] is True and "Brussels" in decided.context["text"]


# --- warranty ---------------------------------------------------------------------------------------------------------


def test_warranty_claim_within_14_days_points_to_cancellation(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    order = deliver_all(reserve(eligible, buyer, {"BT-LT-T14-N": 1}), agent, clock)
    clock.today += timedelta(days=14)
    with tenant_scope(eligible), pytest.raises(Conflict) as caught:
        services.warranty_claim(actor=buyer, order=order, position=1, description="Dead", remedy="refund")
    assert caught.value.code == "use_cancellation"


def test_warranty_replacement_reserves_an_equivalent_in_stock(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    order = deliver_all(reserve(eligible, buyer, {"BT-LT-L14-U": 1}), agent, clock)
    clock.today += timedelta(days=15)
    with tenant_scope(eligible):
        claim = services.warranty_claim(
            actor=buyer, order=order, position=1, description="Screen flickers", remedy=ClaimRemedy.REPLACEMENT
        )
        # Same kind, score >= 70, in stock, the closest: the L14 itself (score 70).
        assert claim.replacement is not None and claim.replacement.sku == "BT-LT-L14-U"
        assert Product.objects.get(sku="BT-LT-L14-U").stock == 23  # 25 - ordered - reserved replacement
        with pytest.raises(Conflict):
            services.warranty_claim(actor=buyer, order=order, position=1, description="Again", remedy="refund")
        services.claim_resolve(actor=agent, claim=claim)
    assert outbox("buytech_warranty_claimed")[0].context["replacement"] == "Lenovo ThinkPad L14 Gen 3"


def test_warranty_without_stock_offers_refund_only(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    order = deliver_all(reserve(eligible, buyer, {"BT-LT-X1-N": 1}), agent, clock)
    Product.objects.filter(sku="BT-LT-X1-N").update(stock=0)  # nothing scores as high as the X1 is left
    clock.today += timedelta(days=100)
    with tenant_scope(eligible):
        with pytest.raises(Conflict) as caught:
            services.warranty_claim(actor=buyer, order=order, position=1, description="Dead", remedy="replacement")
        assert caught.value.code == "no_replacement_in_stock"
        claim = services.warranty_claim(actor=buyer, order=order, position=1, description="Dead", remedy="refund")
        services.claim_resolve(actor=agent, claim=claim)
        refund = Refund.objects.get()
    assert (refund.reason, refund.amount) == ("warranty", Decimal("834.00"))


@pytest.mark.parametrize(("months", "extra_days", "allowed"), [(12, 0, True), (12, 1, False)])
def test_warranty_month_12(
    eligible: Organisation,
    buyer: User,
    agent: User,
    catalogue: dict,
    clock: Clock,
    months: int,
    extra_days: int,
    allowed: bool,
) -> None:
    order = deliver_all(reserve(eligible, buyer, {"BT-PH-A54-N": 1}), agent, clock)
    clock.today = rules.warranty_end(clock.today) + timedelta(days=extra_days)
    with tenant_scope(eligible):
        if allowed:
            services.warranty_claim(actor=buyer, order=order, position=1, description="Battery", remedy="refund")
        else:
            with pytest.raises(Conflict) as caught:
                services.warranty_claim(actor=buyer, order=order, position=1, description="Battery", remedy="refund")
            assert caught.value.code == "warranty_expired"


def test_every_step_is_audited(eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock) -> None:
    deliver_all(reserve(eligible, buyer, {"BT-PH-A54-N": 1}), agent, clock)
    actions = set(AuditEvent.objects.filter(action__startswith="buytech.").values_list("action", flat=True))
    assert {
        "buytech.order_reserved",
        "buytech.order_confirmed",
        "buytech.payment_recorded",
        "buytech.shipment_dispatched",
        "buytech.shipment_delivered",
    } <= actions
    assert Attestation.objects.model is Attestation and BuyTechOrder.objects.model is BuyTechOrder


def test_cancelling_the_last_awaited_item_completes_the_delivery(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    order = reserve(eligible, buyer, {"BT-LT-T14-N": 1, "BT-PH-A54-N": 1})
    with tenant_scope(eligible):
        order = services.order_confirm(actor=agent, order=forward(order, agent))
        sign_agreements(order)
        order.refresh_from_db()
        order = services.order_record_payment(actor=agent, order=order, amount=Decimal("698.00"))
        shipment = services.shipment_create(
            actor=agent, order=order, positions=[1], carrier="bpost", tracking_number=BPOST
        )
        services.shipment_deliver(actor=agent, shipment=shipment)
        order.refresh_from_db()
        assert order.status == OrderStatus.SHIPPED  # the phone is still awaited
        order = services.order_cancel(actor=buyer, order=order, positions=[2])
    assert order.status == OrderStatus.DELIVERED and order.delivered_on == clock.today
    assert Product.objects.get(sku="BT-PH-A54-N").stock == 50


def test_every_email_renders_in_french_and_romanian(
    eligible: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    from guichet.core.notifications.rendering import render

    order = deliver_all(reserve(eligible, buyer, {"BT-LT-T14-N": 2, "BT-PH-A54-N": 1}), agent, clock)
    with tenant_scope(eligible):
        services.order_cancel(actor=buyer, order=order, positions=[3])
        clock.today += timedelta(days=20)
        item = services.return_request(actor=buyer, order=order, positions=[2], reason="Plus nécessaire")
        services.return_decide(actor=agent, item=item, accept=True, text="Dépôt de Bruxelles")
        services.return_receive(actor=agent, item=item)
        claim = services.warranty_claim(actor=buyer, order=order, position=1, description="Écran", remedy="replacement")
        services.claim_resolve(actor=agent, claim=claim)
        other = reserve(eligible, buyer, {"BT-LT-L14-U": 1})
        services.line_substitute(actor=agent, order=other, position=1, sku="BT-LT-EB-U", note="Don modifié")
        other = services.order_confirm(actor=agent, order=forward(other, agent))
        services.order_record_payment(actor=agent, order=other, amount=services.order_price(other))
        services.order_vendor_cancel(actor=agent, order=other, reason="Don retiré")
    messages = list(OutboxMessage.objects.filter(template__startswith="buytech_"))
    assert {m.template for m in messages} >= {
        "buytech_order_reserved",
        "buytech_fee_received",
        "buytech_order_confirmed",
        "buytech_payment_received",
        "buytech_shipment_dispatched",
        "buytech_shipment_delivered",
        "buytech_substitution",
        "buytech_cancelled",
        "buytech_vendor_cancelled",
        "buytech_return_requested",
        "buytech_return_decided",
        "buytech_refunded",
        "buytech_warranty_claimed",
        "buytech_claim_resolved",
    }
    for message in messages:
        for language in ("fr", "nl", "ro", "en"):
            message.language = language
            email = render(message)
            assert message.context["number"] in email.subject
            assert message.context["number"] in email.body and "{{" not in email.body and "{%" not in email.body


def test_a_flemish_vzw_gets_its_agreements_titled_in_dutch(
    nonprofit: Organisation, buyer: User, agent: User, catalogue: dict, clock: Clock
) -> None:
    Organisation.objects.filter(pk=nonprofit.pk).update(language="nl")
    nonprofit.refresh_from_db()
    make_eligible(nonprofit, buyer)
    order = reserve(nonprofit, buyer, {"BT-LT-T14-N": 1})
    with tenant_scope(nonprofit):
        order = services.order_confirm(actor=agent, order=forward(order, agent))
    assert order.relationship_agreement.title == "Overeenkomst voor de klantrelatie"
    assert order.devices_agreement.title == "Overeenkomst voor de verkoop van toestellen van andere merken"
