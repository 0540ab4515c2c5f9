from django.urls import path

from .views import portal, signing

app_name = "contracts"
urlpatterns = [
    path("", portal.contract_list, name="list"),
    path("servicepac/", portal.servicepac, name="servicepac"),
    path("machines/", portal.machine_lookup, name="machine_lookup"),
    path("<str:number>/", portal.contract_detail, name="detail"),
    path("<str:number>/copy.pdf", portal.contract_copy, name="copy"),
    path("<str:number>/machines.csv", portal.machines_csv, name="machines_csv"),
    path("<str:number>/machines.pdf", portal.machines_pdf, name="machines_pdf"),
    path("<str:number>/terminate/", portal.terminate, name="terminate"),
    path("<str:number>/terminations/<int:pk>/notice.pdf", portal.termination_notice, name="notice"),
    path("<str:number>/terminations/<int:pk>/withdraw/", portal.termination_withdraw, name="withdraw"),
    path("<str:number>/terminations/<int:pk>/destruction/", portal.destruction_confirm, name="destruction"),
    # signing (contracts/views/signing.py)
    path("<str:number>/sign/", signing.sign, name="sign"),
    path("<str:number>/signed.pdf", signing.signed_document, name="signed_document"),
]
