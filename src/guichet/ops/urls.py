"""Operations endpoints at the root, outside the language prefix (ProbeMiddleware answers them)."""

from django.urls import path

from . import metrics, probes

app_name = "ops"
urlpatterns = [
    path("healthz", probes.healthz, name="healthz"),
    path("readyz", probes.readyz, name="readyz"),
    path("metrics", metrics.metrics, name="metrics"),
]
