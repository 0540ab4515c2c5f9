from django.urls import path

from .views import console, signing

app_name = "contracts_console"
urlpatterns = [
    path("", console.home, name="home"),
    path("<str:number>/", console.detail, name="detail"),
    path("<str:number>/terminate/", console.vendor_terminate, name="terminate"),
    path("<str:number>/terminations/<int:pk>/decide/", console.decide, name="decide"),
    path("<str:number>/terminations/<int:pk>/notice.pdf", console.notice, name="notice"),
    # signing (contracts/views/signing.py)
    path("<str:number>/countersign/", signing.countersign, name="countersign"),
    path("<str:number>/signed.pdf", signing.console_signed_document, name="signed_document"),
]
