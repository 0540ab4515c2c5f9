"""My requests as the case index: every kind the reader may see, filters, sort, search, keyset pages,
the cases and activity API, tenancy and constant query counts."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext

from guichet.core import cases
from guichet.core.models import Case, CaseActivity, CaseStatus
from guichet.core.paging import SALT
from guichet.core.tenancy import across_organisations, tenant_scope
from guichet.support import services
from guichet.support.models import Status
from tests.accounts.factories import grant_all, make_member
from tests.support.conftest import url

pytestmark = pytest.mark.django_db


def indexed(**filters: Any) -> Case:
    with across_organisations():
        return Case.objects.get(**filters)


def listed(response: Any) -> list[str]:
    return [case.number for case in response.context["page"]]


def test_a_request_is_indexed_and_follows_its_status(org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a, subject="Copie de facture")
    case = indexed(kind="request", number=item.number)
    assert (case.status, case.waits_for, case.title) == (CaseStatus.OPEN, "vendor", "Copie de facture")
    with tenant_scope(org_a):
        services.agent_comment(actor=agent_be, request=item, body="Laquelle ?", then=Status.WAITING)
    case.refresh_from_db()
    assert (case.status, case.waits_for) == (CaseStatus.WAITING, "customer")
    with across_organisations():
        steps = list(CaseActivity.objects.filter(case=case).order_by("at", "id").values_list("event", "status"))
    assert steps == [("opened", "open"), ("status", "waiting")]


def test_sync_cases_rebuilds_a_lost_index_and_drops_stale_rows(org_a, customer_a, make_request) -> None:  # type: ignore[no-untyped-def]
    from django.core.management import call_command

    item = make_request(org_a, customer_a)
    with across_organisations():
        Case.objects.all().delete()
        Case.objects.create(
            organisation=org_a,
            kind="request",
            source_id=999_999,
            number="GONE",
            title="",
            status="open",
            url_name="support:detail",
            url_args={"number": "GONE"},
        )
    call_command("sync_cases", kind=["request"])
    with across_organisations():
        assert list(Case.objects.values_list("number", flat=True)) == [item.number]
    call_command("sync_cases")  # again: nothing changes, nothing doubles
    with across_organisations():
        assert Case.objects.count() == 1 and CaseActivity.objects.filter(event="opened").count() == 1


def test_sync_cases_refuses_an_unknown_kind() -> None:
    from django.core.management import call_command
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("sync_cases", kind=["nonsense"])


def test_list_shows_every_kind_with_its_own_page(client, org_a, customer_a, make_request) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a)
    with across_organisations():
        Case.objects.create(
            organisation=org_a,
            kind="repair",
            source_id=1,
            number="SR-BE-2026-000001",
            title="8286-42A 78ABC12",
            status="in_progress",
            waits_for="vendor",
            url_name="inventory:repair",
            url_args={"number": "SR-BE-2026-000001"},
        )
    client.force_login(customer_a)
    page = client.get(url("support:list", "fr"))
    assert page.status_code == 200
    assert set(listed(page)) == {item.number, "SR-BE-2026-000001"}
    html = page.content.decode()
    assert 'href="/fr/inventory/repairs/SR-BE-2026-000001/"' in html and "Réparation" in html


def test_only_granted_kinds_and_admins_see_access_requests(client, org_a, customer_a, make_request) -> None:  # type: ignore[no-untyped-def]
    colleague = make_member(org_a, email="col@example.com")
    grant_all(colleague, org_a, ["requests"])
    with across_organisations():
        for kind, number in (("repair", "SR-1"), ("access_request", "AR-1")):
            Case.objects.create(
                organisation=org_a,
                kind=kind,
                source_id=1,
                number=number,
                title="",
                status="open",
                url_name="portal:team",
                url_args={},
            )
    client.force_login(colleague)
    assert listed(client.get(url("support:list"))) == []
    assert client.get(url("support:list"), {"kind": "repair"}).status_code == 400  # not a kind they may filter
    client.force_login(customer_a)  # an administrator granted everything
    assert sorted(listed(client.get(url("support:list")))) == ["AR-1", "SR-1"]


def test_filters_sort_and_search(client, org_a, customer_a, agent_be, make_request) -> None:  # type: ignore[no-untyped-def]
    first = make_request(org_a, customer_a, subject="Bravo toner")
    second = make_request(org_a, customer_a, subject="Alpha papier")
    with tenant_scope(org_a):
        services.request_close(actor=customer_a, request=second) if hasattr(services, "request_close") else None
    client.force_login(customer_a)
    by_title = listed(client.get(url("support:list"), {"sort": "title"}))
    assert by_title == [second.number, first.number]
    assert listed(client.get(url("support:list"), {"sort": "-title"})) == [first.number, second.number]
    assert listed(client.get(url("support:list"), {"q": "toner"})) == [first.number]
    assert listed(client.get(url("support:list"), {"kind": "request", "status": "open"}))[0] in (
        first.number,
        second.number,
    )
    assert client.get(url("support:list"), {"status": "nonsense"}).status_code == 400


def test_keyset_pages_walk_every_row_once_and_refuse_a_tampered_cursor(
    client, settings, org_a, customer_a, make_request
) -> None:  # type: ignore[no-untyped-def]
    settings.PAGE_SIZES = {**settings.PAGE_SIZES, "requests": 2}
    made = {make_request(org_a, customer_a, subject=f"Demande {i}").number for i in range(5)}
    client.force_login(customer_a)
    seen: list[str] = []
    cursor = None
    for _ in range(5):
        response = client.get(url("support:list"), {"sort": "number", **({"cursor": cursor} if cursor else {})})
        seen += listed(response)
        cursor = response.context["page"].next
        if cursor is None:
            break
    assert seen == sorted(made)
    forged = signing.dumps({"k": "cases:number,id", "v": ["x", "not-a-number"]}, salt=SALT)
    for bad in ("garbage", cursor or "x" + "A" * 20, forged):
        refused = client.get(url("support:list"), {"sort": "number", "cursor": bad})
        assert refused.status_code == 400
    # a cursor of one ordering is refused by another
    first = client.get(url("support:list"), {"sort": "number"}).context["page"].next
    assert client.get(url("support:list"), {"sort": "title", "cursor": first}).status_code == 400
    assert "not valid" in client.get(url("support:list"), {"cursor": "garbage"}).content.decode()


def test_list_query_count_is_small_and_constant(
    client, org_a, customer_a, make_request, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for i in range(3):
        make_request(org_a, customer_a, subject=f"Demande {i}")
    client.force_login(customer_a)
    client.get(url("support:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(url("support:list"), {"sort": "title"})
    assert len(few) <= 10
    for i in range(30):
        make_request(org_a, customer_a, subject=f"Encore {i}")
    with django_assert_max_num_queries(len(few)):
        response = client.get(url("support:list"), {"sort": "title"})
    assert len(response.context["page"]) == 25


# --- API -------------------------------------------------------------------------------------


def test_api_cases_filters_pages_and_stays_in_its_organisation(
    client, org_a, customer_a, customer_b, make_request
) -> None:  # type: ignore[no-untyped-def]
    mine = [make_request(org_a, customer_a, subject=f"Demande {i}").number for i in range(3)]
    theirs = make_request(customer_b.memberships.first().organisation, customer_b).number
    client.force_login(customer_a)
    body = client.get("/api/v1/cases", {"page_size": 2, "sort": "number"}).json()
    assert [item["number"] for item in body["items"]] == sorted(mine)[:2]
    assert body["items"][0]["kind"] == "request" and body["items"][0]["url"].endswith(f"/requests/{sorted(mine)[0]}/")
    rest = client.get("/api/v1/cases", {"page_size": 2, "sort": "number", "cursor": body["next"]}).json()
    assert [item["number"] for item in rest["items"]] == sorted(mine)[2:] and rest["next"] is None
    assert client.get("/api/v1/cases", {"q": theirs}).json()["items"] == []
    assert client.get("/api/v1/cases", {"cursor": "tampered"}).status_code == 400
    assert client.get("/api/v1/cases", {"kind": "nonsense"}).status_code == 422


def test_api_activity_is_the_organisations_timeline(
    client, org_a, customer_a, customer_b, agent_be, make_request
) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a)
    make_request(customer_b.memberships.first().organisation, customer_b)
    with tenant_scope(org_a):
        services.agent_comment(actor=agent_be, request=item, body="?", then=Status.WAITING)
    client.force_login(customer_a)
    items = client.get("/api/v1/activity").json()["items"]
    assert [(step["event"], step["number"], step["status"]) for step in items] == [
        ("status", item.number, "waiting"),
        ("opened", item.number, "open"),
    ]


def test_api_requests_pages_with_a_cursor(client, org_a, customer_a, make_request) -> None:  # type: ignore[no-untyped-def]
    made = [make_request(org_a, customer_a, subject=f"Demande {i}").number for i in range(3)]
    client.force_login(customer_a)
    body = client.get("/api/v1/requests", {"page_size": 2}).json()
    assert body["count"] == 3 and body["count_capped"] is False and len(body["items"]) == 2
    rest = client.get("/api/v1/requests", {"page_size": 2, "cursor": body["next"]}).json()
    assert {item["number"] for item in body["items"] + rest["items"]} == set(made) and rest["next"] is None
    assert client.get("/api/v1/requests", {"cursor": "nope"}).status_code == 400


def test_home_shows_recent_activity_of_granted_applications(client, org_a, customer_a, make_request) -> None:  # type: ignore[no-untyped-def]
    item = make_request(org_a, customer_a)
    with across_organisations():
        Case.objects.create(
            organisation=org_a,
            kind="access_request",
            source_id=7,
            number="AR-7",
            title="",
            status="open",
            url_name="portal:team",
            url_args={},
        )
        cases.notified("access_request", 7, "x")
    member = make_member(org_a, email="m@example.com")
    grant_all(member, org_a, ["requests"])
    client.force_login(member)
    html = client.get(url("portal:home")).content.decode()
    assert 'data-testid="recent-activity"' in html and item.number in html and "AR-7" not in html
    client.force_login(customer_a)
    assert "AR-7" in client.get(url("portal:home")).content.decode()


def _index_state() -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The whole index by natural keys (kind, source id), ids left out: what two rebuilds must agree on."""
    with across_organisations():
        rows = sorted(
            Case.objects.values_list(
                "kind",
                "source_id",
                "organisation_id",
                "number",
                "title",
                "status",
                "waits_for",
                "requester_id",
                "open_to_requester",
                "url_name",
                "url_args",
                "carries",
                "carried_by__kind",
                "carried_by__source_id",
                "created_at",
                "updated_at",
            ),
            key=repr,
        )
        steps = sorted(
            CaseActivity.objects.values_list("case__kind", "case__source_id", "kind", "event", "status", "note", "at"),
            key=repr,
        )
    return rows, steps


