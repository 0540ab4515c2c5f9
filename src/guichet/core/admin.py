from django.contrib import admin

from .models import AuditEvent, OutboxMessage, SupportCentre


@admin.register(SupportCentre)
class SupportCentreAdmin(admin.ModelAdmin):
    list_display = ("country", "phone", "opens_at", "closes_at", "timezone")


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "action", "actor_label", "organisation", "target", "ip")
    list_filter = ("action",)
    search_fields = ("actor_label", "target", "organisation__name")

    # The trail is evidence: nobody edits or deletes it from the admin.
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "template", "to", "status", "attempts", "sent_at")
    list_filter = ("status", "template")
    search_fields = ("to", "message_id")
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]
