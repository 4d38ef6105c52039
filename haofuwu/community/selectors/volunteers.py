"""Read side of volunteers: the roster with hours and points, one volunteer's records, ledger and certificates."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db.models import DecimalField, IntegerField, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from haofuwu.community.models import HoursCertificate, PointsEntry, ServiceRecord, Volunteer
from haofuwu.community.permissions import is_staff_account
from haofuwu.community.selectors.common import get_or_404
from haofuwu.core.scoping import Scope


def _total(model: Any, field: str, output: Any) -> Coalesce:
    sums = (
        model.objects.filter(volunteer=OuterRef("pk"))
        .order_by()
        .values("volunteer")
        .annotate(total=Sum(field))
        .values("total")
    )
    return Coalesce(Subquery(sums, output_field=output()), Value(0), output_field=output())


def volunteer_list_for_user(
    scope: Scope, *, project_id: int | None = None, kind: str = "", search: str = ""
) -> QuerySet[Volunteer]:
    """Volunteers of the projects the user sees, with total hours and points balance; a resident sees their own."""
    queryset = Volunteer.objects.visible_to(scope).select_related("project")
    if not is_staff_account(scope):
        queryset = queryset.filter(user_id=scope.user_id or 0)
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    if search:
        queryset = queryset.filter(name__icontains=search)
    return queryset.annotate(
        total_hours=_total(ServiceRecord, "hours", DecimalField),
        points_balance=_total(PointsEntry, "points", IntegerField),
    ).order_by("project__name", "name", "id")


def volunteer_get_for_user(scope: Scope, volunteer_id: int) -> Volunteer:
    return get_or_404(volunteer_list_for_user(scope), volunteer_id)


def service_record_list(volunteer: Volunteer) -> QuerySet[ServiceRecord]:
    return ServiceRecord.objects.filter(volunteer=volunteer).order_by("-served_on", "-id")


def points_ledger(volunteer: Volunteer) -> QuerySet[PointsEntry]:
    return PointsEntry.objects.filter(volunteer=volunteer).order_by("-created_at", "-id")


def points_balance(volunteer_id: int) -> int:
    return int(PointsEntry.objects.filter(volunteer_id=volunteer_id).aggregate(n=Sum("points"))["n"] or 0)


def hours_total(volunteer_id: int) -> Decimal:
    return ServiceRecord.objects.filter(volunteer_id=volunteer_id).aggregate(n=Sum("hours"))["n"] or Decimal(0)


def certificate_list(volunteer: Volunteer) -> QuerySet[HoursCertificate]:
    return HoursCertificate.objects.filter(volunteer=volunteer).order_by("-issued_at", "-id")


def certificate_get_for_user(scope: Scope, volunteer_id: int, certificate_id: int) -> HoursCertificate:
    volunteer = volunteer_get_for_user(scope, volunteer_id)
    return get_or_404(certificate_list(volunteer).select_related("volunteer__project"), certificate_id)


def volunteer_of_user(user_id: int | None) -> list[Volunteer]:
    if user_id is None:
        return []
    return list(Volunteer.objects.filter(user_id=user_id, is_active=True).select_related("project"))
