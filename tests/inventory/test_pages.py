"""My inventory pages and the console, in en/fr/ro: coverage shown, look-up, actions end to end."""

from __future__ import annotations

from datetime import timedelta

import pytest

from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.inventory.models import Machine, Relocation, RepairRequest, SiteChange, Transfer
from tests.inventory.conftest import cover, make_machine, today, url

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "fr", "nl", "ro"]


@pytest.fixture
def machines(org_a):  # type: ignore[no-untyped-def]
    contract = make_machine(org_a, "78AB001")
    cover(contract, end_date=today() + timedelta(days=200))
    warranty = make_machine(org_a, "78AB002", warranty_end=today() + timedelta(days=30))
    uncovered = make_machine(org_a, "78AB003")
    return contract, warranty, uncovered


@pytest.mark.parametrize("language", LANGUAGES)
def test_list_shows_every_machine_with_its_coverage(client, customer_a, machines, language) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    response = client.get(url("inventory:list", language))
    assert response.status_code == 200
    states = [row.state for row in response.context["rows"]]
    assert states == ["contract", "warranty", "none"]
    page = response.content.decode()
    assert "78AB001" in page and 'data-testid="lookup-form"' in page


def test_list_filters_by_coverage(client, customer_a, machines) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    response = client.get(url("inventory:list"), {"coverage": "warranty"})
    assert [row.serial for row in response.context["rows"]] == ["78AB002"]
    response = client.get(url("inventory:list"), {"q": "78AB003"})
    assert [row.serial for row in response.context["rows"]] == ["78AB003"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_lookup_by_serial_or_type_and_serial(client, customer_a, machines, language) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    response = client.get(url("inventory:lookup", language), {"serial": "78ab001"})
    assert response.status_code == 200 and response.context["coverage"].state == "contract"
    assert "BE-HW-2024-0001" in response.content.decode()
    response = client.get(url("inventory:lookup", language), {"machine_type": "8286", "serial": "78AB002"})
    assert response.context["coverage"].state == "warranty"
    wrong = response.context["wrong_url"]
    assert (
        "type=inventory" in wrong
        and "machine_type=8286" in wrong
        and "machine_model=42A" in wrong
        and "serial=78AB002" in wrong
    )


def test_lookup_of_an_unknown_or_foreign_serial_says_not_found(client, customer_a, customer_b, org_b, machines) -> None:  # type: ignore[no-untyped-def]
    make_machine(org_b, "78RO999")
    client.force_login(customer_a)
    response = client.get(url("inventory:lookup"), {"serial": "78RO999"})
    assert response.context["not_found"] and "coverage" not in response.context
    assert client.get(url("inventory:lookup"), {"serial": "x!"}).status_code == 400


def test_lookup_htmx_returns_the_fragment(client, customer_a, machines) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    response = client.get(url("inventory:lookup"), {"serial": "78AB003"}, headers={"HX-Request": "true"})
    assert b"<html" not in response.content and b'data-state="none"' in response.content


@pytest.mark.parametrize("language", LANGUAGES)
def test_detail_shows_coverage_actions_and_help_pointers(client, customer_a, machines, language) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    page = client.get(url("inventory:detail", language, serial="78AB001", query="type=8286")).content.decode()
    for slug in ("software-keys", "download-entitled-software", "recycle-product", "appliance-support"):
        assert f"/help/{slug}/" in page or slug in page
    assert 'data-testid="looks-wrong"' in page and "support" in page


def test_foreign_machine_is_404(client, customer_b, machines) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_b)
    assert client.get(url("inventory:detail", serial="78AB001")).status_code == 404
    assert client.get(url("inventory:detail", serial="NOSUCH1")).status_code == 404


def test_edit_site_is_audited(client, customer_a, org_a, machines) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    data = {
        "site_name": "Annex", "site_street": "Rue Neuve 2", "site_postcode": "5000", "site_city": "Namur",
        "contact_name": "Zoé", "contact_phone": "+3281000000", "contact_email": "zoe@example.com",
    }  # fmt: skip
    response = client.post(url("inventory:edit", serial="78AB001", query="type=8286"), data)
    assert response.status_code == 303
    with tenant_scope(org_a):
        assert Machine.objects.get(serial="78AB001").site_city == "Namur"
        assert SiteChange.objects.get().changes["site_city"] == ["Bruxelles", "Namur"]
    bad = client.post(url("inventory:edit", serial="78AB001"), {**data, "contact_email": "nope"})
    assert bad.status_code == 400


@pytest.mark.parametrize("language", LANGUAGES)
def test_repair_on_a_covered_machine_proposes_a_visit(client, customer_a, org_a, machines, language) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    form = client.get(url("inventory:repair_new", language, serial="78AB001"))
    assert b"accept_billing" not in form.content
    response = client.post(
        url("inventory:repair_new", language, serial="78AB001"), {"kind": "hardware", "description": "Fan noise"}
    )
    assert response.status_code == 303
    with tenant_scope(org_a):
        repair = RepairRequest.objects.get()
    assert repair.handling == "onsite" and repair.slot_start is not None
    page = client.get(response["Location"]).content.decode()
    assert repair.number in page and 'data-testid="slot"' in page


def test_billed_acceptance_cannot_be_skipped_on_the_page(client, customer_a, org_a, machines) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    target = url("inventory:repair_new", serial="78AB003")
    assert b'name="accept_billing"' in client.get(target).content
    refused = client.post(target, {"kind": "hardware", "description": "Dead"})
    assert refused.status_code == 400
    with tenant_scope(org_a):
        assert not RepairRequest.objects.exists()
    accepted = client.post(target, {"kind": "hardware", "description": "Dead", "accept_billing": "on"})
    assert accepted.status_code == 303
    with tenant_scope(org_a):
        repair = RepairRequest.objects.get()
    assert repair.billing_accepted_by == customer_a
    page = client.get(accepted["Location"]).content.decode()
    assert 'data-testid="billing-accepted"' in page and 'data-testid="mail-in"' in page


