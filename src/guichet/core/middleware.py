"""Language choice: the URL prefix, else the signed-in user's profile, else the browser."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import get_language_from_path


class ProfileLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, preferring the user's profile language to the browser's.

    Sits after AuthenticationMiddleware so `request.user` is known.
    """

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)
        if get_language_from_path(request.path_info):
            return
        user = getattr(request, "user", None)
        language = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
        if language in dict(settings.LANGUAGES):
            translation.activate(language)
            request.LANGUAGE_CODE = translation.get_language()
