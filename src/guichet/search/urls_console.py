from django.urls import path

from . import views

app_name = "search_console"
urlpatterns = [path("", views.console_results, name="results")]
