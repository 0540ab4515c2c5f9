"""The first two middlewares: probes answered up front, then the request id, the request line, metrics."""

from __future__ import annotations

import time
from collections.abc import Callable

import structlog
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern

from guichet.core import request_id

from . import metrics, urls

log = structlog.get_logger("guichet.request")
# Any other method string a client invents is counted as "other": labels must stay a short list.
_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

# /healthz, /readyz, /metrics, from the one list of their URLs.
_PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    f"/{pattern.pattern}": pattern.callback for pattern in urls.urlpatterns if isinstance(pattern, URLPattern)
}


class ProbeMiddleware:
    """Answer the operations endpoints before anything else runs.

    A balancer's probe carries the instance's address as Host (not in ALLOWED_HOSTS), and must
    not open a session, look up a user or pick a language: the answer has to depend on the
    process alone (and, for /readyz, on the services it checks). Probes are not logged per
    request either: a balancer asks every few seconds.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = _PROBES.get(request.path_info)
        if probe is not None:
            return probe(request)
        return self.get_response(request)


class RequestMiddleware:
    """Bind the request id (the caller's X-Request-ID if sane, else a new one) for everything the
    request does, return it in the response, write one log line and count the request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        with request_id.bound(request_id.accept(request.headers.get(request_id.HEADER))) as current:
            response = self.get_response(request)
            response[request_id.HEADER] = current
            elapsed = time.perf_counter() - started
            match = request.resolver_match
            view = match.view_name if match else "<unresolved>"
            method = request.method if request.method in _METHODS else "other"
            metrics.REQUESTS.labels(view=view, method=method, status=str(response.status_code)).inc()
            metrics.LATENCY.labels(view=view, method=method).observe(elapsed)
            fields = {
                "method": method,
                "view": view,
                "route": match.route if match else "",
                "status": response.status_code,
                "duration_ms": round(elapsed * 1000, 1),
            }
            if settings.LOG_CLIENT_IP:
                fields["client_ip"] = request.META.get("REMOTE_ADDR", "")
            log.info("request", **fields)
        return response
