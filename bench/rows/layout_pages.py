"""Two pages bench/rows/page_costs.py mounts beside the site's: what every signed-in page pays.

`/<lang>/_bench/hello/` answers a word without a template (the middleware alone);
`/<lang>/_bench/layout/` is `base.html` with an empty content block, the smallest page a signed-in
person gets. Imported once Django is set up; the URLconf is this process's only.
"""

from __future__ import annotations

import sys
import types

from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import clear_url_caches, path

from guichet.config import urls as site_urls


def _layout(request: HttpRequest) -> HttpResponse:
    return render(request, "base.html")


def _hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Hello")  # no template, no context processor


def mount() -> None:
    """The site's URLs plus the two pages, as the root URLconf."""
    module = types.ModuleType("bench_layout_urls")
    own = i18n_patterns(path("_bench/layout/", _layout), path("_bench/hello/", _hello))
    module.urlpatterns = [*site_urls.urlpatterns, *own]  # type: ignore[attr-defined]
    for handler in ("handler400", "handler403", "handler404", "handler500"):
        setattr(module, handler, getattr(site_urls, handler))
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    clear_url_caches()
