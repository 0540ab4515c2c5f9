"""API tokens: revoked when they can no longer be trusted, revocable by their owner, purged when
expired, stored only as hashes (issue 16, item 4)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from allauth.mfa.base.internal.flows import delete_and_cleanup
from allauth.mfa.models import Authenticator
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from guichet.accounts.models import ApiToken, User
from guichet.accounts.tasks import purge_expired_api_tokens
from guichet.core.models import AuditEvent
from tests.accounts.factories import PASSWORD


def works(_client: Client, token: str) -> bool:
    """The token alone opens the API (a fresh client: a signed-in session would answer instead)."""
    return Client().get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


@pytest.mark.django_db
def test_changing_the_password_on_the_page_revokes_every_token(client: Client, customer_a: User) -> None:
    tokens = [ApiToken.issue(customer_a), ApiToken.issue(customer_a)]
    client.force_login(customer_a)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": "a new long passphrase 7", "password2": "a new long passphrase 7"},
    )
    assert response.status_code == 302
    assert not any(works(Client(), token) for token in tokens)
    event = AuditEvent.objects.get(action="api.tokens_revoked")
    assert event.data == {"reason": "password_changed", "count": 2}


@pytest.mark.django_db
def test_a_password_reset_revokes_every_token(client: Client, customer_a: User) -> None:
    from allauth.account.internal.flows.password_reset import reset_password

    token = ApiToken.issue(customer_a)
    reset_password(customer_a, "a new long passphrase 7")
    assert not works(client, token)


@pytest.mark.django_db
def test_a_change_of_two_factor_authentication_revokes_every_token(client: Client, agent_be: User) -> None:
    token = ApiToken.issue(agent_be)
    request = RequestFactory().post("/")
    request.user = agent_be
    delete_and_cleanup(request, Authenticator.objects.get(user=agent_be, type=Authenticator.Type.TOTP))
    assert not works(client, token)
    assert AuditEvent.objects.get(action="api.tokens_revoked").data["reason"] == "mfa_changed"


@pytest.mark.django_db
def test_deactivating_the_account_revokes_every_token(customer_a: User) -> None:
    ApiToken.issue(customer_a)
    customer_a.is_active = False
    customer_a.save()
    assert not ApiToken.objects.filter(user=customer_a).exists()


@pytest.mark.django_db
def test_delete_revokes_the_callers_token_and_no_other(client: Client, customer_a: User) -> None:
    kept, revoked = ApiToken.issue(customer_a), ApiToken.issue(customer_a)
    response = client.delete("/api/v1/auth/token", headers={"Authorization": f"Bearer {revoked}"})
    assert response.status_code == 204
    assert not works(client, revoked)
    assert works(client, kept)
    assert client.delete("/api/v1/auth/token", headers={"Authorization": f"Bearer {revoked}"}).status_code == 401


@pytest.mark.django_db
def test_the_security_page_lists_tokens_by_their_beginning_and_revokes_one(client: Client, customer_a: User) -> None:
    token = ApiToken.issue(customer_a, user_agent="inventory-sync/2.1")
    client.force_login(customer_a)
    page = client.get(reverse("portal:security")).content.decode()
    assert token[:6] in page and token not in page and "inventory-sync/2.1" in page
    row = ApiToken.objects.get(user=customer_a)
    response = client.post(reverse("portal:revoke_token", kwargs={"pk": row.pk}))
    assert response.status_code == 303
    assert not works(client, token)


@pytest.mark.django_db
def test_another_persons_token_cannot_be_revoked_from_the_security_page(
    client: Client, customer_a: User, customer_b: User
) -> None:
    token = ApiToken.issue(customer_a)
    client.force_login(customer_b)
    response = client.post(reverse("portal:revoke_token", kwargs={"pk": ApiToken.objects.get(user=customer_a).pk}))
    assert response.status_code == 404
    assert works(client, token)


@pytest.mark.django_db
def test_administrators_list_and_revoke_tokens_in_the_admin(
    client: Client, customer_a: User, administrator: User
) -> None:
    token = ApiToken.issue(customer_a)
    row = ApiToken.objects.get(user=customer_a)
    client.force_login(administrator)
    listing = client.get(reverse("admin:accounts_apitoken_changelist")).content.decode()
    assert row.prefix in listing
    assert client.get(reverse("admin:accounts_apitoken_add")).status_code == 403
    client.post(reverse("admin:accounts_apitoken_delete", args=[row.pk]), {"post": "yes"})
    assert not works(client, token)
    assert AuditEvent.objects.get(action="api.tokens_revoked").actor == administrator


@pytest.mark.django_db
def test_only_a_hash_of_the_token_is_stored(customer_a: User) -> None:
    token = ApiToken.issue(customer_a)
    stored = ApiToken.objects.values().get(user=customer_a)
    assert token not in {str(value) for value in stored.values()}
    assert stored["key_hash"] == ApiToken.hash(token)


@pytest.mark.django_db
def test_expired_tokens_are_purged(customer_a: User) -> None:
    ApiToken.issue(customer_a)
    ApiToken.issue(customer_a)
    ApiToken.objects.filter(pk=ApiToken.objects.first().pk).update(expires_at=timezone.now() - timedelta(seconds=1))  # type: ignore[union-attr]
    assert purge_expired_api_tokens() == 1
    assert ApiToken.objects.filter(user=customer_a).count() == 1
