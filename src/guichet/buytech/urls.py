from django.urls import path

from .views import portal

app_name = "buytech"
urlpatterns = [
    path("", portal.home, name="home"),
    path("attestation/", portal.attest, name="attest"),
    path("catalogue/", portal.catalogue, name="catalogue"),
    path("cart/", portal.cart, name="cart"),
    path("cart/checkout/", portal.checkout, name="checkout"),
    path("orders/<str:number>/", portal.order_detail, name="order"),
    path("orders/<str:number>/cancel/", portal.order_cancel, name="cancel"),
    path("orders/<str:number>/returns/", portal.order_return, name="return"),
    path("orders/<str:number>/warranty/", portal.order_claim, name="claim"),
]
