"""Access matrix, My requests: the customers' pages and API, the agents' queue."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from guichet.accounts.models import Organisation, User
from guichet.core.tenancy import tenant_scope
from guichet.support import services as support_services
from guichet.support.models import Attachment, CannedReply, Request
from tests.security.matrix import (
    CREATED,
    CUSTOMER_PAGE,
    LOGIN,
    MISSING_PK,
    NF,
    NOT_FOUND,
    OK,
    STAFF_PAGE,
    UNAUTHORISED,
    Expect,
    F,
    Matrix,
    Probe,
    World,
    admin_pages,
    admin_read_only,
    missing_number,
    row,
)

# A 1x1 PNG: the smallest file the attachment checks accept.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f2b4d50000000049454e44ae426082"
)
NEW_REQUEST = {"type": "general", "subject": "A question", "description": "How do I read my statement?"}
TO_REQUEST = Expect(303, "support:detail", same_kwargs=True)
TO_QUEUE_ITEM = Expect(303, "support_console:detail", same_kwargs=True)
TO_QUEUE = Expect(303, "support_console:queue")


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


def _build(world: World) -> None:
    world.request = _submit(world.org_a, world.users["customer_a"], [("invoice.png", PNG)])
    with tenant_scope(world.org_a):
        world.attachment = Attachment.objects.get(request=world.request)
    world.request_b = _submit(world.org_b, world.users["customer_b"], [])
    CannedReply.objects.create(title="Matrix", language="en", body="Hello")


def number(w: World) -> dict[str, Any]:
    return {"number": w.request.number}


def attachment(w: World) -> dict[str, Any]:
    return {"number": w.request.number, "pk": w.attachment.pk}


# fmt: off
ENTRIES = {
    # support requests: customers with the "requests" application, their organisation's only.
    # Issue 14 (item 5): an identity is enough to ask a question, so a member without the grant opens
    # the list (their own questions) and the form (a general question); customer_a's request is a 404.
    #                              anonymous  cust_a     cust_b     no_grant   agent_ro   agent_be   administrator
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
    "support_console:canned":  row(LOGIN,     F,         F,         F,         NF,        OK,        OK,
                                   kwargs=number),
    "support_console:assign":  row(LOGIN,     F,         F,         F,         NF,        TO_QUEUE_ITEM, TO_QUEUE_ITEM,
                                   kwargs=number, method="post", data={"assignee": "me"}),
    "support_console:reply":   row(LOGIN,     F,         F,         F,         NF,        TO_QUEUE_ITEM, TO_QUEUE_ITEM,
                                   kwargs=number, method="post", data={"body": "We are on it."}),
    "support_console:status":  row(LOGIN,     F,         F,         F,         NF,        TO_QUEUE_ITEM, TO_QUEUE_ITEM,
                                   kwargs=number, method="post", data={"status": "in_progress"}),
    "support_console:attachment": row(LOGIN,  F,         F,         F,         NF,        OK,        OK,
                                   kwargs=attachment),
    # requests API: like the pages, customers with the grant, their organisation's requests only;
    # issue 14 (item 5): without the grant, one's own general questions (NEW_REQUEST is one)
    "api-1:list_requests":     row(UNAUTHORISED, OK,     OK,        OK,        F,         F,         F,  api=True),
    # The case index and the timeline: every member (each sees what their grants show; see tests/support/test_cases.py).
    "api-1:list_cases":        row(UNAUTHORISED, OK,     OK,        OK,        F,         F,         F,  api=True),
    "api-1:list_activity":     row(UNAUTHORISED, OK,     OK,        OK,        F,         F,         F,  api=True),
    "api-1:request_types":     row(UNAUTHORISED, OK,     OK,        F,         F,         F,         F,  api=True),
    "api-1:create_request":    row(UNAUTHORISED, CREATED, CREATED,  CREATED,   F,         F,         F,  api=True,
                                   method="post", data=NEW_REQUEST),
    "api-1:get_request":       row(UNAUTHORISED, OK,     NF,        NF,        F,         F,         F,  api=True,
                                   kwargs=number),
    "api-1:reply":             row(UNAUTHORISED, CREATED, NF,       NF,        F,         F,         F,  api=True,
                                   kwargs=number, method="post", data={"body": "Any news?"}),
    # Requests change only through the console, where the workflow rules and e-mails apply.
    **admin_read_only("support", "request"),
}
# fmt: on

PROBES = (
    Probe("support:detail", number, missing_number, {"customer_b": 404}, ("customer_a", OK)),
    Probe(
        "support:reply",
        number,
        missing_number,
        {"customer_b": 404},
        ("customer_a", TO_REQUEST),
        method="post",
        data={"body": "Hello"},
    ),
    Probe("support:close", number, missing_number, {"customer_b": 404}, ("customer_a", TO_REQUEST), method="post"),
    Probe("support:reopen", number, missing_number, {"customer_b": 404}, ("customer_a", TO_REQUEST), method="post"),
    Probe(
        "support:rate",
        number,
        missing_number,
        {"customer_b": 404},
        ("customer_a", TO_REQUEST),
        method="post",
        data={"rating": "5"},
    ),
    Probe(
        "support:attachment",
        attachment,
        lambda w: {"number": missing_number(w)["number"], "pk": w.attachment.pk},
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
    Probe("support_console:detail", number, missing_number, {"agent_ro": 404}, ("agent_be", OK)),
    Probe("support_console:canned", number, missing_number, {"agent_ro": 404}, ("agent_be", OK)),
    Probe(
        "support_console:assign",
        number,
        missing_number,
        {"agent_ro": 404},
        ("agent_be", TO_QUEUE_ITEM),
        method="post",
        data={"assignee": "me"},
    ),
    Probe(
        "support_console:reply",
        number,
        missing_number,
        {"agent_ro": 404},
        ("agent_be", TO_QUEUE_ITEM),
        method="post",
        data={"body": "On it."},
    ),
    Probe(
        "support_console:status",
        number,
        missing_number,
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
    Probe("api-1:get_request", number, missing_number, {"customer_b": 404}, ("customer_a", OK), api=True),
    Probe(
        "api-1:reply",
        number,
        missing_number,
        {"customer_b": 404},
        ("customer_a", CREATED),
        method="post",
        data={"body": "Hello"},
        api=True,
    ),
)

MATRIX = Matrix(
    ENTRIES,
    groups=admin_pages("support"),
    probes=PROBES,
    post_only=(
        "support:reply",
        "support:close",
        "support:reopen",
        "support:rate",
        "support_console:bulk",
        "support_console:assign",
        "support_console:reply",
        "support_console:status",
        "api-1:reply",
    ),
    build=_build,
    object_urls=(number, attachment),
)
# This module's tests: test_access, test_actions_refuse_get, test_foreign_objects_answer_like_missing_ones.
globals().update(MATRIX.tests())


@pytest.mark.django_db
def test_bulk_action_leaves_other_countries_requests_alone(client: Client, world: World) -> None:
    client.force_login(world.users["agent_ro"])
    client.post(reverse("support_console:bulk"), {"numbers": world.request.number, "action": "close"})
    with tenant_scope(world.org_a):
        request = Request.objects.get(pk=world.request.pk)
    assert request.status == "submitted"
    assert request.assignee is None
