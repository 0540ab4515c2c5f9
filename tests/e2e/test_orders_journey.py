"""An order in two parcels followed to delivery in a real browser, in Belgium, Romania and Québec,
while the carrier's webhook reports, with the e-mails at a real SMTP server; the tracking links open the
carrier's page."""

from __future__ import annotations

import json
import os
import time
import urllib.request
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from guichet.accounts.models import User
from guichet.core.tenancy import tenant_scope
from guichet.orders import services, webhook
from guichet.orders.models import Order, OrderLine
from tests.accounts.factories import OrganisationFactory, grant_all, make_agent, make_member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SECRET = "journey-secret"
PARCELS = {
    "BE": (("bpost", "323299900000000000990001"), ("ups", "1Z999AA10123456784")),
    "RO": (("fan_courier", "2150009900001"), ("sameday", "1ONBLN990000002")),
    "CA": (("canada_post", "7023210039414604"), ("purolator", "329001234567")),
}
GREETING = {"fr": "Bonjour", "ro": "Bună ziua", "en": "Hello"}
STAND_IN = "<title>Carrier</title>"
CARRIER_SITES = (
    "https://track.bpost.cloud/**",
    "https://www.ups.com/**",
    "https://www.fancourier.ro/**",
    "https://sameday.ro/**",
    "https://www.canadapost-postescanada.ca/**",
    "https://www.purolator.com/**",
)


@pytest.fixture(autouse=True)
def _site(settings, live_server) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = live_server.url
    settings.SHIPMENT_WEBHOOK_SECRETS = f"hub=bpost+ups+fan_courier+sameday+canada_post+purolator:{SECRET}"


def signed_in(context: Any, live_server: Any, user: User) -> Any:
    client = Client()
    client.force_login(user)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def report(live_server: Any, event_id: str, carrier: str, tracking: str, status: str, location: str) -> dict[str, Any]:
    """What the carrier integration does: a signed POST to the webhook, over real HTTP."""
    body = json.dumps(
        {
            "event_id": event_id,
            "carrier": carrier,
            "tracking_number": tracking,
            "status": status,
            "occurred_at": timezone.now().isoformat(),
            "location": location,
        }
    ).encode()
    stamp = int(time.time())
    request = urllib.request.Request(
        f"{live_server.url}/api/v1/shipments/events",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            webhook.TIMESTAMP_HEADER: str(stamp),
            webhook.SIGNATURE_HEADER: webhook.sign(SECRET, stamp, body),
        },
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.status == 200
        return json.loads(response.read())


