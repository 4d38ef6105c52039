"""The demo data set as plain data: a pure function of a seed and a date, with no database.

Everything is drawn from one ``random.Random(seed)`` in a fixed order, so the same seed gives the same companies,
homes, people and identity numbers on every machine. Dates that must look current (certificates about to expire)
are taken relative to ``today``.
"""

from __future__ import annotations

import datetime as dt
import random

from haofuwu.accounts.roles import Role, Trade
from haofuwu.core.regions import District
from haofuwu.demo import names
from haofuwu.demo.identifiers import JINAN_ID_AREA_CODES, id_number_make, uscc_make
from haofuwu.demo.places import COMPANIES, PROJECTS, STATUS_ORDER, ProjectPlan
from haofuwu.demo.records import (
    AccountData,
    BuildingData,
    CertificateData,
    CompanyData,
    Dataset,
    Person,
    ProjectData,
    ResidentData,
    StaffData,
    UnitData,
)
from haofuwu.estates.choices import CertificateKind, Relation, ResidentTag, UnitStatus

DEFAULT_SEED = 20240601
# The share of residents tagged vulnerable is about 3%; single elderly people are tagged first, then the rest is
# made up with disability and hardship tags.
VULNERABLE_SHARE = 0.03
ELDERLY_ALONE_AGE = 70
PARTY_MEMBER_SHARE = 0.07  # of adults; about the national share of Party members in the adult population
VOLUNTEER_SHARE = 0.04
EXPIRED_CERTIFICATES = 3
EXPIRING_CERTIFICATES = 4
EXPIRING_WITHIN_DAYS = 60
# Validity of certificates that must be renewed, in years (special-operations certificates are reviewed on these
# cycles; the others do not expire).
CERTIFICATE_VALIDITY_YEARS: dict[str, int] = {CertificateKind.ELECTRICIAN: 6, CertificateKind.ELEVATOR: 4}
_CERTIFICATE_PREFIX: dict[str, str] = {
    CertificateKind.PROJECT_MANAGER: "WY",
    CertificateKind.ELECTRICIAN: "T",
    CertificateKind.ELEVATOR: "TS",
    CertificateKind.FIRE_CONTROL: "XF",
    CertificateKind.SECURITY_GUARD: "BA",
}


