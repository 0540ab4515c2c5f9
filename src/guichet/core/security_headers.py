"""Headers every response gets beyond Django's own: Permissions-Policy, and no-store on customer data.

Customer data must not rest in a browser's or a proxy's cache: a PDF (invoice, contract, label),
a CSV export, and an API answer to an identified caller are sent with `Cache-Control: no-store`.
One place decides it, so a new export or endpoint is covered without remembering to.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers

PRIVATE_CONTENT_TYPES = ("application/pdf", "text/csv")


def holds_customer_data(request: HttpRequest, response: HttpResponse) -> bool:
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type in PRIVATE_CONTENT_TYPES:
        return True
    user = getattr(request, "user", None)
    return request.path.startswith("/api/") and user is not None and user.is_authenticated


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        if holds_customer_data(request, response):
            add_never_cache_headers(response)
        return response
