from django.urls import path

from .views import portal

app_name = "orders"
urlpatterns = [
    path("", portal.order_list, name="list"),
    path("<str:number>/", portal.order_detail, name="detail"),
]
