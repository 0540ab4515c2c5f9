from django.urls import path

from . import views

app_name = "help"
urlpatterns = [
    path("contact/", views.contact, name="contact"),
]
