from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import URLPattern, URLResolver, include, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from guichet.accounts.views.portal import set_language
from guichet.core.contexts import contexts

from .api import api


def admin_login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """The admin signs in through allauth, so MFA applies there too.

    Django's own admin login form would check the password alone: anyone signed
    in could post an administrator's password to it and skip the second factor.
    So this page never authenticates; it only sends people on.
    """
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not admin.site.has_permission(request):
        raise PermissionDenied
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    return HttpResponseRedirect(next_url)


admin.site.login = admin_login  # type: ignore[method-assign]

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # The switch saves the choice on the profile (accounts); Django's own is shadowed by the same name.
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("guichet.ops.urls")),  # /healthz, /readyz, /metrics
]
# Each context mounts its own pages (core/contexts.py); allauth's come last.
urlpatterns += i18n_patterns(
    *(pattern for context in contexts() for pattern in context.urlpatterns()),
    path("accounts/", include("allauth.urls")),
)

handler400 = "guichet.core.views.bad_request"
handler403 = "guichet.core.views.permission_denied"
handler404 = "guichet.core.views.page_not_found"
handler429 = "guichet.ops.outage.too_many_requests"  # not Django's: allauth's rate limits look it up
handler500 = "guichet.ops.outage.server_error"  # a database outage is a 503
