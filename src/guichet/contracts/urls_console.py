from django.urls import URLPattern, path  # noqa: F401

app_name = "contracts_console"
urlpatterns: list[URLPattern] = []
