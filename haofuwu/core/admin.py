"""Admin of the shared kernel: the audit log (read-only) and notifications, for platform administrators."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from haofuwu.core.models import AuditEntry, Notification


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """The audit trail as written by the services; nobody edits or deletes history, not even an administrator."""

    list_display = ("created_at", "actor_name", "action", "target_type", "target_repr")
    list_filter = ("action", ("created_at", admin.DateFieldListFilter), "target_type")
    date_hierarchy = "created_at"
    search_fields = ("actor_name", "action", "target_repr", "target_id")
    list_select_related = ("target_type",)
    readonly_fields = (
        "created_at",
        "actor",
        "actor_name",
        "action",
        "target_type",
        "target_id",
        "target_repr",
        "data",
    )
    fields = readonly_fields
    show_full_result_count = False

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "title", "channels", "is_read")
    list_filter = (("read_at", admin.EmptyFieldListFilter), "created_at")
    search_fields = ("title", "recipient__username")
    list_select_related = ("recipient",)
    raw_id_fields = ("recipient",)
    readonly_fields = ("created_at", "dedup_key")

    @admin.display(boolean=True, description=_("read"))
    def is_read(self, obj: Notification) -> bool:
        return obj.is_read
