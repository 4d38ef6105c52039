"""The fixed part of the demo data set: three invented companies and six invented estates across Jinan.

Company and estate names and community (社区) names are invented; districts, sub-districts (街道) and roads are real,
and coordinates fall near the named sub-district. House numbers are invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from haofuwu.core.regions import District
from haofuwu.estates.choices import ProjectType, Qualification, UnitStatus


@dataclass(frozen=True)
class CompanyPlan:
    name: str
    organisation_body: str  # eight digits of the GB 11714 organisation code inside the credit code
    employee_prefix: str
    qualification: str
    address: str
    phone: str


@dataclass(frozen=True)
class BuildingPlan:
    """``count`` identical buildings: floors, entrances (单元), homes per floor per entrance, lifts per entrance."""

    count: int
    floors: int
    entrances: int
    homes_per_floor: int
    lifts_per_entrance: int
    floors_below: int
    areas: tuple[float, ...]  # one floor-plan area (m²) is drawn per position on a floor, the same on every floor


@dataclass(frozen=True)
class ProjectPlan:
    company: int  # index into COMPANIES
    name: str
    district: str
    street: str
    community: str
    address: str
    project_type: str
    handover_date: dt.date
    delivery_date: dt.date
    latitude: float
    longitude: float
    buildings: tuple[BuildingPlan, ...]
    # Weights of the household statuses, in the order of STATUS_ORDER.
    status_weights: tuple[int, int, int, int, int]
    owner_age: tuple[int, int]  # youngest and oldest owner


# Chinese names of Jinan's districts, for the scope column of the accounts table (the model labels are English
# msgids translated through the locale).
DISTRICT_NAMES: dict[str, str] = {
    District.LIXIA: "历下区",
    District.SHIZHONG: "市中区",
    District.HUAIYIN: "槐荫区",
    District.TIANQIAO: "天桥区",
    District.LICHENG: "历城区",
    District.CHANGQING: "长清区",
    District.ZHANGQIU: "章丘区",
    District.JIYANG: "济阳区",
    District.LAIWU: "莱芜区",
    District.GANGCHENG: "钢城区",
    District.PINGYIN: "平阴县",
    District.SHANGHE: "商河县",
    District.HIGH_TECH: "高新区",
}

STATUS_ORDER = (
    UnitStatus.OCCUPIED,
    UnitStatus.RENTED,
    UnitStatus.VACANT,
    UnitStatus.DECORATING,
    UnitStatus.UNDELIVERED,
)

COMPANIES: tuple[CompanyPlan, ...] = (
    CompanyPlan(
        name="济南泉城物业服务有限公司",
        organisation_body="70621853",
        employee_prefix="QC",
        qualification=Qualification.GRADE_1,
        address="济南市历下区经十路13777号",
        phone="0531-86901234",
    ),
    CompanyPlan(
        name="山东舜耕嘉园物业管理有限公司",
        organisation_body="74240516",
        employee_prefix="SG",
        qualification=Qualification.GRADE_2,
        address="济南市市中区二环南路2109号",
        phone="0531-82762210",
    ),
    CompanyPlan(
        name="济南明湖安居物业服务有限公司",
        organisation_body="31302977",
        employee_prefix="MH",
        qualification=Qualification.NONE,
        address="济南市天桥区北园大街485号",
        phone="0531-85903316",
    ),
)

# The first project is the one the manager, staff and first resident accounts belong to; it must be in 历下区.
PROJECTS: tuple[ProjectPlan, ...] = (
    ProjectPlan(
        company=0,
        name="燕山华府",
        district=District.LIXIA,
        street="燕山街道",
        community="燕华社区",
        address="济南市历下区燕子山路68号",
        project_type=ProjectType.RESIDENTIAL,
        handover_date=dt.date(2011, 9, 20),
        delivery_date=dt.date(2011, 12, 28),
        latitude=36.656210,
        longitude=117.071930,
        buildings=(
            BuildingPlan(5, 18, 2, 2, 2, 2, (128.62, 143.20, 98.55, 110.34)),
            BuildingPlan(2, 11, 2, 2, 1, 1, (139.80, 156.41)),
        ),
        status_weights=(78, 12, 6, 4, 0),
        owner_age=(30, 82),
    ),
    ProjectPlan(
        company=1,
        name="舜耕翠园",
        district=District.SHIZHONG,
        street="舜耕街道",
        community="翠园社区",
        address="济南市市中区舜耕路116号",
        project_type=ProjectType.RESIDENTIAL,
        handover_date=dt.date(2008, 4, 16),
        delivery_date=dt.date(2008, 7, 1),
        latitude=36.639620,
        longitude=117.012480,
        buildings=(BuildingPlan(6, 18, 2, 2, 1, 1, (89.47, 105.18, 118.73)),),
        status_weights=(76, 16, 6, 2, 0),
        owner_age=(32, 86),
    ),
    ProjectPlan(
        company=1,
        name="振兴花园",
        district=District.HUAIYIN,
        street="振兴街街道",
        community="振兴花园社区",
        address="济南市槐荫区振兴街27号",
        project_type=ProjectType.RESIDENTIAL,
        handover_date=dt.date(2005, 5, 15),
        delivery_date=dt.date(2005, 6, 30),
        latitude=36.660580,
        longitude=116.967610,
        # An old walk-up estate: six storeys, three stairwells, no lifts.
        buildings=(BuildingPlan(10, 6, 3, 2, 0, 0, (56.31, 68.92, 75.40, 82.15)),),
        status_weights=(70, 22, 7, 1, 0),
        owner_age=(40, 90),
    ),
    ProjectPlan(
        company=2,
        name="北园泉汇里",
        district=District.TIANQIAO,
        street="北园街道",
        community="泉汇社区",
        address="济南市天桥区北园大街399号",
        project_type=ProjectType.MIXED,
        handover_date=dt.date(2016, 3, 8),
        delivery_date=dt.date(2016, 6, 18),
        latitude=36.688720,
        longitude=117.001340,
        buildings=(BuildingPlan(5, 26, 1, 4, 2, 2, (52.26, 89.64, 98.20, 120.55)),),
        status_weights=(60, 25, 10, 5, 0),
        owner_age=(26, 75),
    ),
    ProjectPlan(
        company=0,
        name="洪楼锦绣苑",
        district=District.LICHENG,
        street="洪家楼街道",
        community="锦绣社区",
        address="济南市历城区洪家楼南路58号",
        project_type=ProjectType.RESIDENTIAL,
        handover_date=dt.date(2019, 8, 26),
        delivery_date=dt.date(2019, 10, 30),
        latitude=36.683490,
        longitude=117.070820,
        buildings=(BuildingPlan(6, 26, 2, 2, 2, 2, (95.62, 118.30, 135.87)),),
        status_weights=(72, 12, 8, 8, 0),
        owner_age=(28, 78),
    ),
    ProjectPlan(
        company=2,
        name="明水汇泉新居",
        district=District.ZHANGQIU,
        street="明水街道",
        community="汇泉社区",
        address="济南市章丘区汇泉路1688号",
        # Resettlement housing for villagers of the old town; the last buildings were handed over in 2023.
        project_type=ProjectType.RESETTLEMENT,
        handover_date=dt.date(2023, 3, 20),
        delivery_date=dt.date(2023, 6, 15),
        latitude=36.712460,
        longitude=117.526180,
        buildings=(BuildingPlan(6, 22, 2, 2, 2, 1, (60.18, 75.82, 90.06, 105.44, 120.71)),),
        status_weights=(45, 5, 15, 17, 18),
        owner_age=(35, 88),
    ),
)
