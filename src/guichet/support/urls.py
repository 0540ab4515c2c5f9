from django.urls import path

from .views import portal

app_name = "support"
urlpatterns = [
    path("", portal.request_list, name="list"),
    path("new/", portal.request_new, name="request_new"),
    path("<str:number>/", portal.request_detail, name="detail"),
    path("<str:number>/reply/", portal.request_reply, name="reply"),
    path("<str:number>/close/", portal.request_close, name="close"),
    path("<str:number>/reopen/", portal.request_reopen, name="reopen"),
    path("<str:number>/rate/", portal.request_rate, name="rate"),
    path("<str:number>/attachments/<int:pk>/", portal.attachment_download, name="attachment"),
]
