from django.urls import path

from . import console

app_name = "help_console"
urlpatterns = [path("", console.help_insights, name="insights")]
