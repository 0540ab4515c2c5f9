from django.urls import path

from . import views

app_name = "help"
urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("articles/<slug:slug>/", views.article, name="article"),
    path("articles/<slug:slug>/feedback/", views.feedback, name="feedback"),
    path("contact/", views.contact, name="contact"),
    path("check/", views.check_answers, name="check"),
    path("suggest/", views.suggest, name="suggest"),
    path("suggestions/<slug:slug>/", views.suggestion, name="suggestion"),
]
