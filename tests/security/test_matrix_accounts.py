"""Access matrix, identities and access: the portal's home and team, the console's organisations and
access requests, sign-in (allauth), the API's identity endpoints, the admin's own pages."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core import signing

from guichet.accounts.models import ApiToken, Invitation, JoinRequest, Organisation
from guichet.accounts.services import INVITATION_SALT
from tests.accounts.factories import UserFactory
from tests.security.matrix import (
    ADMIN_ONLY,
    ADMIN_REFUSES,
    CONSOLE,
    CUSTOMER_PAGE,
    EVERYONE,
    GOES_HOME,
    LOGIN,
    MISSING_PK,
    NF,
    NO_CONTENT,
    NOT_FOUND,
    OK,
    REAUTH,
    SIGNED_IN,
    STAFF_PAGE,
    UNAUTHORISED,
    Expect,
    F,
    Group,
    Matrix,
    Probe,
    World,
    access_request,
    admin_pages,
    admin_read_only,
    organisation,
    row,
)

DECIDED = Expect(302, "console:access_requests")


def build(w: World) -> None:
    """customer_a's API token, a pending applicant of org_a, and an invitation into org_a."""
    customer_a = w.users["customer_a"]
    ApiToken.issue(customer_a)
    w.api_token = ApiToken.objects.get(user=customer_a)
    w.join_request = JoinRequest.objects.create(user=UserFactory(email="applicant@example.com"), organisation=w.org_a)
    w.invitation = Invitation.objects.create(organisation=w.org_a, email="guest@example.com", invited_by=customer_a)


def api_token(w: World) -> dict[str, object]:
    return {"pk": w.api_token.pk}


def join_request(w: World) -> dict[str, object]:
    return {"pk": w.join_request.pk}


def invitation(w: World) -> dict[str, object]:
    return {"token": signing.dumps(w.invitation.pk, salt=INVITATION_SALT)}


def org_a_on_site(w: World) -> dict[str, object]:
    return {"content_type_id": ContentType.objects.get_for_model(Organisation).pk, "object_id": w.org_a.pk}


# fmt: off
ENTRIES = {
    # portal                       anonymous  cust_a     cust_b     no_grant   agent_ro   agent_be   administrator
    "portal:home":             row(OK,        OK,        OK,        OK,        CONSOLE,   CONSOLE,   CONSOLE),
    "portal:access":           row(*CUSTOMER_PAGE),
    "portal:team":             row(LOGIN,     OK,        OK,        F,         F,         F,         F),
    "portal:profile":          row(*SIGNED_IN),
    "portal:security":         row(*SIGNED_IN),
    # customer_a's own token; anyone else's revocation finds nothing
    "portal:revoke_token":     row(LOGIN,     Expect(303, "portal:security"), NF, NF, NF, NF, NF,
                                   method="post", kwargs=api_token),
    # a pending applicant of org_a: its customer admin decides; nobody else sees it
    "portal:decide_applicant": row(LOGIN,     Expect(302, "portal:team"), NF, F, F, F, F,
                                   method="post", kwargs=join_request, data={"decision": "refuse"}),
    "portal:invite":           row(LOGIN,     Expect(302, "portal:team"), Expect(302, "portal:team"), F, F, F, F,
                                   method="post", data={"email": "invited@example.com"}),
    # the signed link is the secret: whoever holds it sees whose invitation it is, and only that
    "portal:invitation":       row(*EVERYONE, kwargs=invitation),
    # an application with its own pages forwards to them (here My invoices, billing:invoices)
    "portal:application":      row(LOGIN,     Expect(302, "billing:invoices"), Expect(302, "billing:invoices"),
                                   F,         F,         F,         F,  kwargs=lambda w: {"application": "invoices"}),
    "portal:switch_organisation": row(
                                   LOGIN,     Expect(303, "portal:home"), Expect(303, "portal:home"),
                                   Expect(303, "portal:home"), F, F, F,
                                   method="post", data=lambda w: {"organisation": w.org_a.pk}),
    # console (vendor staff)
    "console:home":            row(*STAFF_PAGE),
    "console:access_requests": row(*STAFF_PAGE),
    "console:organisations":   row(*STAFF_PAGE),
    "console:organisation":    row(LOGIN,     F,         F,         F,         NF,        OK,        OK,
                                   kwargs=organisation),
    "console:decide":          row(LOGIN,     F,         F,         F,         NF,        DECIDED,   DECIDED,
                                   method="post", kwargs=access_request,
                                   data={"decision": "refuse", "reason": "Access matrix."}),
    "set_language":            row(*(Expect(302, "help:home"),) * 7, method="post",
                                   data={"language": "fr", "next": "/en/help/"}),
    # HTTP API (bearer token)
    "api-1:api-root":          row(*(NOT_FOUND,) * 7, api=True),
    "api-1:openapi-json":      row(*EVERYONE, api=True),
    "api-1:openapi-view":      row(*EVERYONE, api=True),
    "api-1:me":                row(UNAUTHORISED, *(OK,) * 6, api=True),
    # what waits for the caller in their organisation: customers only (staff have none)
    "api-1:attention":         row(UNAUTHORISED, OK, OK, OK, F, F, F, api=True),
    "api-1:issue_token":       row(*(UNAUTHORISED,) * 7, api=True, method="post",
                                   data={"email": "nobody@example.com", "password": "wrong"}),
    # DELETE on the same path: revokes the bearer token it is sent with, whoever holds one
    "api-1:revoke_token":      row(UNAUTHORISED, *(NO_CONTENT,) * 6, api=True, method="delete"),
    # allauth pages that do not fit a group below
    "account_logout":          row(Expect(302, "/"), *(OK,) * 6),
    "account_set_password":    row(LOGIN, *(Expect(302, "account_change_password"),) * 6),
    "mfa_reauthenticate":      row(LOGIN,     REAUTH,    REAUTH,    REAUTH,    OK,        OK,        OK),
    "mfa_deactivate_totp":     row(LOGIN,     NF,        NF,        NF,        REAUTH,    REAUTH,    REAUTH),
    # Django admin: administrators only; its own sign-in page only forwards (allauth signs in, with MFA)
    "admin:login":             row(LOGIN,     F,         F,         F,         F,         F,
                                   Expect(302, "admin:index")),
    "admin:logout":            row(*(Expect(302, "admin:index"),) * 6, OK, method="post"),
    **admin_read_only("core", "auditevent"),  # the audit trail is evidence: never edited
    "admin:accounts_apitoken_add": row(*ADMIN_REFUSES),  # tokens come from the API only, shown once
    "admin:view_on_site":      row(*ADMIN_ONLY[:6], NF, kwargs=org_a_on_site),  # no model has a public page
    "admin:autocomplete":      row(*ADMIN_ONLY,
                                   query={"app_label": "accounts", "model_name": "membership", "field_name": "user"}),
    "admin/(?P<url>.*)$":      row(*ADMIN_ONLY[:6], NF, url="/admin/no-such-page/"),
}
# fmt: on

