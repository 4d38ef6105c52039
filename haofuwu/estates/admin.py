"""Admin of the estates registry, for platform administrators. Residents' personal data stays masked in lists."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from haofuwu.core.masking import mask_id_number, mask_phone
from haofuwu.estates.models import (
    Building,
    Company,
    ImportRun,
    Project,
    Resident,
    ResidentTagging,
    Staff,
    StaffAssignment,
    StaffCertificate,
    Unit,
)


@admin.register(Company)
class CompanyAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "qualification", "phone")
    list_filter = ("qualification",)
    search_fields = ("name", "credit_code")


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "company", "district", "project_type", "household_count", "has_elevators")
    list_filter = ("district", "project_type", "has_elevators")
    search_fields = ("name", "address", "community")
    list_select_related = ("company",)
    raw_id_fields = ("company",)


@admin.register(Building)
class BuildingAdmin(admin.ModelAdmin):
    list_display = ("name", "project", "floors_above", "entrances", "elevator_count")
    search_fields = ("name", "project__name")
    list_select_related = ("project",)
    raw_id_fields = ("project",)


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("__str__", "building", "entrance", "floor", "room", "area", "status")
    list_filter = ("status",)
    search_fields = ("room", "building__name", "building__project__name")
    list_select_related = ("building__project",)
    raw_id_fields = ("building",)


class ResidentTaggingInline(admin.TabularInline):
    model = ResidentTagging
    extra = 0


@admin.register(Resident)
class ResidentAdmin(admin.ModelAdmin):
    """Phone and ID number show masked in the list; the edit form has them for corrections. The keyed digests
    are internal and never shown."""

    list_display = ("name", "unit", "relation", "masked_phone", "masked_id_number")
    list_filter = ("relation", "tags__tag")
    search_fields = ("name",)
    list_select_related = ("unit__building",)
    raw_id_fields = ("unit", "user")
    exclude = ("phone_index", "id_number_index")
    inlines = (ResidentTaggingInline,)

    @admin.display(description=_("mobile phone"))
    def masked_phone(self, obj: Resident) -> str:
        return mask_phone(obj.phone or "")

    @admin.display(description=_("ID number"))
    def masked_id_number(self, obj: Resident) -> str:
        return mask_id_number(obj.id_number or "")

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        # Keep the digests that imports match on in step with an edited phone or ID number.
        from haofuwu.estates.services import resident_fill_indexes

        resident_fill_indexes(obj)
        super().save_model(request, obj, form, change)


class StaffAssignmentInline(admin.TabularInline):
    model = StaffAssignment
    extra = 0
    raw_id_fields = ("project",)


class StaffCertificateInline(admin.TabularInline):
    model = StaffCertificate
    extra = 0


@admin.register(Staff)
class StaffAdmin(admin.ModelAdmin):
    list_display = ("employee_no", "name", "company", "trade", "is_manager", "is_active")
    list_filter = ("trade", "is_manager", "is_active")
    search_fields = ("name", "employee_no")
    list_select_related = ("company",)
    raw_id_fields = ("company", "user")
    inlines = (StaffAssignmentInline, StaffCertificateInline)


@admin.register(StaffCertificate)
class StaffCertificateAdmin(admin.ModelAdmin):
    list_display = ("staff", "kind", "number", "issued_on", "expires_on")
    list_filter = ("kind", "expires_on")
    list_select_related = ("staff",)
    raw_id_fields = ("staff",)


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = ("created_at", "project", "kind", "file_name", "is_dry_run", "rows_total", "rows_failed")
    list_filter = ("kind", "is_dry_run")
    list_select_related = ("project",)
    readonly_fields = [field.name for field in ImportRun._meta.fields]

    def has_add_permission(self, request) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(ResidentTagging)
class ResidentTaggingAdmin(admin.ModelAdmin):
    list_display = ("resident", "tag")
    list_filter = ("tag",)
    raw_id_fields = ("resident",)


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(admin.ModelAdmin):
    list_display = ("staff", "project", "started_on", "ended_on")
    list_filter = (("ended_on", admin.EmptyFieldListFilter),)
    list_select_related = ("staff", "project")
    raw_id_fields = ("staff", "project")
