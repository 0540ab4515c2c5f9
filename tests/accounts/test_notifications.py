"""The bell, the notifications page, marking read, the preferences page and the notifications API."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from guichet.core.models import Notification, NotificationPreference, OutboxMessage
from guichet.core.notifications.outbox import enqueue
from tests.accounts.factories import make_member

pytestmark = pytest.mark.django_db


def url(name: str, language: str = "en", **kwargs: object) -> str:
    with translation.override(language):
        return reverse(name, kwargs=kwargs or None)


def tell(user, number: str = "BE-2026-000123") -> Notification:  # type: ignore[no-untyped-def]
    enqueue(
        to=user.email,
        template="request_agent_reply",
        language=user.language,
        context={
            "number": number,
            "subject": "Copie de facture",
            "first_name": user.first_name,
            "agent": "Luc",
            "body": "Voici.",
            "url": f"{settings.SITE_URL}/fr/requests/{number}/",
        },
    )
    return Notification.objects.filter(user=user).latest("id")


@pytest.fixture
def marie(org_a):  # type: ignore[no-untyped-def]
    return make_member(org_a, email="marie@example.com", first_name="Marie", language="fr")


def test_bell_counts_unread_and_says_it_to_screen_readers(client, marie) -> None:  # type: ignore[no-untyped-def]
    client.force_login(marie)
    empty = client.get(url("portal:notification_bell", "fr"))
    assert empty.status_code == 200 and "Aucune notification non lue" in empty.text
    tell(marie)
    tell(marie)
    response = client.get(url("portal:notification_bell", "fr"))
    assert '<span class="badge rounded-pill text-bg-danger" data-testid="notification-count">2</span>' in response.text
    assert "2 notifications non lues" in response.text


def test_bell_is_one_query_after_the_session(client, marie, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    client.force_login(marie)
    tell(marie)
    client.get(url("portal:notification_bell"))  # warm: the session and the user
    with django_assert_max_num_queries(5):  # session, user, memberships of the middleware, then the count
        assert client.get(url("portal:notification_bell")).status_code == 200


def test_signed_out_bell_stops_polling(client) -> None:  # type: ignore[no-untyped-def]
    assert client.get(url("portal:notification_bell")).status_code == 286


def test_header_polls_the_bell_no_faster_than_every_30_seconds(client, marie) -> None:  # type: ignore[no-untyped-def]
    client.force_login(marie)
    page = client.get(url("portal:profile", "fr")).text
    assert f'hx-get="{url("portal:notification_bell", "fr")}" hx-trigger="load, every 30s"' in page
    assert 'aria-live="polite"' in page


def test_page_lists_newest_first_in_the_pages_language_and_opens_one(client, marie) -> None:  # type: ignore[no-untyped-def]
    first = tell(marie, "BE-2026-000001")
    tell(marie, "BE-2026-000002")
    client.force_login(marie)
    page = client.get(url("portal:notifications", "ro")).text
    assert page.index("BE-2026-000002") < page.index("BE-2026-000001")
    assert "Răspuns nou la solicitarea dumneavoastră BE-2026-000001" in page
    assert "Necitite (2)" in page

    response = client.post(url("portal:notification_open", "ro", pk=first.pk))
    assert response.status_code == 303 and response["Location"] == "/ro/requests/BE-2026-000001/"
    first.refresh_from_db()
    assert first.read_at is not None
    unread = client.get(url("portal:notifications", "ro") + "?unread=1").text
    assert "BE-2026-000002" in unread and "BE-2026-000001" not in unread


def test_mark_one_then_all_read(client, marie) -> None:  # type: ignore[no-untyped-def]
    one, two, three = tell(marie), tell(marie), tell(marie)
    client.force_login(marie)
    response = client.post(url("portal:notifications_read"), {"id": [one.pk]})
    assert response.status_code == 303
    assert Notification.objects.filter(user=marie, read_at__isnull=True).count() == 2
    client.post(url("portal:notifications_read"), {"all": "1"})
    assert Notification.objects.filter(user=marie, read_at__isnull=True).count() == 0
    assert {two.pk, three.pk} <= set(Notification.objects.filter(read_at__isnull=False).values_list("pk", flat=True))


@pytest.mark.parametrize("data", [{}, {"id": ["x"]}, {"id": ["1" * 30]}, {"id": [str(i) for i in range(1, 102)]}])
def test_bad_mark_read_is_a_translated_400(client, marie, data) -> None:  # type: ignore[no-untyped-def]
    client.force_login(marie)
    response = client.post(url("portal:notifications_read", "fr"), data)
    assert response.status_code == 400
    assert 'role="alert"' in response.text
    assert any(
        text in response.text
        for text in ("Choisissez les notifications", "Ceci n&#x27;est pas une notification", "au plus 100")
    )


def test_someone_elses_notification_is_not_found_and_not_marked(client, marie, customer_b) -> None:  # type: ignore[no-untyped-def]
    theirs = tell(customer_b)
    client.force_login(marie)
    assert client.post(url("portal:notification_open", pk=theirs.pk)).status_code == 404
    client.post(url("portal:notifications_read"), {"id": [theirs.pk]})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "BE-2026-000123" not in client.get(url("portal:notifications")).text


def test_csrf_is_required_to_mark_read(marie) -> None:  # type: ignore[no-untyped-def]
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(marie)
    tell(marie)
    assert strict.post(url("portal:notifications_read"), {"all": "1"}).status_code == 403
    assert Notification.objects.filter(read_at__isnull=True).count() == 1


def test_preferences_page_saves_and_says_what_cannot_be_turned_off(client, marie) -> None:  # type: ignore[no-untyped-def]
    client.force_login(marie)
    page = client.get(url("portal:notification_preferences", "fr")).text
    assert "Messages que vous ne pouvez pas désactiver" in page
    assert "Compte et sécurité" in page and "blocages de connexion" in page
    assert 'name="account"' not in page  # no choice to make
    response = client.post(
        url("portal:notification_preferences", "fr"), {"requests": "off", "contracts": "digest", "orders": "each"}
    )
    assert response.status_code == 303
    saved = dict(NotificationPreference.objects.filter(user=marie).values_list("category", "email"))
    assert saved["requests"] == "off" and saved["contracts"] == "digest"
    # The choice applies: a reply to a request is in the portal only.
    tell(marie)
    assert OutboxMessage.objects.count() == 0 and Notification.objects.filter(user=marie).count() == 1


def test_preferences_refuse_an_unknown_choice_with_a_400(client, marie) -> None:  # type: ignore[no-untyped-def]
    client.force_login(marie)
    response = client.post(url("portal:notification_preferences", "fr"), {"requests": "sometimes"})
    assert response.status_code == 400
    assert not NotificationPreference.objects.filter(user=marie).exists()


def test_agents_have_notifications_too(client, agent_be) -> None:  # type: ignore[no-untyped-def]
    enqueue(to=agent_be.email, template="request_customer_reply", language="en", context={"number": "BE-2026-9"})
    client.force_login(agent_be)
    assert "BE-2026-9" in client.get(url("portal:notifications")).text


# --- API ----------------------------------------------------------------------------------------


def test_api_lists_the_callers_own_newest_first_with_the_unread_filter(client, marie, customer_b) -> None:  # type: ignore[no-untyped-def]
    old, new = tell(marie, "BE-2026-000001"), tell(marie, "BE-2026-000002")
    tell(customer_b, "RO-2026-000009")
    Notification.objects.filter(pk=old.pk).update(read_at=new.created_at)
    client.force_login(marie)
    body = client.get("/api/v1/notifications", headers={"Accept-Language": "fr"}).json()
    assert body["count"] == 2 and body["unread"] == 1
    assert [item["id"] for item in body["items"]] == [new.pk, old.pk]
    item = body["items"][0]
    assert item["category"] == "requests" and item["read"] is False and item["mandatory"] is False
    assert item["title"] == "Nouvelle réponse à votre demande BE-2026-000002"
    unread = client.get("/api/v1/notifications?unread=true").json()
    assert [i["id"] for i in unread["items"]] == [new.pk]
    paged = client.get("/api/v1/notifications?page=2&page_size=1").json()
    assert [i["id"] for i in paged["items"]] == [old.pk]
    assert client.get("/api/v1/notifications?page_size=100000").status_code == 422


def test_api_marks_read_by_ids_or_all_and_others_are_404(client, marie, customer_b) -> None:  # type: ignore[no-untyped-def]
    one, two = tell(marie), tell(marie)
    theirs = tell(customer_b)
    client.force_login(marie)
    post = lambda body: client.post("/api/v1/notifications/read", body, content_type="application/json")  # noqa: E731
    refused = post({"ids": [one.pk, theirs.pk]})
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    assert Notification.objects.filter(read_at__isnull=False).count() == 0  # nothing marked
    assert post({"ids": [one.pk]}).json() == {"marked": 1, "unread": 1}
    assert post({}).status_code == 422
    assert post({"ids": ["x"]}).status_code == 422
    assert post({"ids": [2**64]}).status_code == 422
    assert post({"ids": list(range(1, 102))}).status_code == 422
    assert post({"all": True}).json() == {"marked": 1, "unread": 0}
    theirs.refresh_from_db()
    assert theirs.read_at is None and two.pk


def test_api_is_in_the_openapi_document(client) -> None:  # type: ignore[no-untyped-def]
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/notifications"] and "post" in paths["/api/v1/notifications/read"]
    responses = paths["/api/v1/notifications/read"]["post"]["responses"]
    assert {"200", "401", "404", "422"} <= set(responses)
