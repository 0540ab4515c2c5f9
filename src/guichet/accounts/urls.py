from django.urls import path

from .views import notifications, portal

app_name = "portal"
urlpatterns = [
    path("", portal.home, name="home"),
    path("access/", portal.access, name="access"),
    path("team/", portal.team, name="team"),
    path("team/applicants/<int:pk>/", portal.decide_applicant, name="decide_applicant"),
    path("team/invitations/", portal.invite, name="invite"),
    path("invitations/<str:token>/", portal.invitation, name="invitation"),
    path("profile/", portal.profile, name="profile"),
    path("security/", portal.security, name="security"),
    path("security/tokens/<int:pk>/revoke/", portal.revoke_token, name="revoke_token"),
    path("organisation/switch/", portal.switch_organisation, name="switch_organisation"),
    path("notifications/", notifications.notifications, name="notifications"),
    path("notifications/count/", notifications.bell, name="notification_bell"),
    path("notifications/read/", notifications.mark_read, name="notifications_read"),
    path("notifications/<int:pk>/open/", notifications.open_notification, name="notification_open"),
    path("notifications/preferences/", notifications.preferences, name="notification_preferences"),
    path("app/<slug:application>/", portal.application, name="application"),
]
