"""allauth's signup form, made to answer a known address as slowly as a new one (ACCOUNT_FORMS).

Kept out of forms.py: allauth's form module imports RegistrationForm (ACCOUNT_SIGNUP_FORM_CLASS)
from there while it loads.
"""

from __future__ import annotations

from typing import Any

from allauth.account.forms import SignupForm as AllauthSignupForm
from django.contrib.auth.hashers import make_password
from django.http import HttpRequest


class SignupForm(AllauthSignupForm):
    def try_save(self, request: HttpRequest) -> Any:
        if self.account_already_exists:
            # A new address costs a password hash (the new user's); without the same work here, a
            # fast answer would tell that the address has an account. Both send their e-mail
            # through the outbox (adapter.send_mail), after the answer.
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)
