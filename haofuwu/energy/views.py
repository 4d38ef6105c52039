"""Pages of the energy app: the project dashboard, meter detail, cross-project benchmarking, ingestion keys and
the readings import. Charts are drawn by ECharts from JSON the views put in the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from haofuwu.core.errors import READ_ONLY, DomainError, PermissionDenied
from haofuwu.core.scoping import Scope
from haofuwu.energy import selectors, services
from haofuwu.energy.choices import AnomalyStatus, MeterKind, MeterScope, Resolution
from haofuwu.energy.forms import AnomalyNoteForm, IngestKeyForm, PeriodForm, ReadingsFileForm
from haofuwu.energy.ingest.files import readings_import as import_file
from haofuwu.energy.ingest.files import template_xlsx
from haofuwu.estates.spreadsheets import XLSX_CONTENT_TYPE


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined]


def _next_hour() -> dt.datetime:
    """The start of the next local hour: the end of a period that includes the current hour."""
    return timezone.localtime().replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)


def _period(request: HttpRequest) -> tuple[PeriodForm, dt.datetime, dt.datetime]:
    form = PeriodForm(request.GET or None)
    days = form.cleaned_data.get("days") if form.is_valid() else None
    end = _next_hour()
    return form, end - dt.timedelta(days=days or 30), end


def _can_manage(scope: Scope, project: Any) -> bool:
    return scope.can_write_project(project.pk, project.company_id)


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """One project in reach: its dashboard; several (a company, a regulator): the benchmarking view."""
    projects = list(selectors.energy_projects_for_user(_scope(request)).values_list("pk", flat=True)[:2])
    if len(projects) == 1:
        return redirect("energy:project_dashboard", project_id=projects[0])
    return benchmark(request)


@login_required
def benchmark(request: HttpRequest) -> HttpResponse:
    """Cross-project comparison of managed electricity per m² and per household, with the change on last year."""
    form, start, end = _period(request)
    rows = selectors.benchmarking(_scope(request), start, end)
    chart = [{"name": row.name, "value": row.kwh_per_m2} for row in rows if row.kwh_per_m2 is not None][:40]
    return render(
        request, "energy/benchmark.html", {"rows": rows, "chart": chart, "form": form, "start": start, "end": end}
    )


@login_required
def project_dashboard(request: HttpRequest, project_id: int) -> HttpResponse:
    scope = _scope(request)
    form, start, end = _period(request)
    project = selectors.project_get_for_staff(scope, project_id)
    summary = selectors.project_summary(project, start, end)
    kinds = dict(MeterKind.choices)
    scopes = dict(MeterScope.choices)
    days = sorted({row["day"] for row in summary.daily})
    by_kind: dict[str, dict[dt.date, float]] = {}
    for row in summary.daily:
        by_kind.setdefault(row["kind"], {})[row["day"]] = row["amount"]
    trend = {
        "days": [day.isoformat() for day in days],
        "series": [
            {"name": str(kinds.get(kind, kind)), "data": [values.get(day, 0) for day in days]}
            for kind, values in by_kind.items()
        ],
    }
    breakdown = [
        {
            "name": f"{scopes.get(row['scope'], row['scope'])} · {kinds.get(row['kind'], row['kind'])}",
            "value": row["amount"],
        }
        for row in summary.by_scope
        if row["kind"] == MeterKind.ELECTRICITY
    ]
    weekdays = [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")]
    heatmap = {
        "weekdays": weekdays,
        "cells": [[hour, day, value] for day, row in enumerate(summary.heatmap) for hour, value in enumerate(row)],
        "max": max((value for row in summary.heatmap for value in row), default=0),
    }
    measures = [
        (measure, selectors.measured_saving(measure, timezone.now()))
        for measure in selectors.saving_measure_list_for_user(scope, project_id=project.pk)[:10]
    ]
    context = {
        "project": project,
        "summary": summary,
        "form": form,
        "trend": trend,
        "breakdown": breakdown,
        "heatmap": heatmap,
        "meters": selectors.meter_list_for_user(scope, project_id=project.pk)[:200],
        "anomalies": selectors.anomaly_list_for_user(scope, project_id=project.pk).exclude(
            status=AnomalyStatus.RESOLVED
        )[:20],
        "measures": measures,
        "can_manage": _can_manage(scope, project),
        "note_form": AnomalyNoteForm(),
        "by_kind": [(kinds.get(kind, kind), value) for kind, value in summary.by_kind.items()],
    }
    return render(request, "energy/dashboard.html", context)


@login_required
def meter_detail(request: HttpRequest, meter_id: int) -> HttpResponse:
    scope = _scope(request)
    meter = selectors.meter_get_for_user(scope, meter_id)
    end = _next_hour()
    week = [
        (timezone.localtime(moment), amount, n)  # type: ignore[arg-type]
        for moment, amount, n in selectors.usage_series([meter.pk], Resolution.HOUR, end - dt.timedelta(days=7), end)
    ]
    profile = selectors.baseline_profile(meter.pk, end - dt.timedelta(days=7))
    hours = {
        "x": [moment.strftime("%m-%d %H:00") for moment, _amount, _n in week],  # type: ignore[union-attr]
        "actual": [round(amount or 0, 3) for _moment, amount, _n in week],
        "baseline": [
            round(profile.get((moment.weekday(), moment.hour), 0), 3)  # type: ignore[union-attr]
            for moment, _amount, _n in week
        ],
    }
    daily = selectors.usage_series([meter.pk], Resolution.DAY, end - dt.timedelta(days=90), end)
    monthly = selectors.usage_series([meter.pk], Resolution.MONTH, end - dt.timedelta(days=365), end)
    context = {
        "meter": meter,
        "hours": hours,
        "daily": {"x": [day.isoformat() for day, _a, _n in daily], "y": [round(a or 0, 3) for _d, a, _n in daily]},
        "monthly": monthly,
        "anomalies": selectors.anomaly_list_for_user(scope).filter(meter=meter)[:20],
        "last_reading_at": dt.datetime.fromtimestamp(meter.last_ts, timezone.get_default_timezone())
        if meter.last_ts is not None
        else None,
    }
    return render(request, "energy/meter_detail.html", context)


def _managed(request: HttpRequest, project_id: int) -> Any:
    project = selectors.project_get_for_staff(_scope(request), project_id)
    if not _can_manage(_scope(request), project):
        raise PermissionDenied(READ_ONLY)
    return project


@login_required
def project_keys(request: HttpRequest, project_id: int) -> HttpResponse:
    """The project's ingestion keys: create one (shown once), revoke one."""
    project = _managed(request, project_id)
    form = IngestKeyForm(request.POST or None)
    new_key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            _key, new_key = services.ingest_key_create(
                actor=request.user, project_id=project.pk, name=form.cleaned_data["name"]
            )
            form = IngestKeyForm()
        else:
            status = 422
    keys = selectors.ingest_key_list_for_user(_scope(request), project_id=project.pk)
    context = {"project": project, "form": form, "keys": keys, "new_key": new_key}
    return render(request, "energy/keys.html", context, status=status)


