"""Customer pages of My requests: list, typed forms, files, tenancy, and the customer's side of the life cycle."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from guichet.core.models import OutboxMessage
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.support import services
from guichet.support.forms import RequestForm
from guichet.support.models import Attachment, Comment, Request, Status
from tests.support.conftest import PDF, url

pytestmark = pytest.mark.django_db


def count_requests() -> int:
    with across_organisations():
        return Request.objects.count()


def valid_post(request_type: str = "general", **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {
        "type": request_type,
        "subject": "Toner order not delivered",
        "description": "The toner ordered last week has not arrived.",
        "priority": "normal",
        "contact_name": "Jeanne Martin",
        "contact_email": "jeanne@example.com",
        "contact_phone": "02 555 12 34",
    }
    data.update(overrides)
    return data


# --- list -------------------------------------------------------------------------------------


def test_list_shows_the_organisations_requests_with_status_filter_and_search(  # type: ignore[no-untyped-def]
    client, org_a, customer_a, agent_be, make_request
) -> None:
    first = make_request(org_a, customer_a, subject="Copie de facture")
    second = make_request(org_a, customer_a, subject="Livraison de toner", type="orders", details={})
    with tenant_scope(org_a):
        services.agent_comment(actor=agent_be, request=second, body="Livré", then=Status.RESOLVED)
    client.force_login(customer_a)

    page = client.get(url("support:list")).content.decode()
    assert first.number in page and second.number in page
    assert "Copie de facture" in page and "Resolved" in page and "<caption" in page
    assert 'scope="col"' in page and url("support:request_new") in page

    open_only = client.get(url("support:list"), {"status": "open"})
    assert [r.number for r in open_only.context["page"]] == [first.number]
    resolved = client.get(url("support:list"), {"status": "resolved"})
    assert [r.number for r in resolved.context["page"]] == [second.number]

    found = client.get(url("support:list"), {"q": "toner"})
    assert [r.number for r in found.context["page"]] == [second.number]
    by_number = client.get(url("support:list"), {"q": first.number})
    assert [r.number for r in by_number.context["page"]] == [first.number]
    nothing = client.get(url("support:list"), {"q": "qqqzzz"}).content.decode()
    assert 'data-testid="empty-state"' in nothing and "No request matches these filters." in nothing


def test_list_search_finds_a_number_or_words_of_the_title(client, org_a, customer_a, make_request) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a, subject="Bon de commande PO-7731")
    other = make_request(org_a, customer_a, subject="Autre chose")
    client.force_login(customer_a)
    found = client.get(url("support:list"), {"q": "po-7731 bon"})
    assert [r.number for r in found.context["page"]] == [item.number]
    by_number = client.get(url("support:list"), {"q": other.number})
    assert [r.number for r in by_number.context["page"]] == [other.number]


def test_empty_list_invites_to_the_help_centre(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    page = client.get(url("support:list")).content.decode()
    assert 'data-testid="empty-state"' in page and url("help:home") in page


def test_list_is_paginated_and_keeps_the_filters(client, org_a, customer_a, make_request) -> None:  # type: ignore[no-untyped-def]
    for i in range(26):
        make_request(org_a, customer_a, subject=f"Demande {i}")
    client.force_login(customer_a)
    response = client.get(url("support:list"), {"status": "active"})
    assert len(response.context["page"]) == 25
    following = response.context["page"].next
    html = response.content.decode()
    assert 'rel="next"' in html and "?status=active&amp;cursor=" in html
    rest = client.get(url("support:list"), {"status": "active", "cursor": following})
    assert len(rest.context["page"]) == 1 and rest.context["page"].next is None
    # An old page-numbered link (before keyset paging) still opens the list, from its start.
    assert len(client.get(url("support:list"), {"status": "active", "page": 2}).context["page"]) == 25


def test_customer_without_the_requests_grant_may_only_ask_questions(client, customer_no_grant) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_no_grant)
    assert client.get(url("support:list")).status_code == 200
    assert client.get(url("support:request_new")).context["request_type"] == "general"
    assert client.get(url("support:request_new") + "?type=orders").status_code == 403


# --- new request ----------------------------------------------------------------------------


def test_type_chooser_lists_every_type_as_radios(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    response = client.get(url("support:request_new"))
    page = response.content.decode()
    assert response.status_code == 200
    for value in ("contracts", "orders", "inventory", "invoices", "account", "general"):
        assert f'type="radio" name="type" id="type-{value}" value="{value}"' in page
    assert 'method="get"' in page and "<legend" in page
    # An unknown type falls back to the chooser.
    assert client.get(url("support:request_new"), {"type": "nonsense"}).templates[0].name == "support/choose_type.html"


def test_form_is_prefilled_from_the_profile_and_asks_the_help_centre(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    response = client.get(url("support:request_new"), {"type": "invoices", "invoice_number": "INV-9"})
    form = response.context["form"]
    assert form["contact_name"].value() == customer_a.get_full_name()
    assert form["contact_email"].value() == customer_a.email
    assert form["contact_phone"].value() == customer_a.phone
    assert form["invoice_number"].value() == "INV-9"
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="type" value="invoices"' in page
    assert f'hx-get="{url("help:suggest")}"' in page and 'hx-target="#suggestions"' in page
    assert page.count('hx-trigger="input changed delay:400ms"') == 2
    assert '<div id="suggestions" aria-live="polite"' in page
    assert f'value="{customer_a.email}"' in page


@pytest.mark.parametrize(
    ("request_type", "bad", "good"),
    [
        ("contracts", {"contract_number": "C?1"}, {"contract_number": "CT-2024-0001"}),
        ("orders", {"order_number": "x"}, {"order_number": "ORD-5531"}),
        ("inventory", {"machine_type": "82861", "serial": "78ABC12"}, {"machine_type": "8286", "serial": "78ABC12"}),
        ("inventory", {"machine_type": "8286", "serial": "7"}, {"machine_type": "8286", "serial": "78ABC12"}),
        (
            "inventory",
            {"machine_type": "8286", "serial": "78ABC12", "machine_model": "41"},
            {"machine_type": "8286", "serial": "78ABC12", "machine_model": "41A"},
        ),
        ("invoices", {"invoice_number": "INV 1"}, {"invoice_number": "INV-1"}),
        ("account", {"application": "nope"}, {"application": "invoices"}),
        ("general", {"subject": ""}, {}),
    ],
)
def test_each_type_validates_its_own_fields(client, customer_a, request_type, bad, good) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    refused = client.post(url("support:request_new"), valid_post(request_type, **bad))
    assert refused.status_code == 400
    assert refused.context["form"].errors
    assert 'data-testid="form-errors"' in refused.content.decode()
    assert count_requests() == 0

    accepted = client.post(url("support:request_new"), valid_post(request_type, **good))
    assert accepted.status_code == 302, accepted.context["form"].errors
    with tenant_scope(customer_a.memberships.get().organisation):
        created = Request.objects.get()
    assert created.type == request_type
    for name, value in good.items():
        if name != "subject":
            assert created.details[name] == value


def test_each_form_has_its_own_type_fields() -> None:
    """The type fields are built once per process (support/forms.py): what one form changes in its
    fields (the applications its country offers, a datalist) stays that form's."""
    romanian = RequestForm(request_type="account", country="RO")
    belgian = RequestForm(request_type="account", country="BE")
    assert "buytech" not in dict(romanian.fields["application"].choices)  # Buy Tech: Belgium only
    assert "buytech" in dict(belgian.fields["application"].choices)
    romanian.fields["application"].widget.attrs["list"] = "suggest-application"
    assert "list" not in RequestForm(request_type="account", country="RO").fields["application"].widget.attrs


