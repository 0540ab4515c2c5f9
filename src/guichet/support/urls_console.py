from django.urls import path

from .views import console

app_name = "support_console"
urlpatterns = [
    path("", console.queue, name="queue"),
    path("bulk/", console.bulk, name="bulk"),
    path("satisfaction/", console.satisfaction, name="satisfaction"),
    path("<str:number>/", console.detail, name="detail"),
    path("<str:number>/canned/", console.canned, name="canned"),
    path("<str:number>/assign/", console.assign, name="assign"),
    path("<str:number>/reply/", console.reply, name="reply"),
    path("<str:number>/status/", console.set_status, name="status"),
    path("<str:number>/attachments/<int:pk>/", console.attachment_download, name="attachment"),
]
