"""Admin of accounts: users with their role assignments, API tokens (never the token) and log-in throttles."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from haofuwu.accounts.models import ApiToken, LoginThrottle, RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ("role", "trade", "district", "company", "project", "unit")
    raw_id_fields = ("company", "project", "unit")


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "display_name", "email", "is_active", "is_superuser", "last_login")
    search_fields = ("username", "display_name", "email")
    list_filter = ("is_active", "is_superuser", "role_assignments__role")
    inlines = (RoleAssignmentInline,)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (
            _("Personal info"),
            {"fields": ("display_name", "first_name", "last_name", "email", "phone", "wechat_openid")},
        ),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created by their owners on the tokens page; here they can only be looked at (by prefix)."""

    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    list_filter = (("revoked_at", admin.EmptyFieldListFilter),)
    search_fields = ("prefix", "name", "user__username")
    list_select_related = ("user",)
    fields = ("user", "name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(LoginThrottle)
class LoginThrottleAdmin(admin.ModelAdmin):
    """Deleting a row unlocks that key (an account name from one client, or one client) at once."""

    list_display = ("key", "failures", "first_failure_at", "locked_until")
    search_fields = ("key",)
    readonly_fields = ("key", "failures", "first_failure_at", "locked_until")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