def _add_years(day: dt.date, years: int) -> dt.date:
    """The same calendar day ``years`` later (28 February for 29 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


class _Generator:
    def __init__(self, seed: int, today: dt.date) -> None:
        self.rng = random.Random(seed)
        self.today = today
        self.id_sequence = 0

    # People ---------------------------------------------------------------------------------------------------

    def person(self, *, age: int, is_male: bool | None = None, surname: str | None = None) -> Person:
        rng = self.rng
        if is_male is None:
            is_male = rng.random() < 0.5
        if surname is None:
            surname = rng.choices(names.SURNAMES, weights=names.SURNAME_WEIGHTS)[0]
        birth_year = self.today.year - age
        birth = dt.date(birth_year, 1, 1) + dt.timedelta(days=rng.randrange(365))
        period = sum(birth_year >= start for start in names.BIRTH_PERIODS)
        given = rng.choice((names.MALE_GIVEN if is_male else names.FEMALE_GIVEN)[period])
        self.id_sequence += 1
        id_number = id_number_make(
            area=rng.choice(JINAN_ID_AREA_CODES),
            birth=birth.strftime("%Y%m%d"),
            sequence=rng.randrange(1000),
            is_male=is_male,
        )
        # Children under 14 rarely have a number of their own; a few of the very old have none either.
        has_phone = age >= 14 and (age < 80 or rng.random() < 0.7)
        phone = rng.choice(names.MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}" if has_phone else ""
        return Person(name=surname + given, is_male=is_male, birth=birth, id_number=id_number, phone=phone)

    def age_of(self, person: Person) -> int:
        return self.today.year - person.birth.year

    def household(self, plan: ProjectPlan, status: str) -> list[ResidentData]:
        rng = self.rng
        moved_in = plan.delivery_date + dt.timedelta(days=rng.randrange(30, 900))
        moved_in = min(moved_in, self.today - dt.timedelta(days=30))
        if status == UnitStatus.RENTED:
            size = rng.choices((1, 2, 3), weights=(50, 40, 10))[0]
            tenant_moved_in = self.today - dt.timedelta(days=rng.randrange(30, 1500))
            tenant_moved_in = max(tenant_moved_in, moved_in)
            return [
                ResidentData(self.person(age=rng.randint(22, 45)), Relation.TENANT, tenant_moved_in)
                for _ in range(size)
            ]
        size = rng.choices((1, 2, 3, 4), weights=(15, 35, 35, 15))[0]
        owner_age = rng.randint(*plan.owner_age)
        owner = self.person(age=owner_age)
        members = [ResidentData(owner, Relation.OWNER, moved_in)]
        # Children take the father's family name, as most still do.
        surname = owner.name[0]
        if size >= 2:
            spouse_age = max(20, owner_age + rng.randint(-5, 5))
            spouse = self.person(age=spouse_age, is_male=not owner.is_male)
            members.append(ResidentData(spouse, Relation.FAMILY, moved_in))
            if spouse.is_male:
                surname = spouse.name[0]
        if size >= 3:
            # An elderly owner lives with a grown child's family rather than with a small child.
            gap = rng.randint(25, 32) if owner_age >= 75 else rng.randint(24, 34)
            child_age = max(0, owner_age - gap)
            members.append(ResidentData(self.person(age=child_age, surname=surname), Relation.FAMILY, moved_in))
        if size >= 4:
            if owner_age <= 50:
                extra_age = owner_age + rng.randint(24, 30)  # a grandparent helping with the child
                members.append(ResidentData(self.person(age=extra_age, surname=surname), Relation.FAMILY, moved_in))
            else:
                extra_age = max(0, owner_age - rng.randint(24, 34))
                members.append(ResidentData(self.person(age=extra_age, surname=surname), Relation.FAMILY, moved_in))
        return members

    # Estates --------------------------------------------------------------------------------------------------

    def project(self, plan: ProjectPlan) -> ProjectData:
        rng = self.rng
        project = ProjectData(plan=plan, service_phone=f"0531-8{rng.randrange(10**7):07d}")
        number = 0
        for building_plan in plan.buildings:
            for _ in range(building_plan.count):
                number += 1
                building = BuildingData(
                    name=f"{number}号楼",
                    floors_above=building_plan.floors,
                    floors_below=building_plan.floors_below,
                    entrances=building_plan.entrances,
                    elevator_count=building_plan.entrances * building_plan.lifts_per_entrance,
                    completed_year=plan.delivery_date.year - (1 if plan.delivery_date.month < 7 else 0),
                )
                layout = [rng.choice(building_plan.areas) for _ in range(building_plan.homes_per_floor)]
                for entrance in range(1, building_plan.entrances + 1):
                    for floor in range(1, building_plan.floors + 1):
                        for position, area in enumerate(layout, start=1):
                            status = rng.choices(STATUS_ORDER, weights=plan.status_weights)[0]
                            unit = UnitData(
                                entrance=str(entrance),
                                floor=floor,
                                room=f"{floor}{position:02d}",
                                area=area,
                                status=status,
                            )
                            if status in (UnitStatus.OCCUPIED, UnitStatus.RENTED):
                                unit.residents = self.household(plan, status)
                            building.units.append(unit)
                project.buildings.append(building)
        return project

    def tag(self, projects: list[ProjectData]) -> None:
        rng = self.rng
        residents = [resident for project in projects for unit in project.units for resident in unit.residents]
        households = [unit.residents for project in projects for unit in project.units if unit.residents]
        vulnerable = 0
        for members in households:
            if len(members) == 1 and self.age_of(members[0].person) >= ELDERLY_ALONE_AGE:
                members[0].tags.append(ResidentTag.ELDERLY_ALONE)
                vulnerable += 1
        target = round(len(residents) * VULNERABLE_SHARE)
        untagged = [resident for resident in residents if not resident.tags]
        for resident in rng.sample(untagged, max(0, target - vulnerable)):
            resident.tags.append(rng.choice((ResidentTag.DISABILITY, ResidentTag.HARDSHIP)))
        for resident in residents:
            if self.age_of(resident.person) < 18:
                continue
            is_party_member = rng.random() < PARTY_MEMBER_SHARE
            if is_party_member:
                resident.tags.append(ResidentTag.PARTY_MEMBER)
            # Party members volunteer more often (红色物业: members register at their community).
            if self.age_of(resident.person) <= 75 and rng.random() < (0.3 if is_party_member else VOLUNTEER_SHARE):
                resident.tags.append(ResidentTag.VOLUNTEER)

    # Staff ----------------------------------------------------------------------------------------------------

    def staff(self, projects: list[ProjectData]) -> None:
        rng = self.rng
        sequence = [0] * len(COMPANIES)
        for project in projects:
            plan = project.plan
            homes = len(project.units)
            has_lifts = any(building.elevator_count for building in project.buildings)
            roster = [
                (Trade.CUSTOMER_SERVICE, True),
                *[(Trade.CUSTOMER_SERVICE, False)] * (2 + (homes > 500)),
                *[(Trade.ENGINEERING, False)] * (3 + has_lifts + (homes > 500)),
                *[(Trade.SECURITY, False)] * (4 + homes // 150),
                *[(Trade.CLEANING, False)] * (3 + homes // 200),
                *[(Trade.GREENING, False)] * (1 + (homes > 450)),
            ]
            engineers = 0
            for trade, is_manager in roster:
                sequence[plan.company] += 1
                if trade == Trade.SECURITY:
                    person = self.person(age=rng.randint(22, 55), is_male=rng.random() < 0.9)
                elif trade in (Trade.CLEANING, Trade.GREENING):
                    person = self.person(age=rng.randint(40, 60), is_male=rng.random() < 0.3)
                else:
                    person = self.person(age=rng.randint(25, 52))
                hired_on = self.today - dt.timedelta(days=rng.randrange(60, 365 * 12))
                member = StaffData(
                    person=person,
                    employee_no=f"{COMPANIES[plan.company].employee_prefix}{sequence[plan.company]:04d}",
                    trade=trade,
                    is_manager=is_manager,
                    hired_on=hired_on,
                    started_on=max(hired_on, plan.handover_date),
                )
                kinds: list[str] = []
                if is_manager:
                    kinds.append(CertificateKind.PROJECT_MANAGER)
                if trade == Trade.ENGINEERING:
                    engineers += 1
                    kinds.append(CertificateKind.ELECTRICIAN)
                    if has_lifts and engineers <= 2:
                        kinds.append(CertificateKind.ELEVATOR)
                    if engineers == 3:
                        kinds.append(CertificateKind.FIRE_CONTROL)
                if trade == Trade.SECURITY and rng.random() < 0.9:
                    kinds.append(CertificateKind.SECURITY_GUARD)
                for kind in kinds:
                    member.certificates.append(self.certificate(kind, hired_on))
                project.staff.append(member)
        self.age_certificates(projects)

    def certificate(self, kind: str, hired_on: dt.date) -> CertificateData:
        rng = self.rng
        years = CERTIFICATE_VALIDITY_YEARS.get(kind)
        if years:
            # Renewed on time so far: issued within the current validity cycle, at least three months ago.
            issued_on = self.today - dt.timedelta(days=rng.randrange(90, 365 * years - 90))
            expires_on: dt.date | None = _add_years(issued_on, years)
        else:
            issued_on = hired_on - dt.timedelta(days=rng.randrange(0, 720))
            expires_on = None
        number = f"{_CERTIFICATE_PREFIX[kind]}{issued_on.year}{rng.randrange(10**6):06d}"
        return CertificateData(kind=kind, number=number, issued_on=issued_on, expires_on=expires_on)

    def age_certificates(self, projects: list[ProjectData]) -> None:
        """Let a few renewable certificates lapse and a few come due, so reminders and the register have work."""
        rng = self.rng
        renewable = [
            certificate
            for project in projects
            for member in project.staff
            for certificate in member.certificates
            if certificate.expires_on is not None
        ]
        chosen = rng.sample(renewable, EXPIRED_CERTIFICATES + EXPIRING_CERTIFICATES)
        for certificate in chosen[:EXPIRED_CERTIFICATES]:
            certificate.expires_on = self.today - dt.timedelta(days=rng.randint(5, 200))
        for certificate in chosen[EXPIRED_CERTIFICATES:]:
            certificate.expires_on = self.today + dt.timedelta(days=rng.randint(3, EXPIRING_WITHIN_DAYS - 5))
        for certificate in chosen:
            expires_on = certificate.expires_on or self.today
            certificate.issued_on = _add_years(expires_on, -CERTIFICATE_VALIDITY_YEARS[certificate.kind])

    # Companies and accounts -----------------------------------------------------------------------------------

    def companies(self) -> list[CompanyData]:
        return [
            CompanyData(
                name=plan.name,
                credit_code=uscc_make(division="370100", organisation_body=plan.organisation_body),
                qualification=plan.qualification,
                legal_representative=self.person(age=self.rng.randint(40, 60)).name,
                address=plan.address,
                phone=plan.phone,
            )
            for plan in COMPANIES
        ]

    def accounts(self, projects: list[ProjectData]) -> list[AccountData]:
        home, other = projects[0], projects[1]

        def staff_of(trade: str, *, is_manager: bool = False) -> StaffData:
            return next(s for s in home.staff if s.trade == trade and s.is_manager == is_manager)

        def first_owner(project: ProjectData) -> tuple[str, tuple[str, str, str]]:
            for building in project.buildings:
                for unit in building.units:
                    if unit.status == UnitStatus.OCCUPIED and len(unit.residents) >= 2:
                        return unit.residents[0].person.name, (building.name, unit.entrance, unit.room)
            raise LookupError("no occupied household")

        manager = staff_of(Trade.CUSTOMER_SERVICE, is_manager=True)
        engineer = staff_of(Trade.ENGINEERING)
        service = staff_of(Trade.CUSTOMER_SERVICE)
        security = staff_of(Trade.SECURITY)
        resident_name, resident_home = first_owner(home)
        other_name, other_home = first_owner(other)
        return [
            AccountData("admin", "平台管理员", Role.PLATFORM_ADMIN, is_superuser=True),
            AccountData("regulator", "市住建局监管员", Role.REGULATOR),
            AccountData("regulator-lixia", "历下区住建局监管员", Role.REGULATOR, district=District.LIXIA),
            AccountData("company-admin", f"{self.person(age=45).name}", Role.COMPANY_ADMIN, company=home.plan.company),
            AccountData(
                "manager", manager.person.name, Role.PROJECT_MANAGER, project=0, employee_no=manager.employee_no
            ),
            AccountData(
                "engineer",
                engineer.person.name,
                Role.STAFF,
                trade=Trade.ENGINEERING,
                project=0,
                employee_no=engineer.employee_no,
            ),
            AccountData(
                "service",
                service.person.name,
                Role.STAFF,
                trade=Trade.CUSTOMER_SERVICE,
                project=0,
                employee_no=service.employee_no,
            ),
            AccountData(
                "security",
                security.person.name,
                Role.STAFF,
                trade=Trade.SECURITY,
                project=0,
                employee_no=security.employee_no,
            ),
            AccountData("party-worker", self.person(age=38).name, Role.COMMUNITY_WORKER, project=0),
            AccountData("resident", resident_name, Role.RESIDENT, project=0, household=resident_home),
            AccountData("resident-2", other_name, Role.RESIDENT, project=1, household=other_home),
        ]


def generate(*, seed: int = DEFAULT_SEED, today: dt.date) -> Dataset:
    """The whole demo data set for a seed; ``today`` anchors certificate expiry dates and move-in dates."""
    generator = _Generator(seed, today)
    companies = generator.companies()
    projects = [generator.project(plan) for plan in PROJECTS]
    generator.tag(projects)
    generator.staff(projects)
    accounts = generator.accounts(projects)
    return Dataset(seed=seed, companies=companies, projects=projects, accounts=accounts)