@pytest.mark.parametrize(("language", "country"), [("fr", "BE"), ("ro", "RO"), ("en", "CA")])
def test_an_order_in_two_parcels_followed_to_delivery(  # type: ignore[no-untyped-def]
    new_context, live_server, smtp_sink, axe_check, language: str, country: str
) -> None:
    organisation = OrganisationFactory(country=country, language=language, province="QC" if country == "CA" else "")
    customer = make_member(organisation, role="admin", language=language, email=f"orders.{language}@example.com")
    grant_all(customer, organisation, ["orders", "requests"])
    (carrier_1, tracking_1), (carrier_2, tracking_2) = PARCELS[country]
    with tenant_scope(organisation):
        order = services.order_create(
            actor=customer,
            organisation=organisation,
            purchase_order="PO-2026-77",
            lines=[
                services.LineIn("7063-R04", "Serveur rack 2U", 1, Decimal("6450.00")),
                services.LineIn("00YK384", "SSD 960 Go", 6, Decimal("412.00")),
            ],
        )
        server, disks = OrderLine.objects.filter(order=order).order_by("position")
        services.shipment_add(
            actor=None, order=order, carrier=carrier_1, tracking_number=tracking_1, quantities={disks.pk: 6}
        )
    base = f"{live_server.url}/{language}"

    # An agent of the country finds the order and adds the second parcel from the console.
    console = signed_in(
        new_context(), live_server, make_agent(country, language=language, email=f"ag.{language}@example.com")
    )
    console.goto(f"{base}/console/orders/")
    axe_check(console)
    console.fill("main input[name=q]", order.number)
    console.locator("main form[role=search] button[type=submit]").click()
    console.locator(f"a:has-text('{order.number}')").click()
    axe_check(console)
    console.select_option("[data-testid=shipment-form] select[name=carrier]", carrier_2)
    console.fill("[data-testid=shipment-form] input[name=tracking_number]", "12345")  # not this carrier's format
    console.fill(f"[data-testid=shipment-form] input[name=line_{server.pk}]", "1")
    console.locator("[data-testid=shipment-form] button[type=submit]").click()
    expect(console.locator("[data-testid=shipment-form] .invalid-feedback")).to_have_count(1)
    axe_check(console)
    console.fill("[data-testid=shipment-form] input[name=tracking_number]", tracking_2.lower())
    console.locator("[data-testid=shipment-form] button[type=submit]").click()
    expect(console.locator(f"[data-testid=shipment][data-tracking='{tracking_2}']")).to_have_count(1)
    axe_check(console)

    # The customer finds the order in the list and opens it: two parcels, being prepared.
    context = new_context()
    for site in CARRIER_SITES:  # the carriers' sites are not ours to call from a test: stand-in pages
        context.route(site, lambda route: route.fulfill(status=200, content_type="text/html", body=STAND_IN))
    page = signed_in(context, live_server, customer)
    page.goto(f"{base}/orders/")
    axe_check(page)
    page.fill("main input[name=q]", "PO-2026-77")
    page.locator("[data-testid=order-filters] button[type=submit]").click()
    page.locator(f"a:has-text('{order.number}')").click()
    page.wait_for_url(f"**/orders/{order.number}/")  # count() does not wait for the click's navigation
    expect(page.locator("[data-testid=shipment]")).to_have_count(2)
    axe_check(page)

    # The carriers report; each change shows on the page and reaches the customer by e-mail.
    steps = [
        (carrier_1, tracking_1, "in_transit", "partially_shipped"),
        (carrier_1, tracking_1, "delivered", "partially_delivered"),
        (carrier_2, tracking_2, "in_transit", "partially_delivered"),
        (carrier_2, tracking_2, "out_for_delivery", "partially_delivered"),
        (carrier_2, tracking_2, "delivered", "delivered"),
    ]
    for index, (carrier, tracking, status, order_status) in enumerate(steps, start=1):
        answer = report(live_server, f"evt-{index}", carrier, tracking, status, "Hub")
        assert (answer["shipment_status"], answer["order_status"], answer["duplicate"]) == (status, order_status, False)
        mails = smtp_sink.wait_for(index)
        assert len(mails) == index and order.number in mails[-1]["Subject"]
        assert tracking in smtp_sink.text(mails[-1])
        if index == 2:
            page.reload()
            parcel = page.locator(f"[data-testid=shipment][data-tracking='{tracking_1}']")
            expect(parcel.locator("[data-testid=delivered-at] time")).to_have_count(1)
            axe_check(page)
    # The carrier sends the last event again: nothing changes, nobody is told twice.
    assert report(live_server, "evt-5", carrier_2, tracking_2, "delivered", "Hub")["duplicate"] is True
    time.sleep(0.5)
    assert len(smtp_sink.messages) == len(steps)
    assert all(m["To"] == customer.email for m in smtp_sink.messages)
    assert GREETING[language] in smtp_sink.text(smtp_sink.messages[0])

    page.reload()
    with tenant_scope(organisation):
        assert Order.objects.get(pk=order.pk).status == "delivered"
    assert page.locator("[data-testid=timeline] li").count() >= 1 + 2 + len(steps)
    chart = page.locator("[data-testid=timeline-chart] svg")
    assert chart.get_attribute("role") == "img" and chart.locator("circle").count() >= len(steps)
    axe_check(page)

    # The tracking link opens the carrier's page for that parcel, in a new tab.
    link = page.locator(f"[data-testid=shipment][data-tracking='{tracking_2}'] [data-testid=tracking-link]")
    href = link.get_attribute("href")
    assert href is not None and href.startswith("https://") and tracking_2 in href
    with context.expect_page() as opened:
        link.click()
    assert tracking_2 in opened.value.url

    # A question about the order goes to a request form already filled in.
    page.locator("[data-testid=order-question]").click()
    assert page.locator("input[name=order_number]").input_value() == order.number

    # On a phone the order page stays usable and accessible.
    phone = signed_in(new_context(phone=True), live_server, customer)
    phone.goto(f"{base}/orders/{order.number}/")
    expect(phone.locator("[data-testid=shipment]")).to_have_count(2)
    axe_check(phone)
    if os.environ.get("ORDERS_SCREENSHOTS"):
        page.goto(f"{base}/orders/{order.number}/")
        page.screenshot(path=f"/tmp/orders-{language}.png", full_page=True)
        phone.screenshot(path=f"/tmp/orders-{language}-phone.png", full_page=True)
    phone.goto(f"{base}/orders/")
    axe_check(phone)
