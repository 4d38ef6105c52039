"""Matching an address to a project, then to a building and household — pure, on plain values."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from haofuwu.workorders.hotline.messages import (
    NO_BUILDING,
    NO_HOUSEHOLD,
    NO_PROJECT,
    ONLY_PROJECT,
    SEVERAL_HOUSEHOLDS,
    SEVERAL_PROJECTS,
)
from haofuwu.workorders.hotline.parsing import MIN_KEY_CHARS, _norm


@dataclass(frozen=True)
class ProjectRef:
    id: int
    name: str
    community: str = ""
    address: str = ""


@dataclass(frozen=True)
class ProjectMatch:
    """The project an address names (``project``), or why none (``error``); ``end`` is where its name ends in the
    normalised text and ``start`` where it begins, so the household is looked for around it."""

    project: ProjectRef | None = None
    error: str = ""
    start: int = 0
    end: int = 0


# A project's name says more than its street address, which says more than its community (社区 spans projects).
_NAME, _ADDRESS, _COMMUNITY = 3, 2, 1


def match_project(text: str, projects: Iterable[ProjectRef]) -> ProjectMatch:
    """The project whose name (else street address, else community) the text contains; the longest wins, so
    “阳光花园二期” beats “阳光花园”. Two projects equally well matched are an error, not a guess."""
    haystack = _norm(text)
    if not haystack:
        return ProjectMatch(error=str(NO_PROJECT))
    scored: list[tuple[tuple[int, int, int], ProjectRef, int]] = []
    for project in projects:
        found: list[tuple[int, int, int]] = []
        for level, key in ((_NAME, project.name), (_ADDRESS, project.address), (_COMMUNITY, project.community)):
            needle = _norm(key)
            position = haystack.find(needle) if len(needle) >= MIN_KEY_CHARS else -1
            if position >= 0:
                found.append((level, len(needle), position))
        if found:
            level, length, position = max(found)
            # Between two projects of the same name, the one whose address (or community) is also named wins.
            scored.append(((level, length, len(found)), project, position))
    if not scored:
        return ProjectMatch(error=str(NO_PROJECT))
    scored.sort(key=lambda item: item[0], reverse=True)
    top_score = scored[0][0]
    tied = [project for score, project, _position in scored if score == top_score]
    if len(tied) > 1:
        names = "、".join(sorted(project.name for project in tied))
        return ProjectMatch(error=str(SEVERAL_PROJECTS) % {"projects": names})
    _score, project, position = scored[0]
    return ProjectMatch(project=project, start=position, end=position + top_score[1])


@dataclass(frozen=True)
class HouseholdAddress:
    """Building, entrance (blank when not said) and room as an address writes them."""

    building: str
    entrance: str
    room: str


_DASH = r"[-－—–]"
_HOUSEHOLD_PATTERNS = (
    # 3号楼2单元301室, 3栋2单元301, 3#2单元301, 3号2单元301
    re.compile(r"(?P<building>\d+)(?:号楼|栋|幢|座|#楼?|号)(?P<entrance>\d+)单元(?P<room>\d{2,5})(?:室|号|户)?"),
    # 3-2-301
    re.compile(rf"(?<![\d-])(?P<building>\d+){_DASH}(?P<entrance>\d+){_DASH}(?P<room>\d{{2,5}})(?![\d-])"),
    # 3号楼301, 3栋301
    re.compile(r"(?P<building>\d+)(?:号楼|栋|幢|座|#楼?)(?P<room>\d{3,5})(?:室|号|户)?"),
    # 3-301 (not a phone number: the room has at most five digits and nothing follows)
    re.compile(rf"(?<![\d-])(?P<building>\d+){_DASH}(?P<room>\d{{3,5}})(?![\d-])"),
)
# Only a building named: 3号楼 (then the order is about the building; the room is for the staff to find out).
_BUILDING_ONLY = re.compile(r"(?P<building>\d+)(?:号楼|栋|幢|座)")


def parse_household(text: str) -> HouseholdAddress | None:
    """The first building/entrance/room the (normalised) text spells in one of the usual ways."""
    for pattern in _HOUSEHOLD_PATTERNS:
        match = pattern.search(text)
        if match:
            groups = match.groupdict()
            return HouseholdAddress(groups["building"], groups.get("entrance") or "", groups["room"])
    match = _BUILDING_ONLY.search(text)
    if match:
        return HouseholdAddress(match.group("building"), "", "")
    return None


@dataclass(frozen=True)
class UnitRef:
    id: int
    building_id: int
    building_name: str
    entrance: str
    room: str

    @property
    def label(self) -> str:
        return f"{self.building_name}{self.entrance}单元{self.room}"


@dataclass(frozen=True)
class HouseholdMatch:
    """The household (and building) found, with a note when less than a household matched."""

    unit: UnitRef | None = None
    building_id: int | None = None
    building_name: str = ""
    note: str = ""


_BUILDING_NAME = re.compile(r"(\d+)(?:号楼|号|栋|幢|座|#楼?)?")


def _building_number(name: str) -> str | None:
    match = _BUILDING_NAME.fullmatch(_norm(name))
    return str(int(match.group(1))) if match else None


def _same_number(left: str, right: str) -> bool:
    left, right = _norm(left).removesuffix("单元").removesuffix("室"), _norm(right).removesuffix("室")
    if left.isdigit() and right.isdigit():
        return int(left) == int(right)
    return left == right


def match_household(text: str, match: ProjectMatch, units: Sequence[UnitRef]) -> HouseholdMatch:
    """The household of the project the address spells, looked for after the project's name, then before it."""
    haystack = _norm(text)
    address = parse_household(haystack[match.end :]) or parse_household(haystack[: match.start])
    if address is None:
        return HouseholdMatch(note=str(ONLY_PROJECT))
    buildings: dict[int, str] = {}
    for unit in units:
        if _building_number(unit.building_name) == str(int(address.building)):
            buildings[unit.building_id] = unit.building_name
    if len(buildings) != 1:
        return HouseholdMatch(note=str(NO_BUILDING) % {"building": f"{address.building}号楼"})
    building_id, building_name = next(iter(buildings.items()))
    if not address.room:
        return HouseholdMatch(building_id=building_id, building_name=building_name, note=str(ONLY_PROJECT))
    found = [
        unit
        for unit in units
        if unit.building_id == building_id
        and _same_number(unit.room, address.room)
        and (not address.entrance or _same_number(unit.entrance, address.entrance))
    ]
    household = f"{address.entrance}单元{address.room}" if address.entrance else address.room
    if not found:
        return HouseholdMatch(
            building_id=building_id, building_name=building_name, note=str(NO_HOUSEHOLD) % {"household": household}
        )
    if len(found) > 1:
        return HouseholdMatch(
            building_id=building_id,
            building_name=building_name,
            note=str(SEVERAL_HOUSEHOLDS) % {"household": household},
        )
    return HouseholdMatch(unit=found[0], building_id=building_id, building_name=building_name)
