"""An identity is enough to ask a question (issue 14, item 5).

The vendor's FAQ: with your ID you can ask your questions in a secure environment. A member
without the "requests" grant sends a general question from the contact page (or My requests),
gets the confirmation e-mail, and follows it; they see only the questions they sent, and every
other request type keeps its grant, on the pages and in the API.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from guichet.accounts.models import ApiToken
from guichet.core.models import OutboxMessage
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.support import services
from guichet.support.models import Request

pytestmark = pytest.mark.django_db


def _colleague_request(org_a, customer_a) -> Request:  # type: ignore[no-untyped-def]
    with tenant_scope(org_a):
        return services.request_submit(
            actor=customer_a,
            organisation=org_a,
            type="general",
            subject="Question of a colleague",
            description="Not for the member without the grant.",
            details={},
            priority="normal",
            contact={"name": "A", "email": customer_a.email, "phone": ""},
        )


def test_the_contact_page_offers_the_question_form_to_anyone_signed_in(client, customer_no_grant) -> None:  # type: ignore[no-untyped-def]
    anonymous = client.get(reverse("help:contact")).content.decode()
    assert 'data-testid="question-form"' not in anonymous and reverse("account_login") in anonymous
    client.force_login(customer_no_grant)
    page = client.get(reverse("help:contact")).content.decode()
    assert 'data-testid="question-form"' in page and f'value="{customer_no_grant.email}"' in page


def test_a_member_without_the_grant_asks_a_question_and_follows_it(
    client, django_capture_on_commit_callbacks, org_a, customer_a, customer_no_grant
) -> None:  # type: ignore[no-untyped-def]
    colleague = _colleague_request(org_a, customer_a)
    client.force_login(customer_no_grant)
    with django_capture_on_commit_callbacks(execute=False):
        sent = client.post(
            reverse("support:request_new") + "?type=general",
            {
                "type": "general",
                "subject": "Where is our contract?",
                "description": "We cannot find our maintenance contract.",
                "priority": "normal",
                "contact_name": "No Grant",
                "contact_email": customer_no_grant.email,
            },
        )
    assert sent.status_code == 302
    with across_organisations():
        question = Request.objects.get(requester=customer_no_grant)
    assert question.type == "general" and sent["Location"] == reverse("support:detail", args=[question.number])
    confirmation = OutboxMessage.objects.get(to=customer_no_grant.email, thread_key=question.number)
    assert confirmation.template == "request_received"
    # Follows it: the list holds their own questions only, the detail opens, they can reply.
    listing = client.get(reverse("support:list")).content.decode()
    assert question.number in listing and colleague.number not in listing and 'data-testid="questions-only"' in listing
    assert client.get(reverse("support:detail", args=[question.number])).status_code == 200
    replied = client.post(reverse("support:reply", args=[question.number]), {"body": "Any news?"})
    assert replied.status_code == 303
    # A colleague's request is as missing as a number that does not exist.
    assert client.get(reverse("support:detail", args=[colleague.number])).status_code == 404


def test_other_request_types_keep_their_grant(client, customer_no_grant) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_no_grant)
    assert client.get(reverse("support:request_new"), {"type": "contracts"}).status_code == 403
    refused = client.post(
        reverse("support:request_new"),
        {"type": "invoices", "subject": "x", "description": "y", "priority": "normal", "invoice_number": "BE-1"},
    )
    assert refused.status_code == 403
    with across_organisations():
        assert not Request.objects.filter(requester=customer_no_grant).exists()
    # Without a type, no choice to make: the question form.
    assert client.get(reverse("support:request_new")).context["request_type"] == "general"


def test_the_api_lets_an_identity_ask_and_follow_questions_only(client, org_a, customer_a, customer_no_grant) -> None:  # type: ignore[no-untyped-def]
    colleague = _colleague_request(org_a, customer_a)
    headers = {"Authorization": f"Bearer {ApiToken.issue(customer_no_grant)}"}
    created = client.post(
        "/api/v1/requests",
        {"type": "general", "subject": "A question", "description": "Asked through the API."},
        content_type="application/json",
        headers=headers,
    )
    assert created.status_code == 201
    number = created.json()["number"]
    listed = client.get("/api/v1/requests", headers=headers).json()
    assert [item["number"] for item in listed["items"]] == [number]
    assert client.get(f"/api/v1/requests/{number}", headers=headers).status_code == 200
    assert client.get(f"/api/v1/requests/{colleague.number}", headers=headers).status_code == 404
    refused = client.post(
        "/api/v1/requests",
        {"type": "contracts", "subject": "x", "description": "y", "details": {"contract_number": "BE-1"}},
        content_type="application/json",
        headers=headers,
    )
    assert refused.status_code == 403 and refused.json()["code"] == "application_not_granted"
