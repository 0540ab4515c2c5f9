"""Access requests in the case index: seen by the organisation's administrators only."""

from __future__ import annotations

import pytest
from django.utils import translation

from guichet.accounts import services
from guichet.accounts.models import Application
from guichet.core.models import Case
from guichet.core.tenancy import across_organisations, tenant_scope
from tests.accounts.factories import make_member

pytestmark = pytest.mark.django_db


def test_an_access_request_is_a_case_for_admins(client, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    member = make_member(org_a, email="newcomer@example.com")
    with tenant_scope(org_a):
        asked = services.access_request_create(actor=member, organisation=org_a, application="invoices", request=None)
    with across_organisations():
        case = Case.objects.get(kind="access_request", source_id=asked.pk)
    assert (case.status, case.waits_for, case.url_name) == ("open", "vendor", "portal:team")
    # The application by its name in the organisation's language (org_a is French), not its code.
    with translation.override("fr"):
        label = str(Application.INVOICES.label)
    assert case.title.endswith(f"· {label}") and label != "invoices"
    client.force_login(customer_a)  # an administrator
    assert case.number in client.get("/en/requests/").content.decode()
    client.force_login(member)  # not an administrator, granted nothing: not theirs to see here
    assert case.number not in client.get("/en/requests/").content.decode()
    with tenant_scope(org_a):
        services.access_request_decide(actor=customer_a, access_request=asked, grant=True, request=None)
    case.refresh_from_db()
    assert case.status == "resolved"
