import pytest
from django.urls import reverse

ROLES = ["anonymous", "customer_a", "customer_no_grant", "agent_be", "administrator"]
NAMES = """account_change_password account_confirm_login_code account_email account_email_verification_sent
account_inactive account_login account_logout account_reauthenticate account_reset_password account_reset_password_done
account_reset_password_from_key_done account_set_password account_signup mfa_activate_totp mfa_add_webauthn
mfa_authenticate mfa_deactivate_totp mfa_download_recovery_codes mfa_generate_recovery_codes mfa_index
mfa_list_webauthn mfa_login_webauthn mfa_reauthenticate mfa_reauthenticate_webauthn mfa_view_recovery_codes
admin:index admin:login admin:logout admin:jsi18n admin:password_change api-1:api-root api-1:openapi-view portal:home""".split()
EXTRA = {
    "/en/accounts/confirm-email/abc/": None,
    "/en/accounts/password/reset/key/1-abc/": None,
    "/en/accounts/2fa/webauthn/keys/1/edit/": None,
    "/en/accounts/2fa/webauthn/keys/1/remove/": None,
}

@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_probe(role, request, client):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role))
    out = []
    for n in NAMES:
        u = reverse(n)
        r = client.get(u)
        out.append(f"{role:18} {n:40} {r.status_code} {r.get('Location','')}")
    for u in EXTRA:
        r = client.get(u)
        out.append(f"{role:18} {u:40} {r.status_code} {r.get('Location','')}")
    print("\n".join(out))
