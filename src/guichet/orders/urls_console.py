from django.urls import path

from .views import console

app_name = "orders_console"
urlpatterns = [
    path("", console.find, name="find"),
    path("<str:number>/", console.detail, name="detail"),
    path("<str:number>/shipments/", console.add_shipment, name="add_shipment"),
    path("<str:number>/status/", console.post_status, name="status"),
]
