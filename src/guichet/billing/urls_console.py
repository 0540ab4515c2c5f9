from django.urls import path

from .views import console

app_name = "billing_console"
urlpatterns = [
    path("", console.home, name="home"),
    path("payments/new/", console.payment_new, name="payment_new"),
    path("payments/import/", console.payment_import, name="payment_import"),
    path("disputes/<int:pk>/resolve/", console.resolve, name="resolve"),
    path("payments/<path:reference>/allocate/", console.allocate, name="allocate"),
]