def _row_by_row() -> None:
    """The rebuild as it was, one record() per case: the reference the batched one must equal."""
    facts = list(cases.every_case())
    for each in facts:
        cases.record(each)
    with across_organisations():
        known = {(each.kind, each.source_id) for each in facts}
        for case in Case.objects.all():
            if (case.kind, case.source_id) not in known:
                case.delete()


def test_batched_sync_cases_equals_the_row_by_row_rebuild(  # type: ignore[no-untyped-def]
    monkeypatch, org_a, customer_a, agent_be, make_request
) -> None:
    from datetime import timedelta

    from django.core.management import call_command

    monkeypatch.setattr(cases, "REBUILD_CHUNK", 2)  # several chunks, and a last partial one
    items = [make_request(org_a, customer_a, subject=f"Demande {n}") for n in range(5)]
    with tenant_scope(org_a):
        services.agent_comment(actor=agent_be, request=items[0], body="?", then=Status.WAITING)
    with across_organisations():
        # Drift: a row lost, a status and a title wrong, a row behind in time, a row whose source is gone.
        Case.objects.filter(kind="request", source_id=items[1].pk).delete()
        Case.objects.filter(kind="request", source_id=items[2].pk).update(status="closed", title="old")
        late = Case.objects.get(kind="request", source_id=items[3].pk)
        Case.objects.filter(pk=late.pk).update(updated_at=late.updated_at - timedelta(days=3))
        Case.objects.create(
            organisation=org_a,
            kind="request",
            source_id=999_999,
            number="GONE",
            title="",
            status="open",
            url_name="support:detail",
            url_args={"number": "GONE"},
        )
        drifted = (
            list(Case.objects.values()),
            list(CaseActivity.objects.values()),
        )

    _row_by_row()
    expected = _index_state()

    with across_organisations():
        Case.objects.all().delete()
        Case.objects.bulk_create([Case(**values) for values in drifted[0]])
        CaseActivity.objects.bulk_create([CaseActivity(**values) for values in drifted[1]])
    call_command("sync_cases")
    assert _index_state() == expected
    assert len(expected[0]) == 5 and ("request", 999_999) not in {row[:2] for row in expected[0]}
