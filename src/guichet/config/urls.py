from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import URLPattern, URLResolver, include, path

from .api import api

# The admin signs in through allauth, so MFA applies there too.
admin.site.login = login_required(admin.site.login)  # type: ignore[method-assign]

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
urlpatterns += i18n_patterns(
    path("", include("guichet.accounts.urls.portal")),
    path("console/", include("guichet.accounts.urls.console")),
    path("console/help/", include("guichet.help.urls_console")),
    path("help/", include("guichet.help.urls")),
    path("requests/", include("guichet.support.urls")),
    path("console/requests/", include("guichet.support.urls_console")),
    path("accounts/", include("allauth.urls")),
)

handler400 = "guichet.core.views.bad_request"
handler403 = "guichet.core.views.permission_denied"
handler404 = "guichet.core.views.page_not_found"
handler500 = "guichet.core.views.server_error"
