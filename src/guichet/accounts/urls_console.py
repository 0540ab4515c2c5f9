from django.urls import path

from .views import console

app_name = "console"
urlpatterns = [
    path("", console.home, name="home"),
    path("access-requests/", console.access_requests, name="access_requests"),
    path("access-requests/<int:pk>/decide/", console.decide, name="decide"),
    path("organisations/", console.organisations, name="organisations"),
    path("organisations/<str:customer_number>/", console.organisation, name="organisation"),
]
