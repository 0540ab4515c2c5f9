from django.urls import path

from .views import console

app_name = "inventory_console"
urlpatterns = [
    path("", console.home, name="home"),
    path("import/", console.import_inventory, name="import"),
    path("import/<int:pk>/", console.import_job, name="import_job"),
    path("repairs/<str:number>/", console.repair, name="repair"),
    path("repairs/<str:number>/estimate/", console.repair_estimate, name="repair_estimate"),
    path("repairs/<str:number>/dispatch/", console.repair_dispatch, name="repair_dispatch"),
    path("repairs/<str:number>/close/", console.repair_close, name="repair_close"),
    path("transfers/<str:number>/", console.transfer, name="transfer"),
    path("transfers/<str:number>/confirm/", console.transfer_confirm, name="transfer_confirm"),
    path("relocations/<str:number>/", console.relocation, name="relocation"),
    path("relocations/<str:number>/assign/", console.relocation_assign, name="relocation_assign"),
    path("relocations/<str:number>/decide/", console.relocation_decide, name="relocation_decide"),
    path("relocations/<str:number>/carry-out/", console.relocation_carry_out, name="relocation_carry_out"),
    path("site-changes/<int:pk>/review/", console.site_change_review, name="site_change_review"),
]
