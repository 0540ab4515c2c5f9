"""A member of staff's enrolled second factor: remembered, read with the person's row, forgotten at once."""

from __future__ import annotations

from unittest import mock

import pytest
from allauth.mfa.models import Authenticator
from django.core.cache import cache
from django.urls import reverse

from guichet.accounts.mfa_enrolled import mfa_key
from tests.accounts.factories import make_agent


@pytest.mark.django_db
def test_an_enrolled_agent_is_remembered_and_read_with_the_session_row(client) -> None:  # type: ignore[no-untyped-def]
    agent = make_agent("BE")
    client.force_login(agent)
    assert client.get(reverse("console:home")).status_code == 200  # asks the database once, remembers
    assert cache.get(mfa_key(agent.pk)) is True
    with (
        mock.patch("guichet.accounts.mfa_enrolled.cache", wraps=cache) as asked_alone,
        mock.patch.object(cache, "get_many", wraps=cache.get_many) as asked_together,
    ):
        assert client.get(reverse("console:home")).status_code == 200
    assert asked_alone.method_calls == []  # no round trip of its own ...
    assert any(mfa_key(agent.pk) in call.args[0] for call in asked_together.call_args_list)  # ... with the row


@pytest.mark.django_db
def test_removing_the_factor_sends_the_agent_to_enrolment_at_once(client) -> None:  # type: ignore[no-untyped-def]
    agent = make_agent("BE")
    client.force_login(agent)
    assert client.get(reverse("console:home")).status_code == 200
    for authenticator in Authenticator.objects.filter(user=agent):
        authenticator.delete()
    response = client.get(reverse("console:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
