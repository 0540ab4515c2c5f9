"""Error pages: translated, in the portal's layout, never a bare server page; under /api/, the API's JSON body."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

API_PREFIX = "/api/"


def api_error(status: int, code: str, message: str) -> JsonResponse:
    """The API's error body, for answers given outside its views (Django's own 400/404/500)."""
    return JsonResponse({"code": code, "message": message, "details": {}}, status=status)


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return api_error(400, "bad_request", _("We could not understand that request"))
    return render(request, "400.html", status=400)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return api_error(403, "forbidden", _("You may not do this here."))
    return render(request, "403.html", status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return api_error(404, "not_found", _("Not found."))
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return api_error(500, "server_error", _("Something went wrong on our side. Try again later."))
    # Plain template: the context processors may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