def test_machine_type_must_have_four_characters(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    response = client.post(url("support:request_new"), valid_post("inventory", machine_type="828", serial="78ABC12"))
    assert response.status_code == 400
    assert response.context["form"].errors["machine_type"] == ["The machine type has 4 letters or digits."]
    assert count_requests() == 0


def test_submitting_creates_the_request_and_queues_the_confirmation(client, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    response = client.post(url("support:request_new", "fr"), valid_post("orders", order_number="ORD-5531"))
    with tenant_scope(org_a):
        created = Request.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("support:detail", "fr", number=created.number)
    assert created.contact_phone == "+3225551234"
    assert created.details == {"order_number": "ORD-5531"}
    assert OutboxMessage.objects.get().template == "request_received"
    page = client.get(response["Location"]).content.decode()
    assert created.number in page and "ORD-5531" in page and "jeanne@example.com" in page


def test_pdf_attachment_is_stored_and_downloaded_as_an_attachment(client, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    upload = SimpleUploadedFile("facture mars.pdf", PDF, content_type="application/pdf")
    response = client.post(
        url("support:request_new"), {**valid_post("invoices", invoice_number="INV-1"), "attachments": upload}
    )
    assert response.status_code == 302
    with tenant_scope(org_a):
        item = Request.objects.get()
        attachment = Attachment.objects.get(request=item)
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
    page = client.get(url("support:detail", number=item.number)).content.decode()
    download_url = url("support:attachment", number=item.number, pk=attachment.pk)
    assert download_url in page and "facture mars.pdf" in page

    download = client.get(download_url)
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment;")
    assert "facture" in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"
    assert "sandbox" in download["Content-Security-Policy"]
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "content"),
    [
        (
            "facture.pdf",
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00 This program cannot be run in DOS mode",
        ),
        ("scan.pdf", b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"),
    ],
)
def test_disguised_files_are_refused_with_a_translated_message(client, customer_a, name, content) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    response = client.post(url("support:request_new", "fr"), {**valid_post("general"), "attachments": upload})
    assert response.status_code == 400
    with translation.override("fr"):
        expected = translation.gettext("The file %(name)s is not a PDF, an image or an office document.") % {
            "name": name
        }
    assert response.context["form"].errors["attachments"] == [expected]
    assert expected in response.content.decode()
    # What was typed is kept for the next try.
    assert response.context["form"]["subject"].value() == "Toner order not delivered"
    assert count_requests() == 0


def test_reply_with_a_disguised_file_is_refused_and_nothing_is_added(client, org_a, customer_a, make_request) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a)
    client.force_login(customer_a)
    upload = SimpleUploadedFile("page.pdf", b"<html><body>hi</body></html>", content_type="application/pdf")
    response = client.post(
        url("support:reply", number=item.number), {"body": "See file", "attachments": upload}, follow=True
    )
    assert "is not a PDF, an image or an office document" in response.content.decode()
    with tenant_scope(org_a):
        assert not Comment.objects.filter(request=item).exists()


# --- tenancy ----------------------------------------------------------------------------------


def test_another_organisation_gets_404_for_request_and_attachment(
    client, org_a, customer_a, customer_b, make_request
) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a, files=[("facture.pdf", PDF)])
    with tenant_scope(org_a):
        attachment = Attachment.objects.get(request=item)
    client.force_login(customer_b)
    assert client.get(url("support:detail", number=item.number)).status_code == 404
    assert client.get(url("support:attachment", number=item.number, pk=attachment.pk)).status_code == 404
    for action in ("support:reply", "support:close", "support:reopen", "support:rate"):
        assert client.post(url(action, number=item.number), {"body": "x", "rating": "5"}).status_code == 404
    assert client.get(url("support:detail", number="BE-2000-999999")).status_code == 404
    item.refresh_from_db()
    assert item.status == Status.SUBMITTED


