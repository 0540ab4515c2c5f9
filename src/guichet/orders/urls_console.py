from django.urls import URLPattern, path  # noqa: F401

app_name = "orders_console"
urlpatterns: list[URLPattern] = []
