"""allauth hooks: where to land after login, throttled-login audit, profile on signup."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from guichet.core import audit
from guichet.core.notifications.outbox import enqueue

from . import login_limits


class AccountAdapter(DefaultAccountAdapter):
    def get_login_redirect_url(self, request: HttpRequest) -> str:
        language = getattr(request.user, "language", "") or translation.get_language()
        target = "console:home" if getattr(request.user, "is_vendor_staff", False) else "portal:home"
        with translation.override(language):
            return reverse(target)

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        try:
            login_limits.require_counting()  # the counts cannot be read: no password is tried
        except login_limits.CountingUnavailable as error:
            raise ValidationError(str(error.message), code=str(error.code)) from None
        try:
            super().pre_authenticate(request, **credentials)  # the per-account count (allauth)
            if login_limits.address_blocked(request):
                raise self.validation_error("too_many_login_attempts")
        except Exception:
            audit.record(
                "auth.login_throttled",
                actor_label=str(credentials.get("email", ""))[:254],
                request=request,
            )
            raise

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        login_limits.record_address_failure(request, str(credentials.get("email", "")))

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # Rendered now (allauth's templates, the request's language), sent by the outbox after the
        # answer: a page never waits for the mail server, and signing up with a known address
        # ("you already have an account") takes as long as with a new one.
        request = allauth_context.request
        message = self.render_mail(template_prefix, email, {"request": request, "email": email, **context})
        html = next(
            (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
        )
        enqueue(
            to=email,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            template="rendered",
            context={
                "subject": str(message.subject).removeprefix(settings.ACCOUNT_EMAIL_SUBJECT_PREFIX),
                "text": message.body,
                "html": html,
            },
        )

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        # Names and language belong on the row from its first save.
        data = getattr(form, "cleaned_data", {})
        for field in ("first_name", "last_name", "language", "country"):
            if data.get(field):
                setattr(user, field, data[field])
        return super().save_user(request, user, form, commit=commit)
