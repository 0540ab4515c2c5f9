from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django_scopes import scopes_disabled

from .models import AccessRequest, ApplicationGrant, Consent, Membership, Organisation, User


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