@login_required
def key_revoke(request: HttpRequest, project_id: int, key_id: int) -> HttpResponse:
    project = _managed(request, project_id)
    if request.method == "POST":
        if not selectors.ingest_key_list_for_user(_scope(request), project_id=project.pk).filter(pk=key_id).exists():
            raise PermissionDenied(READ_ONLY)
        key = services.ingest_key_revoke(actor=request.user, key_id=key_id)
        messages.success(request, _("Key %(prefix)s… revoked.") % {"prefix": key.prefix})
    return redirect("energy:project_keys", project_id=project.pk)


@login_required
def readings_import(request: HttpRequest, project_id: int) -> HttpResponse:
    """Upload a CSV/XLSX sheet of readings; the report lists each rejected row with its reason."""
    project = _managed(request, project_id)
    form = ReadingsFileForm(request.POST or None, request.FILES or None)
    result = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                result = import_file(
                    project_id=project.pk,
                    content=form.cleaned_data["file"].read(),
                    dry_run=form.cleaned_data["dry_run"],
                )
            except DomainError as error:
                form.add_error("file", error.message)
                status = 422
        else:
            status = 422
    return render(
        request,
        "energy/import.html",
        {
            "project": project,
            "form": form,
            "result": result,
            "dry_run": form.cleaned_data.get("dry_run") if result else False,
        },
        status=status,
    )


@login_required
def import_template(request: HttpRequest, project_id: int) -> HttpResponse:
    project = selectors.project_get_for_staff(_scope(request), project_id)
    meters = selectors.meter_list_for_user(_scope(request), project_id=project.pk).values_list("external_id", flat=True)
    response = HttpResponse(template_xlsx(meters), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, "读数导入模板.xlsx")
    return response


@login_required
def anomaly_action(request: HttpRequest, anomaly_id: int) -> HttpResponse:
    """Record an investigation or resolve an anomaly from the dashboard (POST ``action`` and ``note``)."""
    anomaly = selectors.anomaly_get_for_user(_scope(request), anomaly_id)
    if request.method == "POST":
        form = AnomalyNoteForm(request.POST)
        action = request.POST.get("action")
        if form.is_valid() and action in ("investigate", "resolve"):
            service = services.anomaly_investigate if action == "investigate" else services.anomaly_resolve
            service(actor=request.user, anomaly_id=anomaly.pk, note=form.cleaned_data["note"])
            messages.success(request, _("Saved."))
        else:
            messages.error(request, _("Say what was found."))
    return redirect("energy:project_dashboard", project_id=anomaly.project_id)