GROUPS = (
    Group(
        "allauth: public pages",
        row(*EVERYONE),
        names=frozenset(
            {
                "account_email_verification_sent",
                "account_inactive",
                "account_reset_password",
                "account_reset_password_done",
                "account_reset_password_from_key_done",
            }
        ),
    ),
    Group(
        "allauth: public pages with a (here bogus) key",
        row(*EVERYONE, kwargs=lambda w: {"key": "not-a-real-key", "uidb36": "1"}),
        names=frozenset({"account_confirm_email", "account_reset_password_from_key"}),
    ),
    Group(
        "allauth: signed-out pages",
        row(OK, *GOES_HOME),
        names=frozenset({"account_login", "account_signup"}),
    ),
    Group(
        "allauth: steps of a sign-in in progress",
        row(LOGIN, *GOES_HOME),
        names=frozenset({"account_confirm_login_code", "mfa_authenticate", "mfa_login_webauthn"}),
    ),
    Group(
        "allauth: signed-in pages",
        row(*SIGNED_IN),
        names=frozenset(
            {"account_change_password", "account_email", "account_reauthenticate", "mfa_index", "mfa_list_webauthn"}
        ),
    ),
    Group(
        "allauth: pages that first ask for the password again",
        row(LOGIN, *(REAUTH,) * 6),
        names=frozenset(
            {"mfa_activate_totp", "mfa_add_webauthn", "mfa_generate_recovery_codes", "mfa_reauthenticate_webauthn"}
        ),
    ),
    Group(
        "allauth: one's own passkey, after the password again",
        row(LOGIN, *(REAUTH,) * 6, kwargs=lambda w: {"pk": w.authenticator.pk}),
        names=frozenset({"mfa_edit_webauthn", "mfa_remove_webauthn"}),
    ),
    Group(
        "allauth: recovery codes (none were generated)",
        row(LOGIN, *(NOT_FOUND,) * 6),
        names=frozenset({"mfa_view_recovery_codes", "mfa_download_recovery_codes"}),
    ),
    Group(
        "Django admin: the site's own pages",
        row(*ADMIN_ONLY),
        names=frozenset(
            {"admin:index", "admin:app_list", "admin:password_change", "admin:password_change_done", "admin:jsi18n"}
        ),
    ),
    # The kernel's models and those of the libraries it stands on (auth groups, allauth's addresses, MFA).
    *admin_pages("accounts", "core", "auth", "account", "mfa"),
)

PROBES = (
    # Console pages are closed to customers before any lookup: 403 for foreign and missing alike.
    Probe(
        "console:organisation",
        organisation,
        lambda w: {"customer_number": "X-000000"},
        {"agent_ro": 404, "customer_b": 403},
        ("agent_be", OK),
    ),
    Probe(
        "console:decide",
        access_request,
        lambda w: {"pk": MISSING_PK},
        {"agent_ro": 404, "customer_b": 403},
        ("agent_be", CONSOLE),
        method="post",
        data={"decision": "refuse", "reason": "No."},
    ),
    Probe(
        "portal:revoke_token",
        api_token,
        lambda w: {"pk": MISSING_PK},
        {"customer_b": 404, "agent_be": 404},
        ("customer_a", Expect(303, "portal:security")),
        method="post",
    ),
    Probe(
        "portal:decide_applicant",
        join_request,
        lambda w: {"pk": MISSING_PK},
        {"customer_b": 404},
        ("customer_a", Expect(302, "portal:team")),
        method="post",
        data={"decision": "refuse"},
    ),
    # The team page names a member in its form: org_a's member is not customer_b's to change.
    Probe(
        "portal:team",
        lambda w: {"user": w.member.pk},
        lambda w: {"user": MISSING_PK},
        {"customer_b": 404},
        ("customer_a", Expect(302, "portal:team")),
        method="post",
        data={"application": "orders", "action": "grant"},
        in_data=True,
    ),
)

MATRIX = Matrix(
    ENTRIES,
    groups=GROUPS,
    probes=PROBES,
    post_only=(
        "portal:switch_organisation",
        "console:decide",
        "api-1:issue_token",
        "portal:revoke_token",
        "portal:decide_applicant",
        "portal:invite",
    ),
    object_urls=(organisation, access_request, api_token, join_request),
    build=build,
)
# This module's tests: test_access, test_actions_refuse_get, test_foreign_objects_answer_like_missing_ones.
globals().update(MATRIX.tests())