# --- the customer's side of the life cycle ----------------------------------------------------


def test_customer_reply_puts_a_waiting_request_back_in_progress(
    client, org_a, customer_a, agent_be, make_request
) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a)
    with tenant_scope(org_a):
        services.request_assign(actor=agent_be, request=item, assignee=agent_be)
        services.agent_comment(actor=agent_be, request=item, body="Which month?", then=Status.WAITING)
    client.force_login(customer_a)
    page = client.get(url("support:detail", number=item.number)).content.decode()
    assert "Waiting on you" in page and "Which month?" in page
    upload = SimpleUploadedFile("mars.pdf", PDF)
    response = client.post(url("support:reply", number=item.number), {"body": "March, please", "attachments": upload})
    assert response.status_code == 303
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS
    page = client.get(url("support:detail", number=item.number)).content.decode()
    assert "March, please" in page and "mars.pdf" in page
    # The assignee hears of it.
    assert OutboxMessage.objects.filter(template="request_customer_reply", to=agent_be.email).exists()


def test_empty_reply_is_refused_with_a_message(client, org_a, customer_a, make_request) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a)
    client.force_login(customer_a)
    response = client.post(url("support:reply", number=item.number), {"body": "  "}, follow=True)
    assert "Write a message or attach a file." in response.content.decode()


