from django.urls import path

from .views import portal

app_name = "inventory"
urlpatterns = [
    path("", portal.machine_list, name="list"),
    path("lookup/", portal.lookup, name="lookup"),
    path("repairs/<str:number>/", portal.repair_detail, name="repair"),
    path("repairs/<str:number>/estimate/", portal.repair_estimate_answer, name="repair_estimate_answer"),
    path("repairs/<str:number>/label.pdf", portal.repair_label, name="repair_label"),
    path("relocations/<str:number>/", portal.relocation_detail, name="relocation"),
    path("<str:serial>/", portal.machine_detail, name="detail"),
    path("<str:serial>/edit/", portal.machine_edit, name="edit"),
    path("<str:serial>/repair/", portal.repair_new, name="repair_new"),
    path("<str:serial>/transfer/", portal.transfer_new, name="transfer_new"),
    path("<str:serial>/relocation/", portal.relocation_new, name="relocation_new"),
]
