"""Two-step access: asking, deciding, granting, and what the navigation then shows."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from guichet.accounts import rules, services
from guichet.accounts.models import AccessRequest, Application, ApplicationGrant
from guichet.accounts.navigation import application_url
from guichet.core.errors import Conflict, DomainError, PermissionDenied
from guichet.core.models import AuditEvent, OutboxMessage
from guichet.core.tenancy import across_organisations, tenant_scope
from tests.accounts.factories import make_member


@pytest.mark.parametrize(
    ("actor", "org_country", "application", "allowed"),
    [
        (rules.Actor("admin"), "RO", "contracts", True),
        (rules.Actor("agent", country="BE"), "BE", "contracts", True),
        (rules.Actor("agent", country="RO"), "BE", "invoices", False),
        (rules.Actor("customer", role_in_org="admin"), "BE", "invoices", True),
        (rules.Actor("customer", role_in_org="admin"), "BE", "contracts", False),
        (rules.Actor("customer", role_in_org="member"), "BE", "invoices", False),
        (rules.Actor("customer", role_in_org=""), "BE", "invoices", False),
    ],
)
def test_who_may_grant(actor: rules.Actor, org_country: str, application: str, allowed: bool) -> None:
    assert rules.can_grant(actor, org_country=org_country, application=application) is allowed


@pytest.mark.django_db
def test_user_without_grant_gets_the_explaining_403_and_no_navigation(client, customer_no_grant) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_no_grant)
    response = client.get(reverse("portal:application", kwargs={"application": "invoices"}))
    assert response.status_code == 403
    assert reverse("portal:access") + "?application=invoices" in response.content.decode()
    assert response.context["navigation"] == ()


@pytest.mark.django_db
def test_request_then_agent_grants_and_customer_is_told(  # type: ignore[no-untyped-def]
    client, org_a, customer_no_grant, agent_be, django_capture_on_commit_callbacks
) -> None:
    client.force_login(customer_no_grant)
    response = client.post(reverse("portal:access"), {"application": "invoices", "note": "for the accounts"})
    assert response.status_code == 302
    with tenant_scope(org_a):
        access_request = AccessRequest.objects.get(organisation=org_a, user=customer_no_grant)
    assert access_request.status == "pending"

    client.force_login(agent_be)
    assert access_request in client.get(reverse("console:access_requests")).context["pending"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("console:decide", kwargs={"pk": access_request.pk}), {"decision": "grant"})
    assert response.status_code == 302
    with tenant_scope(org_a):
        assert ApplicationGrant.objects.filter(
            organisation=org_a, user=customer_no_grant, application="invoices"
        ).exists()
    message = OutboxMessage.objects.get(to=customer_no_grant.email)
    assert message.template == "access_granted" and message.status == "sent"
    assert len(mail.outbox) == 1
    assert "You now have access to My invoices" in mail.outbox[0].body
    assert mail.outbox[0].extra_headers["Message-ID"] == message.message_id

    client.force_login(customer_no_grant)
    home = client.get(reverse("portal:home"))
    assert [item["value"] for item in home.context["navigation"]] == ["invoices"]
    # The application's stable address forwards to its own pages, which now open.
    entry = client.get(reverse("portal:application", kwargs={"application": "invoices"}))
    assert entry.status_code == 302 and entry["Location"] == reverse("billing:invoices")
    assert client.get(reverse("billing:invoices")).status_code == 200
    assert AuditEvent.objects.filter(action="access.granted", organisation=org_a).exists()


@pytest.mark.django_db
def test_refusal_needs_a_reason_and_sends_it(  # type: ignore[no-untyped-def]
    client, org_a, customer_no_grant, agent_be, django_capture_on_commit_callbacks
) -> None:
    with tenant_scope(org_a):
        access_request = services.access_request_create(
            actor=customer_no_grant, organisation=org_a, application="orders", request=None
        )
    client.force_login(agent_be)
    url = reverse("console:decide", kwargs={"pk": access_request.pk})
    assert client.post(url, {"decision": "refuse", "reason": ""}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"decision": "refuse", "reason": "Please ask your manager first."})
    access_request.refresh_from_db()
    assert access_request.status == "refused"
    assert "Please ask your manager first." in mail.outbox[-1].body


@pytest.mark.django_db
def test_agent_of_another_country_cannot_see_or_decide(client, org_a, customer_no_grant, agent_ro) -> None:  # type: ignore[no-untyped-def]
    with tenant_scope(org_a):
        access_request = services.access_request_create(
            actor=customer_no_grant, organisation=org_a, application="orders", request=None
        )
    client.force_login(agent_ro)
    assert client.get(reverse("console:access_requests")).context["pending"] == []
    response = client.post(reverse("console:decide", kwargs={"pk": access_request.pk}), {"decision": "grant"})
    assert response.status_code == 404
    access_request.refresh_from_db()
    assert access_request.status == "pending"


@pytest.mark.django_db
def test_duplicate_pending_request_is_a_conflict(org_a, customer_no_grant) -> None:  # type: ignore[no-untyped-def]
    with tenant_scope(org_a):
        services.access_request_create(actor=customer_no_grant, organisation=org_a, application="orders", request=None)
        with pytest.raises(Conflict):
            services.access_request_create(
                actor=customer_no_grant, organisation=org_a, application="orders", request=None
            )
        assert AccessRequest.objects.filter(organisation=org_a).count() == 1


@pytest.mark.django_db
def test_unknown_application_is_refused(org_a, customer_no_grant) -> None:  # type: ignore[no-untyped-def]
    with tenant_scope(org_a), pytest.raises(DomainError):
        services.access_request_create(actor=customer_no_grant, organisation=org_a, application="casino", request=None)


@pytest.mark.django_db
def test_customer_admin_grants_colleague_but_not_contracts(client, org_a, customer_a, customer_no_grant) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    url = reverse("portal:team")
    client.post(url, {"user": customer_no_grant.pk, "application": "orders", "action": "grant"})
    client.post(url, {"user": customer_no_grant.pk, "application": "contracts", "action": "grant"})
    with tenant_scope(org_a):
        granted = set(ApplicationGrant.objects.filter(user=customer_no_grant).values_list("application", flat=True))
    assert granted == {"orders"}
    with tenant_scope(org_a), pytest.raises(PermissionDenied):
        services.application_grant(
            actor=customer_a, organisation=org_a, user=customer_no_grant, application="contracts", request=None
        )


@pytest.mark.django_db
def test_customer_admin_cannot_touch_another_organisations_member(client, org_a, org_b, customer_a, customer_b) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    response = client.post(reverse("portal:team"), {"user": customer_b.pk, "application": "orders", "action": "revoke"})
    assert response.status_code == 404
    with across_organisations():
        assert ApplicationGrant.objects.filter(user=customer_b, application="orders").exists()


@pytest.mark.django_db
def test_member_cannot_open_team_page(client, customer_no_grant) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_no_grant)
    assert client.get(reverse("portal:team")).status_code == 403


@pytest.mark.django_db
def test_revoke_closes_the_application(client, org_a, customer_a) -> None:  # type: ignore[no-untyped-def]
    colleague = make_member(org_a)
    with tenant_scope(org_a):
        services.application_grant(
            actor=customer_a, organisation=org_a, user=colleague, application="orders", request=None
        )
        services.application_revoke(
            actor=customer_a, organisation=org_a, user=colleague, application="orders", request=None
        )
    client.force_login(colleague)
    assert client.get(reverse("portal:application", kwargs={"application": "orders"})).status_code == 403
    assert AuditEvent.objects.filter(action="access.revoked").count() == 1


@pytest.mark.django_db
def test_switching_organisation_changes_what_is_shown(client, org_a, org_b, customer_a) -> None:  # type: ignore[no-untyped-def]
    from guichet.accounts.models import Membership

    Membership.objects.create(user=customer_a, organisation=org_b, role="member")
    client.force_login(customer_a)
    assert client.get(reverse("portal:home")).context["active_organisation"] in (org_a, org_b)
    client.post(reverse("portal:switch_organisation"), {"organisation": org_b.pk})
    response = client.get(reverse("portal:home"))
    assert response.context["active_organisation"] == org_b
    assert response.context["navigation"] == ()  # no grant in org B
    client.post(reverse("portal:switch_organisation"), {"organisation": org_a.pk})
    assert len(client.get(reverse("portal:home")).context["navigation"]) == 7


@pytest.mark.django_db
def test_switching_to_a_foreign_organisation_is_refused(client, org_b, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    response = client.post(reverse("portal:switch_organisation"), {"organisation": org_b.pk})
    assert response.status_code == 303
    assert client.get(reverse("portal:home")).context["active_organisation"] != org_b


@pytest.mark.django_db
def test_profile_change_is_audited_and_phone_normalised(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    response = client.post(
        reverse("portal:profile"), {"first_name": "Anne", "last_name": "X", "phone": "02 555 00 00", "language": "ro"}
    )
    assert response.status_code == 302 and response["Location"].startswith("/ro/")
    customer_a.refresh_from_db()
    assert customer_a.phone == "+3225550000"
    event = AuditEvent.objects.get(action="account.profile_changed")
    assert event.data["first_name"][1] == "Anne"


@pytest.mark.django_db
def test_bad_profile_input_is_a_400_and_saves_nothing(client, customer_a) -> None:  # type: ignore[no-untyped-def]
    client.force_login(customer_a)
    response = client.post(
        reverse("portal:profile"), {"first_name": "", "last_name": "X", "phone": "nope", "language": "xx"}
    )
    assert response.status_code == 400
    customer_a.refresh_from_db()
    assert customer_a.first_name == "Test"


@pytest.mark.parametrize("application", Application.values)
def test_every_application_opens_on_its_own_pages(application: str) -> None:
    assert application_url(application) != reverse("portal:application", kwargs={"application": application})
