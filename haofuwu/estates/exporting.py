"""Export of buildings, households and residents as .xlsx or .csv, through the scoped selectors.

The columns are the import's (Chinese headers, Chinese labels for status, relation and tags), so an export can be
edited and imported again. Phone and ID number leave the system in full only for roles allowed to export personal
data (``residents.export``) that also see them in full (``residents.view_phone``, ``residents.view_id_number``);
everyone else gets them masked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy

from haofuwu.accounts.roles import EXPORT_PERSONAL, VIEW_ID_NUMBER, VIEW_PHONE, VIEW_RESIDENTS
from haofuwu.core import audit
from haofuwu.core.errors import PermissionDenied, ValidationFailed
from haofuwu.core.masking import mask_id_number, mask_phone
from haofuwu.core.scoping import Scope
from haofuwu.estates import selectors
from haofuwu.estates.choices import ImportKind
from haofuwu.estates.importing import RELATION_LABELS, SPECS, TAG_LABELS, UNIT_STATUS_LABELS, ColumnType
from haofuwu.estates.spreadsheets import CSV_CONTENT_TYPE, XLSX_CONTENT_TYPE, Sheet, write_csv, write_xlsx

FORMATS = ("xlsx", "csv")
UNKNOWN_FORMAT = gettext_lazy("Choose a file format: xlsx or csv.")
UNKNOWN_KIND = gettext_lazy("Choose what to export: buildings, units or residents.")
NO_RESIDENTS = gettext_lazy("Your role may not see residents.")

# Code → the Chinese label the import accepts, so that an exported file reads like the template.
_STATUS: dict[str, str] = {code: label for label, code in UNIT_STATUS_LABELS.items()}
_RELATION: dict[str, str] = {code: label for label, code in RELATION_LABELS.items()}
_TAG: dict[str, str] = {code: label for label, code in TAG_LABELS.items()}
# Iterate in chunks so that a 20,000-row export does not hold every model instance at once.
CHUNK_SIZE = 2_000


@dataclass(frozen=True)
class ExportFile:
    """A finished export: bytes, content type and a suggested file name."""

    content: bytes
    content_type: str
    file_name: str


def download_response(content: bytes, content_type: str, file_name: str) -> HttpResponse:
    """A file download for the pages and the API (exports, templates, error reports)."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=file_name)
    # Exports may carry personal data: keep them out of shared caches.
    response["Cache-Control"] = "private, no-store"
    return response


@dataclass(frozen=True)
class PersonalDataPolicy:
    """Whether this export carries phone numbers and ID numbers in full."""

    is_phone_full: bool
    is_id_number_full: bool

    @classmethod
    def for_scope(cls, scope: Scope) -> PersonalDataPolicy:
        may_export = scope.has(EXPORT_PERSONAL)
        return cls(
            is_phone_full=may_export and scope.has(VIEW_PHONE),
            is_id_number_full=may_export and scope.has(VIEW_ID_NUMBER),
        )


def export_header(kind: str) -> list[str]:
    return [column.label for column in SPECS[kind].columns]


def _building_rows(scope: Scope, project_id: int | None) -> Iterator[list[Any]]:
    queryset = selectors.building_list_for_user(scope, project_id=project_id)
    for building in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [
            building.project.name,
            building.name,
            building.floors_above,
            building.floors_below,
            building.entrances,
            building.elevator_count,
            building.completed_year,
            building.floor_area,
        ]


def _unit_rows(scope: Scope, project_id: int | None) -> Iterator[list[Any]]:
    queryset = selectors.unit_list_for_user(scope, project_id=project_id)
    for unit in queryset.iterator(chunk_size=CHUNK_SIZE):
        yield [
            unit.building.project.name,
            unit.building.name,
            unit.entrance,
            unit.floor,
            unit.room,
            unit.area,
            _STATUS.get(unit.status, unit.status),
        ]


def _resident_rows(scope: Scope, project_id: int | None) -> Iterator[list[Any]]:
    if not (scope.has(VIEW_RESIDENTS) or scope.household_unit_ids):
        raise PermissionDenied(NO_RESIDENTS)
    policy = PersonalDataPolicy.for_scope(scope)
    queryset = selectors.resident_list_for_user(scope, project_id=project_id)
    for resident in queryset.iterator(chunk_size=CHUNK_SIZE):
        unit = resident.unit
        tags = sorted(tagging.tag for tagging in resident.tags.all())
        yield [
            unit.building.project.name,
            unit.building.name,
            unit.entrance,
            unit.room,
            resident.name,
            resident.phone if policy.is_phone_full else mask_phone(resident.phone),
            resident.id_number if policy.is_id_number_full else mask_id_number(resident.id_number),
            _RELATION.get(resident.relation, resident.relation),
            "、".join(_TAG.get(tag, tag) for tag in tags),
            resident.birth_year,
            resident.moved_in_on,
            resident.note,
        ]


ROWS: dict[str, Callable[[Scope, int | None], Iterator[list[Any]]]] = {
    ImportKind.BUILDINGS: _building_rows,
    ImportKind.UNITS: _unit_rows,
    ImportKind.RESIDENTS: _resident_rows,
}


def export_rows(scope: Scope, *, kind: str, project_id: int | None = None) -> list[list[Any]]:
    """Header and rows of one list as the scope may see it; a project outside the scope is ``NotFound``."""
    if kind not in ROWS:
        raise ValidationFailed({"kind": [str(UNKNOWN_KIND)]})
    if project_id is not None:
        selectors.project_get_for_user(scope, project_id)
    return [export_header(kind), *ROWS[kind](scope, project_id)]


def estates_export(
    scope: Scope, *, kind: str, fmt: str, project_id: int | None = None, actor: Any = None
) -> ExportFile:
    """Buildings, households or residents of one project (or of every project in scope) as an .xlsx or .csv file.

    An export of residents is audited (who, which project, how many rows, whether phone and ID were in full):
    personal data leaving the system must be traceable to the person who took it.
    """
    if fmt not in FORMATS:
        raise ValidationFailed({"format": [str(UNKNOWN_FORMAT)]})
    rows = export_rows(scope, kind=kind, project_id=project_id)
    if kind == ImportKind.RESIDENTS and actor is not None:
        policy = PersonalDataPolicy.for_scope(scope)
        data = {
            "project": project_id,
            "rows": len(rows) - 1,
            "is_phone_full": policy.is_phone_full,
            "is_id_number_full": policy.is_id_number_full,
        }
        audit.record(actor, "residents.export", None, data)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    suffix = f"-{project_id}" if project_id else ""
    file_name = f"haofuwu-{kind}{suffix}-{stamp}.{fmt}"
    if fmt == "csv":
        return ExportFile(write_csv(rows), CSV_CONTENT_TYPE, file_name)
    spec = SPECS[kind]
    text_columns = [
        index
        for index, column in enumerate(spec.columns)
        if column.type in (ColumnType.TEXT, ColumnType.PHONE, ColumnType.ID_NUMBER)
    ]
    widths = [max(10, len(label) * 3) for label in rows[0]]
    sheet = Sheet(title=spec.title, rows=rows, column_widths=widths, text_columns=text_columns)
    return ExportFile(write_xlsx([sheet]), XLSX_CONTENT_TYPE, file_name)
