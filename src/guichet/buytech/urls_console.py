from django.urls import path

from .views import console

app_name = "buytech_console"
urlpatterns = [
    path("", console.board, name="home"),
    path("eligibility/", console.eligibility, name="eligibility"),
    path("eligibility/import/", console.partner_import, name="import"),
    path("eligibility/<str:customer_number>/", console.eligibility_set, name="set_eligibility"),
    path("orders/<str:number>/", console.order_detail, name="order"),
    path("orders/<str:number>/fee/", console.fee, name="fee"),
    path("orders/<str:number>/confirm/", console.confirm, name="confirm"),
    path("orders/<str:number>/payment/", console.payment, name="payment"),
    path("orders/<str:number>/shipments/", console.ship, name="ship"),
    path("orders/<str:number>/delivered/", console.delivered, name="delivered"),
    path("orders/<str:number>/substitute/", console.substitute, name="substitute"),
    path("orders/<str:number>/cancel/", console.vendor_cancel, name="cancel"),
    path("orders/<str:number>/return-decision/", console.return_decide, name="return_decide"),
    path("orders/<str:number>/return-received/", console.return_received, name="return_received"),
    path("orders/<str:number>/claim-resolved/", console.claim_resolve, name="claim_resolve"),
]
