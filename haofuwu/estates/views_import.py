"""Pages of spreadsheet import and export: upload with a dry run, the row-level report, history, templates, exports."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy

from haofuwu.accounts.roles import IMPORT_ESTATES
from haofuwu.core.errors import NOT_FOUND, READ_ONLY, NotFound, PermissionDenied, ValidationFailed
from haofuwu.core.scoping import Scope
from haofuwu.estates import exporting, importing, selectors
from haofuwu.estates.choices import ImportKind
from haofuwu.estates.models import ImportRun, Project
from haofuwu.estates.spreadsheets import FILE_TOO_LARGE, XLSX_CONTENT_TYPE


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined]


def writable_projects(scope: Scope) -> list[Project]:
    """Projects the scope may import into: visible, and writable by one of its roles."""
    if not scope.has(IMPORT_ESTATES):
        return []
    projects = selectors.project_list_for_user(scope)
    return [project for project in projects if scope.can_write_project(project.pk, project.company_id)]


class ImportForm(forms.Form):
    """Upload form: project, kind, file and the two switches."""

    project = forms.TypedChoiceField(label=gettext_lazy("Project"), coerce=int)
    kind = forms.ChoiceField(label=gettext_lazy("What to import"), choices=ImportKind.choices)
    file = forms.FileField(
        label=gettext_lazy("Spreadsheet (.xlsx or .csv)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}),
    )
    dry_run = forms.BooleanField(
        label=gettext_lazy("Dry run: check the file and show what would change, write nothing"),
        required=False,
        initial=True,
    )
    only_valid_rows = forms.BooleanField(
        label=gettext_lazy("Import only the valid rows and report the others"), required=False
    )

    def __init__(self, *args: Any, projects: list[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(project.pk, project.name) for project in projects]

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.UPLOAD_MAX_MB * 1024 * 1024:
            raise forms.ValidationError(str(FILE_TOO_LARGE) % {"limit": settings.UPLOAD_MAX_MB})
        return upload


@login_required
def import_page(request: HttpRequest) -> HttpResponse:
    """Choose project, kind and file; a dry run by default. Shows the report after the upload."""
    scope = _scope(request)
    projects = writable_projects(scope)
    if not projects:
        raise PermissionDenied(READ_ONLY)
    initial = {"project": request.GET.get("project"), "kind": request.GET.get("kind") or ImportKind.UNITS}
    form = ImportForm(request.POST or None, request.FILES or None, projects=projects, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = importing.estates_import(
                actor=request.user,
                project_id=form.cleaned_data["project"],
                kind=form.cleaned_data["kind"],
                file_name=upload.name or "",
                content=upload.read(),
                dry_run=form.cleaned_data["dry_run"],
                only_valid_rows=form.cleaned_data["only_valid_rows"],
            )
        except ValidationFailed as error:
            for name, messages in error.errors.items():
                for message in messages:
                    form.add_error(name if name in form.fields else None, message)
        else:
            project = next(project for project in projects if project.pk == result.project_id)
            return render(request, "estates/import_result.html", _result_context(result, project))
    context = {
        "form": form,
        "kinds": ImportKind.choices,
        "max_rows": importing.MAX_DATA_ROWS,
        "max_mb": settings.UPLOAD_MAX_MB,
    }
    return render(request, "estates/import.html", context, status=400 if form.errors else 200)


def _result_context(result: importing.ImportResult, project: Project) -> dict[str, Any]:
    return {
        "result": result,
        "project": project,
        "kind_label": ImportKind(result.kind).label,
        "is_clean": result.failed == 0,
    }


def _run_for_user(scope: Scope, run_id: int) -> ImportRun:
    run = selectors.import_run_list_for_user(scope).filter(pk=run_id).first()
    if run is None:
        raise NotFound(NOT_FOUND)
    return run


@login_required
def import_run_detail(request: HttpRequest, run_id: int) -> HttpResponse:
    """The report of an earlier import, from its log row."""
    run = _run_for_user(_scope(request), run_id)
    return render(request, "estates/import_result.html", _result_context(importing.result_from_run(run), run.project))


@login_required
def import_run_errors(request: HttpRequest, run_id: int) -> HttpResponse:
    """The errors and warnings of an import as an .xlsx workbook (personal data already masked)."""
    run = _run_for_user(_scope(request), run_id)
    return exporting.download_response(
        importing.error_report(run.errors), XLSX_CONTENT_TYPE, f"haofuwu-import-{run.pk}-errors.xlsx"
    )


@login_required
def import_history(request: HttpRequest) -> HttpResponse:
    """Imports of the projects the user may see, newest first, optionally of one project."""
    scope = _scope(request)
    project = None
    project_id = _int_or_none(request.GET.get("project"))
    if project_id:
        project = selectors.project_get_for_user(scope, project_id)
    runs = selectors.import_run_list_for_user(scope, project_id=project_id).order_by("-created_at", "-pk")
    page = Paginator(runs, 50).get_page(request.GET.get("page"))
    return render(request, "estates/import_history.html", {"page": page, "project": project})


@login_required
def import_template(request: HttpRequest, kind: str) -> HttpResponse:
    """The Chinese .xlsx template of one kind."""
    if kind not in importing.SPECS:
        raise Http404
    return exporting.download_response(
        importing.import_template(kind), XLSX_CONTENT_TYPE, importing.template_file_name(kind)
    )


@login_required
def export_page(request: HttpRequest) -> HttpResponse:
    """Links to download each list of a project (or of every project in scope) as .xlsx or .csv."""
    scope = _scope(request)
    projects = list(selectors.project_list_for_user(scope))
    project_id = _int_or_none(request.GET.get("project"))
    project = next((project for project in projects if project.pk == project_id), None)
    policy = exporting.PersonalDataPolicy.for_scope(scope)
    context = {"projects": projects, "project": project, "kinds": ImportKind.choices, "policy": policy}
    return render(request, "estates/export.html", context)


@login_required
def export_file(request: HttpRequest, kind: str, fmt: str) -> HttpResponse:
    """One list as a file; ``?project=`` limits it to one project."""
    if kind not in importing.SPECS or fmt not in exporting.FORMATS:
        raise Http404
    raw_project = request.GET.get("project") or None
    project_id = _int_or_none(raw_project)
    if raw_project and project_id is None:
        raise NotFound(NOT_FOUND)
    export = exporting.estates_export(_scope(request), kind=kind, fmt=fmt, project_id=project_id, actor=request.user)
    return exporting.download_response(export.content, export.content_type, export.file_name)


def _int_or_none(value: str | None) -> int | None:
    if value and value.isdigit() and 0 < int(value) < 2**31:
        return int(value)
    return None
