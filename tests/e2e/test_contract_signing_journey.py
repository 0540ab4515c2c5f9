"""Signing a contract in a real browser, in French: re-authenticate, read, accept, sign, download, verify.

The agent then countersigns in the console; the customer's download becomes the
file signed by both, and both signatures stay valid. Every page passes axe-core.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import expect

from guichet.accounts.models import User
from guichet.contracts.models import ContractStatus
from guichet.core.signing import verify_pdf
from guichet.core.tenancy import across_organisations
from tests.accounts.factories import PASSWORD, OrganisationFactory, make_agent
from tests.contracts.signing_support import make_contract, make_signatory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _site(settings, live_server, tmp_path) -> None:  # type: ignore[no-untyped-def]
    settings.SITE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"


def signed_in(new_context: Any, live_server: Any, user: User, *, phone: bool = False) -> Any:
    """A page carrying `user`'s session: signed in a while ago, not re-authenticated."""
    client = Client()
    client.force_login(user)
    context = new_context(accept_downloads=True, phone=phone)
    context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}])
    return context.new_page()


def test_sign_a_contract_in_french_then_download_it(  # type: ignore[no-untyped-def]
    new_context, live_server, axe_check, tmp_path
) -> None:
    organisation = OrganisationFactory(country="BE", language="fr", name="Atelier Solidaire ASBL")
    contract = make_contract(organisation)
    customer = make_signatory(
        organisation, role="admin", language="fr", email="marie@example.com", first_name="Marie", last_name="Dubois"
    )
    base = f"{live_server.url}/fr"

    # From the contract, "read and sign": the portal first asks for the password again.
    page = signed_in(new_context, live_server, customer)
    page.goto(f"{base}/contracts/{contract.number}/")
    page.locator("[data-testid=sign-link]").click()
    page.wait_for_url("**/accounts/reauthenticate/**")
    axe_check(page)
    page.fill("input[name=password]", PASSWORD)
    page.locator("input[name=password]").press("Enter")
    page.wait_for_url(f"**/fr/contracts/{contract.number}/sign/")

    # The terms, then the confirmation: refused without the box ticked, signed with it.
    assert contract.title in page.content()
    expect(page.locator("[data-testid=contract-pdf]")).to_be_visible()
    axe_check(page)
    page.locator("[data-testid=sign-form] button[type=submit]").click()
    expect(page.locator("#accept-terms-error")).to_be_visible()
    axe_check(page)
    page.locator("#id_accept_terms").check()
    page.locator("[data-testid=sign-form] button[type=submit]").click()
    page.locator("[data-testid=signed]").wait_for()
    assert "Marie Dubois" in page.locator("[data-testid=signature-list]").inner_text()
    axe_check(page)
    with across_organisations():
        contract.refresh_from_db()
    assert contract.status == ContractStatus.ACTIVE

    # The signed PDF downloads and verifies.
    with page.expect_download() as download_info:
        page.locator("[data-testid=signed-download]").click()
    download = download_info.value
    assert download.suggested_filename == f"{contract.number}-signed.pdf"
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    [report] = verify_pdf(path.read_bytes())
    assert report.ok and report.covers_whole_document and report.signer_name == "Marie Dubois"

    # An agent of Belgium countersigns; the customer's download is now signed by both.
    agent = make_agent("BE", language="fr", email="agent.sign@example.com")
    console = signed_in(new_context, live_server, agent)
    console.goto(f"{base}/console/contracts/{contract.number}/")
    axe_check(console)
    console.locator("[data-testid=countersign-form] button[type=submit]").click()
    console.locator("[data-testid=countersign-form]").wait_for(state="detached")
    expect(console.locator("[data-testid=signature-list] li")).to_have_count(2)
    axe_check(console)
    page.reload()
    expect(page.locator("[data-testid=signature-list] li")).to_have_count(2)
    with page.expect_download() as download_info:
        page.locator("[data-testid=signed-download]").click()
    both = tmp_path / "both.pdf"
    download_info.value.save_as(both)
    customer_signature, vendor_signature = verify_pdf(both.read_bytes())
    assert customer_signature.ok and customer_signature.modification_level == "form_filling"
    assert vendor_signature.ok and vendor_signature.covers_whole_document

    # The same page on a phone: one column, the download still there.
    phone = signed_in(new_context, live_server, customer, phone=True)
    phone.goto(f"{base}/contracts/{contract.number}/sign/")
    expect(phone.locator("[data-testid=signed-download]")).to_be_visible()
    axe_check(phone)
