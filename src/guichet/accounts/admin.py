from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_scopes import scopes_disabled

from . import services
from .models import AccessRequest, ApiToken, ApplicationGrant, Consent, Membership, Organisation, User


class ScopesDisabledAdmin(admin.ModelAdmin):
    """Administrators look across organisations on purpose."""

    def get_queryset(self, request):
        with scopes_disabled():
            return super().get_queryset(request).all()

    def changelist_view(self, request, extra_context=None):
        with scopes_disabled():
            return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with scopes_disabled():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        with scopes_disabled():
            return super().delete_view(request, object_id, extra_context)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ("email",)
    list_display = ("email", "first_name", "last_name", "kind", "country", "is_active")
    list_filter = ("kind", "country", "is_active")
    search_fields = ("email", "first_name", "last_name")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profile", {"fields": ("first_name", "last_name", "phone", "language", "country", "kind")}),
        ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "first_name", "last_name", "password1", "password2")}),
    )


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "customer_number", "country", "is_nonprofit", "verified")
    list_filter = ("country", "is_nonprofit", "verified")
    search_fields = ("name", "customer_number", "vat_number")
    inlines = [MembershipInline]


@admin.register(ApplicationGrant)
class ApplicationGrantAdmin(ScopesDisabledAdmin):
    list_display = ("user", "organisation", "application", "granted_by", "granted_at")
    list_filter = ("application",)


@admin.register(AccessRequest)
class AccessRequestAdmin(ScopesDisabledAdmin):
    list_display = ("user", "organisation", "application", "status", "created_at", "decided_by")
    list_filter = ("status", "application")


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    list_display = ("user", "purpose", "wording_version", "given_at", "ip")
    readonly_fields = ("user", "purpose", "wording_version", "given_at", "ip")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are listed and revoked (deleted) here; only the API issues them, and only once."""

    list_display = ("user", "prefix", "user_agent", "created_at", "last_used_at", "expires_at")
    search_fields = ("user__email", "prefix")
    list_select_related = ("user",)
    fields = ("user", "prefix", "user_agent", "created_at", "last_used_at", "expires_at")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        services.api_tokens_revoke(user=obj.user, reason="revoked", request=request, token_id=obj.pk)

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            self.delete_model(request, token)
