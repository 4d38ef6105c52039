"""Planning and writing: the project's existing rows are loaded once; rows become creates and updates in memory."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from haofuwu.estates.choices import ImportKind
from haofuwu.estates.importing.cells import normalise_entrance, normalise_room
from haofuwu.estates.importing.messages import NO_BUILDING, NO_UNIT
from haofuwu.estates.importing.parsing import ParsedRow, RowIssue
from haofuwu.estates.importing.specs import BATCH_SIZE, RESIDENTS, ROOM_COLUMN, UNITS, Spec, _norm
from haofuwu.estates.models import Building, Project, Resident, ResidentTagging, Unit
from haofuwu.estates.services import resident_fill_indexes


@dataclass
class Plan:
    """What an import would do: new objects, changed objects and their changed fields, tag changes."""

    model: type[Any]
    creates: list[Any] = field(default_factory=list)
    updates: list[Any] = field(default_factory=list)
    changed_fields: set[str] = field(default_factory=set)
    unchanged: int = 0
    issues: list[RowIssue] = field(default_factory=list)
    tags_to_add: list[tuple[Resident, str]] = field(default_factory=list)
    tagging_ids_to_remove: list[int] = field(default_factory=list)

    def write(self) -> None:
        """Bulk writes: a few queries per 500 rows, none per row."""
        self.model.objects.bulk_create(self.creates, batch_size=BATCH_SIZE)
        if self.updates:
            now = timezone.now()
            for obj in self.updates:
                # bulk_update() does not run auto_now; the registry still shows when a row last changed.
                obj.updated_at = now
            fields = sorted(self.changed_fields | {"updated_at"})
            self.model.objects.bulk_update(self.updates, fields, batch_size=BATCH_SIZE)
        if self.tagging_ids_to_remove:
            ResidentTagging.objects.filter(pk__in=self.tagging_ids_to_remove).delete()
        if self.tags_to_add:
            # Built only now: new residents have their primary keys after bulk_create().
            taggings = [ResidentTagging(resident_id=resident.pk, tag=tag) for resident, tag in self.tags_to_add]
            ResidentTagging.objects.bulk_create(taggings, batch_size=BATCH_SIZE)


def _assign(obj: Any, values: dict[str, Any], plan: Plan) -> bool:
    changed = {name for name, value in values.items() if getattr(obj, name) != value}
    for name in changed:
        setattr(obj, name, values[name])
    plan.changed_fields |= changed
    return bool(changed)


def _record(plan: Plan, obj: Any, *, is_new: bool, is_changed: bool) -> None:
    if is_new:
        plan.creates.append(obj)
    elif is_changed:
        plan.updates.append(obj)
    else:
        plan.unchanged += 1


BUILDING_VALUE_FIELDS = ("floors_above", "floors_below", "entrances", "elevator_count", "completed_year", "floor_area")
UNIT_VALUE_FIELDS = ("floor", "area", "status")
RESIDENT_VALUE_FIELDS = ("name", "relation", "birth_year", "moved_in_on", "note")


def _buildings_by_name(project: Project) -> dict[str, Building]:
    return {_norm(building.name): building for building in Building.objects.filter(project=project)}


def _find_building(buildings: dict[str, Building], name: str) -> Building | None:
    # “3” finds “3号楼”: registers often hold the number only.
    return buildings.get(_norm(name)) or (buildings.get(_norm(f"{name}号楼")) if name.isdigit() else None)


def _unit_key(building_id: int, entrance: str, room: str) -> tuple[int, str, str]:
    return building_id, _norm(normalise_entrance(entrance)), _norm(normalise_room(room))


def _plan_buildings(project: Project, rows: list[ParsedRow]) -> Plan:
    plan = Plan(Building)
    existing = _buildings_by_name(project)
    for row in rows:
        values = {name: row.values[name] for name in BUILDING_VALUE_FIELDS if name in row.values}
        building = existing.get(_norm(row.values["name"]))
        if building is None:
            building = Building(project=project, name=row.values["name"], **values)
            existing[_norm(building.name)] = building
            _record(plan, building, is_new=True, is_changed=False)
        else:
            _record(plan, building, is_new=False, is_changed=_assign(building, values, plan))
    return plan


def _household_for(
    spec: Spec, row: ParsedRow, buildings: dict[str, Building], plan: Plan
) -> tuple[Building | None, tuple[int, str, str] | None]:
    building = _find_building(buildings, row.values["building"])
    if building is None:
        message = str(NO_BUILDING) % {"name": row.values["building"]}
        plan.issues.append(RowIssue(row.number, spec.column("building").label, row.values["building"][:50], message))
        return None, None
    return building, _unit_key(building.pk, row.values["entrance"], row.values["room"])


def _plan_units(project: Project, rows: list[ParsedRow]) -> Plan:
    plan = Plan(Unit)
    buildings = _buildings_by_name(project)
    existing = {
        _unit_key(unit.building_id, unit.entrance, unit.room): unit
        for unit in Unit.objects.filter(building__project=project)
    }
    for row in rows:
        building, key = _household_for(UNITS, row, buildings, plan)
        if building is None or key is None:
            continue
        values = {name: row.values[name] for name in UNIT_VALUE_FIELDS if name in row.values}
        unit = existing.get(key)
        if unit is None:
            unit = Unit(building=building, entrance=row.values["entrance"], room=row.values["room"], **values)
            existing[key] = unit
            _record(plan, unit, is_new=True, is_changed=False)
        else:
            _record(plan, unit, is_new=False, is_changed=_assign(unit, values, plan))
    return plan


def _match_resident(candidates: list[Resident], new: Resident, claimed: set[int]) -> Resident | None:
    """The existing resident of the household this row describes: same ID number, else same phone, else same
    name — never one whose ID number differs, and never one already matched by another row of the file."""
    free = [resident for resident in candidates if resident.pk not in claimed]
    if new.id_number_index:
        for resident in free:
            if resident.id_number_index == new.id_number_index:
                return resident
    compatible = [
        resident
        for resident in free
        if not (resident.id_number_index and new.id_number_index and resident.id_number_index != new.id_number_index)
    ]
    if new.phone_index:
        for resident in compatible:
            if resident.phone_index == new.phone_index:
                return resident
    for resident in compatible:
        if _norm(resident.name) == _norm(new.name):
            return resident
    return None


def _plan_residents(project: Project, rows: list[ParsedRow]) -> Plan:
    plan = Plan(Resident)
    buildings = _buildings_by_name(project)
    units = {
        _unit_key(unit.building_id, unit.entrance, unit.room): unit
        for unit in Unit.objects.filter(building__project=project)
    }
    by_unit: dict[int, list[Resident]] = defaultdict(list)
    for resident in Resident.objects.filter(unit__building__project=project).order_by("pk"):
        by_unit[resident.unit_id].append(resident)
    tags_of: dict[int, dict[str, int]] = defaultdict(dict)
    taggings = ResidentTagging.objects.filter(resident__unit__building__project=project)
    for tagging_id, resident_id, tag in taggings.values_list("pk", "resident_id", "tag"):
        tags_of[resident_id][tag] = tagging_id
    claimed: set[int] = set()
    for row in rows:
        building, key = _household_for(RESIDENTS, row, buildings, plan)
        if building is None or key is None:
            continue
        unit = units.get(key)
        if unit is None:
            label = f"{building.name}{row.values['entrance']}单元{row.values['room']}"
            plan.issues.append(
                RowIssue(row.number, ROOM_COLUMN.label, row.values["room"][:50], str(NO_UNIT) % {"label": label})
            )
            continue
        values = row.values
        candidate = Resident(
            unit=unit, name=values["name"], phone=values.get("phone", ""), id_number=values.get("id_number", "")
        )
        resident_fill_indexes(candidate)
        existing = _match_resident(by_unit[unit.pk], candidate, claimed)
        fields = {name: values[name] for name in RESIDENT_VALUE_FIELDS if name in values}
        if existing is None:
            for name, value in fields.items():
                setattr(candidate, name, value)
            if candidate.birth_year is None and "birth_year_from_id" in values:
                candidate.birth_year = values["birth_year_from_id"]
            by_unit[unit.pk].append(candidate)
            plan.tags_to_add += [(candidate, tag) for tag in values.get("tags", [])]
            _record(plan, candidate, is_new=True, is_changed=False)
            continue
        claimed.add(existing.pk)
        if existing.birth_year is None and "birth_year_from_id" in values and "birth_year" not in fields:
            fields["birth_year"] = values["birth_year_from_id"]
        is_changed = _assign(existing, fields, plan)
        # Phone and ID number are compared by their keyed digests: equal digests mean equal normalised values.
        for name, index in (("phone", "phone_index"), ("id_number", "id_number_index")):
            if name in values and getattr(candidate, index) != getattr(existing, index):
                setattr(existing, name, values[name])
                plan.changed_fields |= {name, "phone_index", "id_number_index"}
                is_changed = True
        if is_changed:
            resident_fill_indexes(existing)
        if "tags" in values:
            current = tags_of.get(existing.pk, {})
            wanted = set(values["tags"])
            if wanted != set(current):
                plan.tagging_ids_to_remove += [pk for tag, pk in current.items() if tag not in wanted]
                plan.tags_to_add += [(existing, tag) for tag in sorted(wanted - set(current))]
                is_changed = True
        _record(plan, existing, is_new=False, is_changed=is_changed)
    return plan


PLANNERS: dict[str, Callable[[Project, list[ParsedRow]], Plan]] = {
    ImportKind.BUILDINGS: _plan_buildings,
    ImportKind.UNITS: _plan_units,
    ImportKind.RESIDENTS: _plan_residents,
}
