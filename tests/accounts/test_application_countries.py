"""Buy Tech is Belgian only (issue 14, item 2): a Canadian or Romanian organisation never sees it.

The vendor's Buy Tech FAQ: "currently available only to Belgian organisations". Outside Belgium
the application is in no menu, tile, access list, team page or form, a grant opens nothing, and
every Buy Tech page and API endpoint answers 404, like a page that does not exist.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.accounts import services
from guichet.accounts.models import AccessRequest, ApiToken, Application
from guichet.core.errors import DomainError
from guichet.core.tenancy import across_organisations
from tests.accounts.factories import OrganisationFactory, grant_all, make_member

pytestmark = pytest.mark.django_db

BUYTECH_PAGES = ["buytech:home", "buytech:catalogue", "buytech:cart"]
BUYTECH_API = ["buytech/eligibility", "buytech/products", "buytech/orders"]


@pytest.fixture(params=["CA", "RO"])
def foreign_admin(request):  # type: ignore[no-untyped-def]
    organisation = OrganisationFactory(country=request.param, is_nonprofit=True, partner_id="SW-1")
    user = make_member(organisation, role="admin", email=f"admin-{request.param.lower()}@example.com")
    grant_all(user, organisation)  # even a stray grant row for Buy Tech opens nothing
    return user


def test_no_menu_tile_access_row_or_team_column_outside_belgium(client, foreign_admin) -> None:  # type: ignore[no-untyped-def]
    client.force_login(foreign_admin)
    buytech_url = reverse("buytech:home")
    for name in ("portal:home", "portal:access", "portal:team", "help:home", "help:contact"):
        page = client.get(reverse(name)).content.decode()
        assert buytech_url not in page and "Buy Tech" not in page, name
    form = client.get(reverse("portal:access")).context["form"]
    assert "buytech" not in dict(form.fields["application"].choices)


def test_belgium_keeps_buy_tech(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    assert reverse("buytech:home") in client.get(reverse("portal:home")).content.decode()
    assert "buytech" in dict(client.get(reverse("portal:access")).context["form"].fields["application"].choices)


def test_every_buy_tech_page_and_endpoint_is_a_404_outside_belgium(client, foreign_admin) -> None:  # type: ignore[no-untyped-def]
    client.force_login(foreign_admin)
    for name in BUYTECH_PAGES:
        assert client.get(reverse(name)).status_code == 404, name
    assert client.post(reverse("buytech:attest"), {"confirm": "on"}).status_code == 404
    assert client.get(reverse("portal:application", kwargs={"application": "buytech"})).status_code == 404
    headers = {"Authorization": f"Bearer {ApiToken.issue(foreign_admin)}"}
    for path in BUYTECH_API:
        response = client.get(f"/api/v1/{path}", headers=headers)
        assert response.status_code == 404 and response.json()["code"] == "not_found", path
    me = client.get("/api/v1/me", headers=headers).json()
    assert "buytech" not in me["applications"] and "requests" in me["applications"]


def test_buy_tech_cannot_be_asked_for_or_granted_outside_belgium(client, foreign_admin) -> None:  # type: ignore[no-untyped-def]
    organisation = foreign_admin.memberships.get().organisation
    client.force_login(foreign_admin)
    refused = client.post(reverse("portal:access"), {"application": "buytech"})
    assert refused.status_code == 400
    with across_organisations():
        assert not AccessRequest.objects.filter(application="buytech").exists()
    colleague = make_member(organisation, email=f"colleague-{organisation.country}@example.com")
    with pytest.raises(DomainError) as unknown:
        services.application_grant(
            actor=foreign_admin, organisation=organisation, user=colleague, application="buytech", request=None
        )
    assert unknown.value.code == "unknown_application"
    with pytest.raises(DomainError):
        services.access_request_create(
            actor=colleague, organisation=organisation, application=Application.BUYTECH, request=None
        )
