"""Admin of reception days, surveys and periodic visits, for platform administrators. Survey responses are
read-only: they are evidence for the standard, written only by the services."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from haofuwu.feedback.models import (
    Answer,
    PeriodicVisit,
    Question,
    ReceptionBooking,
    ReceptionDay,
    ReceptionIssue,
    ReceptionSlot,
    Survey,
    SurveyResponse,
)


class SlotInline(admin.TabularInline):
    model = ReceptionSlot
    extra = 0
    fields = ("starts_at", "ends_at", "capacity", "booked")
    readonly_fields = ("booked",)


@admin.register(ReceptionDay)
class ReceptionDayAdmin(admin.ModelAdmin):
    list_display = ("date", "project", "place", "host_name", "status")
    list_filter = ("status",)
    search_fields = ("project__name", "place")
    date_hierarchy = "date"
    raw_id_fields = ("project", "host")
    inlines = [SlotInline]


@admin.register(ReceptionBooking)
class ReceptionBookingAdmin(admin.ModelAdmin):
    list_display = ("day", "slot", "unit", "visitor_name", "topic", "status", "is_walk_in")
    list_filter = ("status", "is_walk_in")
    raw_id_fields = ("day", "slot", "unit", "booked_by")


@admin.register(ReceptionIssue)
class ReceptionIssueAdmin(admin.ModelAdmin):
    list_display = ("day", "description", "outcome", "work_order", "follow_up_due", "closed_at")
    list_filter = ("outcome",)
    raw_id_fields = ("day", "booking", "unit", "work_order", "recorded_by")


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ("position", "kind", "service_line", "text", "options", "is_required")


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "project", "opens_on", "closes_on", "status", "counts_basically_satisfied")
    list_filter = ("status",)
    search_fields = ("title", "project__name")
    raw_id_fields = ("project", "created_by")
    inlines = [QuestionInline]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = ("question", "level", "choices", "text")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ("survey", "unit", "channel", "entered_by", "submitted_at")
    list_filter = ("channel",)
    readonly_fields = (
        "survey",
        "unit",
        "channel",
        "respondent",
        "entered_by",
        "submitted_at",
        "ip_digest",
        "device_id",
    )
    inlines = [AnswerInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PeriodicVisit)
class PeriodicVisitAdmin(admin.ModelAdmin):
    list_display = ("due_on", "project", "unit", "visited_at", "outcome")
    list_filter = ("outcome",)
    raw_id_fields = ("project", "unit", "visitor")
