"""A request's timeline and files (selectors.conversation_of): three queries however many comments
and files (two before anyone has answered), each comment with exactly its own files, each reader
the files they may see."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.core.tenancy import tenant_scope
from guichet.support import selectors, services
from guichet.support.models import Attachment, Status
from tests.support.conftest import PDF, url

pytestmark = pytest.mark.django_db


def _talk(org, customer, agent, make_request, turns: int):  # type: ignore[no-untyped-def]
    item = make_request(org, customer, files=[("scan.pdf", PDF)])
    with tenant_scope(org):
        for turn in range(turns):
            services.agent_comment(actor=agent, request=item, body=f"Question {turn}", then=Status.WAITING)
            services.agent_comment(
                actor=agent, request=item, body=f"Note {turn}", internal=True, files=[(f"n{turn}.pdf", PDF)]
            )
            services.customer_reply(actor=customer, request=item, body=f"Réponse {turn}", files=[(f"r{turn}.pdf", PDF)])
    return item


@pytest.mark.parametrize("internal", [False, True])
def test_three_queries_whatever_the_conversation(org_a, customer_a, agent_be, make_request, internal: bool) -> None:  # type: ignore[no-untyped-def]
    new = _talk(org_a, customer_a, agent_be, make_request, 0)
    short = _talk(org_a, customer_a, agent_be, make_request, 1)
    long = _talk(org_a, customer_a, agent_be, make_request, 6)
    with tenant_scope(org_a):
        for item, queries in ((new, 2), (short, 3), (long, 3)):
            with CaptureQueriesContext(connection) as captured:
                conversation = selectors.conversation_of(item, include_internal=internal)
                for entry in conversation.timeline:  # what the page and the API read of each entry
                    _ = entry.actor, entry.comment and entry.comment.author, entry.files
            assert len(captured) == queries, [q["sql"] for q in captured]
            assert [file.original_name for file in conversation.attachments][:1] == ["scan.pdf"]


@pytest.mark.parametrize("internal", [False, True])
def test_each_comment_has_its_own_files_and_each_reader_what_they_may_see(  # type: ignore[no-untyped-def]
    org_a, customer_a, agent_be, make_request, internal: bool
) -> None:
    item = _talk(org_a, customer_a, agent_be, make_request, 3)
    with tenant_scope(org_a):
        conversation = selectors.conversation_of(item, include_internal=internal)
        # The request's files: as attachments_of lists them, in the same order, read as rows.
        listed = selectors.attachments_of(item, include_internal=internal)
        assert [file.pk for file in conversation.attachments] == list(listed.values_list("pk", flat=True))
        assert conversation.attachments[0] == selectors.AttachmentRow(
            *Attachment.objects.filter(pk=conversation.attachments[0].pk).values_list(*selectors.FILE_FIELDS).get()
        )
        commented = [entry for entry in conversation.timeline if entry.comment is not None]
        assert commented
        for entry in commented:
            assert entry.comment is not None
            own = Attachment.objects.filter(comment=entry.comment.pk).order_by("created_at")
            assert [file.pk for file in entry.files] == list(own.values_list("pk", flat=True))
        names = {file.original_name for entry in commented for file in entry.files}
    assert ("n0.pdf" in names) is internal and "r0.pdf" in names
    assert [e.comment.body for e in commented if e.comment and e.comment.internal] == (
        ["Note 0", "Note 1", "Note 2"] if internal else []
    )


def test_the_pages_and_the_api_show_the_same_files(client, org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    item = _talk(org_a, customer_a, agent_be, make_request, 2)
    client.force_login(customer_a)
    page = client.get(url("support:detail", language="fr", number=item.number)).content.decode()
    assert "r0.pdf" in page and "r1.pdf" in page and "scan.pdf" in page and "n0.pdf" not in page
    client.force_login(agent_be)
    console = client.get(url("support_console:detail", number=item.number)).content.decode()
    assert "n0.pdf" in console and "r1.pdf" in console
    client.force_login(customer_a)
    answer = client.get(f"/api/v1/requests/{item.number}")
    assert answer.status_code == 200
    timeline = answer.json()["timeline"]
    replies = [entry["comment"] for entry in timeline if entry["comment"] is not None]
    assert [[f["name"] for f in reply["attachments"]] for reply in replies] == [[], ["r0.pdf"], [], ["r1.pdf"]]
    assert {f["name"] for f in answer.json()["attachments"]} == {"scan.pdf", "r0.pdf", "r1.pdf"}
