from django.urls import path

from .views import portal

app_name = "billing"
urlpatterns = [
    path("", portal.invoice_list, name="invoices"),
    path("statement/", portal.statement, name="statement"),
    path("statement/csv/", portal.statement_csv, name="statement_csv"),
    path("statement/pdf/", portal.statement_pdf, name="statement_pdf"),
    path("options/", portal.options, name="options"),
    path("<str:number>/", portal.invoice_detail, name="invoice"),
    path("<str:number>/pdf/", portal.invoice_pdf, name="invoice_pdf"),
    path("<str:number>/dispute/", portal.dispute_new, name="dispute"),
]
