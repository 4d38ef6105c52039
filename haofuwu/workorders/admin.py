"""Admin of work orders, SLA policies and working calendars, for platform administrators. The timeline is
read-only: it is the record of what happened, written only by the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haofuwu.workorders.models import (
    CalendarDay,
    ReturnVisit,
    SlaPolicy,
    WorkOrder,
    WorkOrderEvent,
    WorkOrderHold,
    WorkOrderPhoto,
)


class EventInline(admin.TabularInline):
    model = WorkOrderEvent
    extra = 0
    can_delete = False
    fields = ("created_at", "actor_name", "action", "from_status", "to_status", "note")
    readonly_fields = fields
    ordering = ("created_at", "id")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PhotoInline(admin.TabularInline):
    model = WorkOrderPhoto
    extra = 0
    fields = ("stage", "image", "content_type", "size", "uploaded_by", "created_at")
    readonly_fields = ("content_type", "size", "uploaded_by", "created_at")


class HoldInline(admin.TabularInline):
    model = WorkOrderHold
    extra = 0
    fields = ("reason", "started_at", "ended_at")


class ReturnVisitInline(admin.TabularInline):
    model = ReturnVisit
    extra = 0
    fields = ("visited_at", "method", "outcome", "note", "visitor")
    raw_id_fields = ("visitor",)


@admin.register(WorkOrder)
class WorkOrderAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "title",
        "project",
        "kind",
        "category",
        "urgency",
        "channel",
        "status",
        "assignee",
        "submitted_at",
        "resolution_due_at",
    )
    list_filter = ("status", "kind", "urgency", "channel", "category", "escalation_level")
    search_fields = ("title", "hotline_case_number")
    list_select_related = ("project", "assignee")
    raw_id_fields = ("project", "building", "unit", "reporter", "assignee", "sla_policy")
    date_hierarchy = "submitted_at"
    inlines = (EventInline, PhotoInline, HoldInline, ReturnVisitInline)
    # The reporter's phone is encrypted at rest and personal: it is not shown in the admin list.
    exclude = ("reporter_phone",)


@admin.register(SlaPolicy)
class SlaPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "company",
        "project",
        "kind",
        "category",
        "urgency",
        "response_minutes",
        "arrival_minutes",
        "resolution_minutes",
        "uses_working_hours",
    )
    list_filter = ("kind", "urgency", "uses_working_hours")
    list_select_related = ("company", "project")
    raw_id_fields = ("company", "project")


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "company", "name", "is_working_day")
    list_filter = ("is_working_day", "company")
    search_fields = ("name",)
    date_hierarchy = "date"