def test_mail_in_label_is_a_pdf_with_the_number(client, customer_a, org_a, machines) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    client.force_login(customer_a)
    client.post(url("inventory:repair_new", serial="78AB002"), {"kind": "software", "description": "Boot"})
    with tenant_scope(org_a):
        repair = RepairRequest.objects.get()
    response = client.get(url("inventory:repair_label", number=repair.number))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=response.content, capture_output=True, check=True
    ).stdout.decode()
    assert repair.number in text and "78AB002" in text
    # The sender is the site, in full; the seeds give no repair depot, so none is invented (not the
    # written-notice address either); who pays the shipment is said as on the page.
    assert "Rue Haute 1" in text and "1000 Bruxelles" in text and "Belgi" in text
    assert "Avenue du Bourget" not in text and "paid by us" in text.replace("\n", " ")
    from guichet.core.models import SupportCentre

    SupportCentre.objects.filter(country="BE").update(repair_depot_address="Depot\nRue du Dépôt 9\n1000 Bruxelles")
    from django.core.cache import cache

    from guichet.core.countries import forget_centres

    cache.clear()
    forget_centres()  # an edit past the model's signals: the cache and this process's copies dropped by hand
    again = client.get(url("inventory:repair_label", number=repair.number)).content
    text = subprocess.run(["pdftotext", "-", "-"], input=again, capture_output=True, check=True).stdout.decode()
    assert "Rue du Dépôt 9" in text


def test_mail_in_label_in_dutch(client, customer_a, org_a, machines) -> None:  # type: ignore[no-untyped-def]
    from tests.tools import pdftotext

    client.force_login(customer_a)
    client.post(url("inventory:repair_new", serial="78AB002"), {"kind": "software", "description": "Start niet"})
    with tenant_scope(org_a):
        repair = RepairRequest.objects.get()
    response = client.get(url("inventory:repair_label", "nl", number=repair.number))
    text = " ".join(pdftotext(response.content).split())
    assert "Verzendlabel" in text and "Herstellingscentrum" in text and repair.number in text, text


def test_transfer_page_reports_the_last_charged_day(client, customer_a, org_a, machines) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    response = client.post(
        url("inventory:transfer_new", serial="78AB001"),
        {"kind": "sale", "leaves_on": today().isoformat(), "reason": "Sold", "buyer": "Acme SA"},
    )
    assert response.status_code == 303
    with tenant_scope(org_a):
        assert Transfer.objects.get().buyer == "Acme SA"
    no_buyer = client.post(
        url("inventory:transfer_new", serial="78AB002"),
        {"kind": "sale", "leaves_on": today().isoformat(), "reason": "Sold"},
    )
    assert no_buyer.status_code == 400


def test_relocation_page_and_status(client, customer_a, org_a, machines) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    data = {
        "from_country": "BE", "from_address": "Rue Haute 1", "to_country": "RO", "to_address": "Strada 1",
        "desired_date": (today() + timedelta(days=60)).isoformat(),
    }  # fmt: skip
    response = client.post(url("inventory:relocation_new", serial="78AB001"), data)
    assert response.status_code == 303
    with tenant_scope(org_a):
        relocation = Relocation.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert 'data-status="submitted"' in page
    same = client.post(url("inventory:relocation_new", serial="78AB001"), {**data, "to_country": "BE"})
    assert same.status_code == 400
    assert relocation.number in page


# --- console ---------------------------------------------------------------------------------------


def test_console_lists_and_acts(client, customer_a, agent_be, org_a, machines) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    client.post(url("inventory:repair_new", serial="78AB001"), {"kind": "hardware", "description": "x"})
    client.post(
        url("inventory:transfer_new", serial="78AB002"),
        {"kind": "lease_return", "leaves_on": today().isoformat(), "reason": "Lease end"},
    )
    client.force_login(agent_be)
    home = client.get(url("inventory_console:home"))
    assert len(home.context["repairs"]) == 1 and len(home.context["transfers"]) == 1
    with across_organisations():
        repair = RepairRequest.objects.get()
        transfer = Transfer.objects.get()
    assert client.get(url("inventory_console:repair", number=repair.number)).status_code == 200
    assert client.post(url("inventory_console:repair_dispatch", number=repair.number)).status_code == 303
    assert client.get(url("inventory_console:transfer", number=transfer.number)).status_code == 200
    assert client.post(url("inventory_console:transfer_confirm", number=transfer.number)).status_code == 303
    with across_organisations():
        repair.refresh_from_db()
        transfer.refresh_from_db()
    assert repair.status == "dispatched" and transfer.status == "done"


def test_console_relocation_workflow(client, customer_a, agent_be, org_a, machines) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    client.post(
        url("inventory:relocation_new", serial="78AB001"),
        {"from_country": "BE", "from_address": "a", "to_country": "CA", "to_address": "b",
         "desired_date": (today() + timedelta(days=60)).isoformat()},
    )  # fmt: skip
    with across_organisations():
        number = Relocation.objects.get().number
    client.force_login(agent_be)
    assert client.post(url("inventory_console:relocation_assign", number=number), {"assignee": "me"}).status_code == 303
    client.post(url("inventory_console:relocation_decide", number=number), {"decision": "approve"})
    client.post(url("inventory_console:relocation_carry_out", number=number))
    with across_organisations():
        assert Relocation.objects.get().status == "carried_out"


def test_console_is_for_staff(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    assert client.get(url("inventory_console:home")).status_code == 403
