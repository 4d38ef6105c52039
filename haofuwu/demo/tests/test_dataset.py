"""The pure generator: deterministic, realistic in shape, every identifier valid."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter

import pytest

from haofuwu.accounts.roles import Trade
from haofuwu.core.regions import District
from haofuwu.demo.dataset import (
    DEFAULT_SEED,
    EXPIRED_CERTIFICATES,
    EXPIRING_CERTIFICATES,
    EXPIRING_WITHIN_DAYS,
    generate,
)
from haofuwu.demo.identifiers import id_number_is_valid, uscc_is_valid
from haofuwu.demo.records import Dataset
from haofuwu.estates.choices import ResidentTag, UnitStatus
from haofuwu.estates.models import USCC_VALIDATOR

TODAY = dt.date(2025, 6, 1)
VULNERABLE = {ResidentTag.ELDERLY_ALONE, ResidentTag.DISABILITY, ResidentTag.HARDSHIP}


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    return generate(seed=DEFAULT_SEED, today=TODAY)


def digest(dataset: Dataset) -> str:
    rows = [
        f"{project.plan.name}|{building.name}|{unit.entrance}|{unit.room}|{unit.status}|{resident.person.name}|"
        f"{resident.person.id_number}"
        for project in dataset.projects
        for building in project.buildings
        for unit in building.units
        for resident in unit.residents
    ]
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def residents(dataset: Dataset) -> list:
    return [resident for project in dataset.projects for unit in project.units for resident in unit.residents]


def test_the_same_seed_gives_the_same_data_set(dataset: Dataset) -> None:
    assert digest(generate(seed=DEFAULT_SEED, today=TODAY)) == digest(dataset)
    assert digest(generate(seed=DEFAULT_SEED + 1, today=TODAY)) != digest(dataset)


def test_six_projects_one_in_each_of_six_districts_inside_jinan(dataset: Dataset) -> None:
    districts = [project.plan.district for project in dataset.projects]
    assert sorted(districts) == sorted(
        [District.LIXIA, District.SHIZHONG, District.HUAIYIN, District.TIANQIAO, District.LICHENG, District.ZHANGQIU]
    )
    assert dataset.projects[0].plan.district == District.LIXIA
    for project in dataset.projects:
        plan = project.plan
        assert 36.6 <= plan.latitude <= 36.75
        assert 116.9 <= plan.longitude <= 117.55
        assert dt.date(2005, 1, 1) <= plan.handover_date <= plan.delivery_date <= dt.date(2023, 12, 31)
        assert plan.street.endswith("街道")
        assert plan.community.endswith("社区")
    lift_free = [p for p in dataset.projects if not any(b.elevator_count for b in p.buildings)]
    assert [p.plan.name for p in lift_free] == ["振兴花园"]  # the one old walk-up estate


def test_about_forty_buildings_and_three_thousand_households(dataset: Dataset) -> None:
    buildings = [building for project in dataset.projects for building in project.buildings]
    units = [unit for project in dataset.projects for unit in project.units]
    assert 35 <= len(buildings) <= 45
    assert 2800 <= len(units) <= 3200
    statuses = Counter(unit.status for unit in units)
    assert set(statuses) == set(UnitStatus.values)
    assert statuses[UnitStatus.OCCUPIED] > len(units) / 2
    assert all(50 <= unit.area <= 160 for unit in units)
    for building in buildings:
        rooms = {(unit.entrance, unit.room) for unit in building.units}
        assert len(rooms) == len(building.units)
        assert all(unit.room == f"{unit.floor}{unit.room[-2:]}" for unit in building.units)


def test_households_have_one_to_four_residents_when_lived_in(dataset: Dataset) -> None:
    for project in dataset.projects:
        for unit in project.units:
            if unit.status in (UnitStatus.OCCUPIED, UnitStatus.RENTED):
                assert 1 <= len(unit.residents) <= 4
            else:
                assert unit.residents == []


def test_every_identity_number_is_valid_and_from_jinan(dataset: Dataset) -> None:
    people = [resident.person for resident in residents(dataset)]
    people += [member.person for project in dataset.projects for member in project.staff]
    for person in people:
        assert id_number_is_valid(person.id_number), person
        assert person.id_number.startswith("3701")
        assert person.id_number[6:14] == person.birth.strftime("%Y%m%d")
        assert int(person.id_number[16]) % 2 == (1 if person.is_male else 0)
        assert person.phone == "" or (len(person.phone) == 11 and person.phone.startswith("1"))


def test_credit_codes_match_the_model_validator_and_checksum(dataset: Dataset) -> None:
    for company in dataset.companies:
        USCC_VALIDATOR(company.credit_code)
        assert company.credit_code.startswith("91370100")
        assert uscc_is_valid(company.credit_code)


def test_about_three_percent_of_residents_are_vulnerable(dataset: Dataset) -> None:
    everyone = residents(dataset)
    vulnerable = [r for r in everyone if VULNERABLE & set(r.tags)]
    assert 0.025 <= len(vulnerable) / len(everyone) <= 0.035
    tags = Counter(tag for r in everyone for tag in r.tags)
    assert tags[ResidentTag.ELDERLY_ALONE] and tags[ResidentTag.DISABILITY] and tags[ResidentTag.HARDSHIP]
    assert tags[ResidentTag.PARTY_MEMBER] and tags[ResidentTag.VOLUNTEER]


def test_every_project_has_every_trade_and_one_manager(dataset: Dataset) -> None:
    for project in dataset.projects:
        assert {member.trade for member in project.staff} == set(Trade.values)
        assert sum(member.is_manager for member in project.staff) == 1


def test_a_few_certificates_are_expired_and_a_few_expire_within_sixty_days(dataset: Dataset) -> None:
    certificates = [c for p in dataset.projects for m in p.staff for c in m.certificates]
    expired = [c for c in certificates if c.expires_on and c.expires_on < TODAY]
    expiring = [
        c for c in certificates if c.expires_on and TODAY <= c.expires_on <= TODAY + dt.timedelta(EXPIRING_WITHIN_DAYS)
    ]
    assert len(expired) == EXPIRED_CERTIFICATES
    assert len(expiring) == EXPIRING_CERTIFICATES
    assert all(c.issued_on < c.expires_on for c in certificates if c.expires_on)