def test_resolve_rate_close_and_reopen(client, org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a)
    client.force_login(customer_a)
    detail = url("support:detail", number=item.number)
    page = client.get(detail).content.decode()
    assert 'data-testid="rating-form"' not in page and 'data-testid="reopen-form"' not in page
    assert 'data-testid="close-form"' in page and 'data-testid="reply-form"' in page
    # Rating before resolution is refused.
    client.post(url("support:rate", number=item.number), {"rating": "5"})
    item.refresh_from_db()
    assert item.rating is None

    with tenant_scope(org_a):
        services.agent_comment(actor=agent_be, request=item, body="Voici la copie.", then=Status.RESOLVED)
    page = client.get(detail).content.decode()
    assert 'id="rating"' in page and 'data-testid="rating-form"' in page and 'data-testid="reopen-form"' in page
    for value in range(1, 6):
        assert f'name="rating" id="rating-{value}" value="{value}"' in page

    refused = client.post(url("support:rate", number=item.number), {"rating": "6"}, follow=True)
    assert "Choose a rating from 1 to 5." in refused.content.decode()
    item.refresh_from_db()
    assert item.rating is None

    assert client.post(url("support:rate", number=item.number), {"rating": "4", "comment": "Rapide"}).status_code == 303
    item.refresh_from_db()
    assert (item.rating, item.rating_comment) == (4, "Rapide")
    page = client.get(detail).content.decode()
    assert 'data-testid="rating-form"' not in page and "You rated this request 4 out of 5." in page

    assert client.post(url("support:close", number=item.number)).status_code == 303
    item.refresh_from_db()
    assert item.status == Status.CLOSED
    page = client.get(detail).content.decode()
    assert 'data-testid="reply-form"' not in page and 'data-testid="close-form"' not in page
    assert 'data-testid="reopen-form"' in page

    client.post(url("support:reopen", number=item.number), {"reason": "La copie est illisible"})
    item.refresh_from_db()
    assert item.status == Status.IN_PROGRESS and item.closed_at is None
    page = client.get(detail).content.decode()
    assert "Request reopened" in page and "La copie est illisible" in page


def test_each_rating_from_one_to_five_is_accepted(client, org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    for rating in range(1, 6):
        item = make_request(org_a, customer_a)
        with tenant_scope(org_a):
            services.request_set_status(actor=agent_be, request=item, status=Status.RESOLVED)
        client.post(url("support:rate", number=item.number), {"rating": str(rating)})
        item.refresh_from_db()
        assert item.rating == rating
    for bad in ("0", "6", "five", ""):
        item = make_request(org_a, customer_a)
        with tenant_scope(org_a):
            services.request_set_status(actor=agent_be, request=item, status=Status.RESOLVED)
        client.post(url("support:rate", number=item.number), {"rating": bad})
        item.refresh_from_db()
        assert item.rating is None


def test_closed_request_cannot_be_reopened_after_the_window(client, org_a, customer_a, make_request) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a)
    client.force_login(customer_a)
    client.post(url("support:close", number=item.number))
    with across_organisations():
        Request.objects.filter(pk=item.pk).update(closed_at=timezone.now() - timedelta(days=15))
    page = client.get(url("support:detail", number=item.number)).content.decode()
    assert 'data-testid="reopen-form"' not in page
    response = client.post(url("support:reopen", number=item.number), follow=True)
    assert "can no longer be reopened" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Status.CLOSED


def test_internal_notes_never_reach_the_customer_page(client, org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a)
    with tenant_scope(org_a):
        services.agent_comment(
            actor=agent_be,
            request=item,
            body="Client difficile, vérifier le crédit",
            internal=True,
            files=[("internal-check.pdf", PDF)],
        )
        services.agent_comment(actor=agent_be, request=item, body="Nous regardons.")
        internal_file = Attachment.objects.get(request=item, internal=True)
    client.force_login(customer_a)
    page = client.get(url("support:detail", number=item.number)).content.decode()
    assert "Nous regardons." in page
    assert "Client difficile" not in page and "internal-check.pdf" not in page and "Internal note" not in page
    assert client.get(url("support:attachment", number=item.number, pk=internal_file.pk)).status_code == 404
