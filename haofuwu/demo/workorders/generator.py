"""A year of work orders for the demo estates: a pure function of the estates data set, a seed and "now".

Each order is planned whole (when it is accepted, dispatched, reached, held, resolved, reopened, closed, rated,
visited) and then cut at "now" or at the step where it stalls, so the last days hold open orders in every status.
Deadlines are computed the way ``services.recompute_deadlines`` does with no stored policies (the built-in
defaults), and the escalation level is the one the escalation sweep would have reached by "now", so the SLA
metrics of the demo are honest and the worker's first sweep finds nothing old to announce.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from collections.abc import Sequence
from dataclasses import dataclass, field

from haofuwu.accounts.roles import Trade
from haofuwu.demo.records import BuildingData, Dataset, ProjectData, StaffData, UnitData
from haofuwu.demo.workorders import catalogue
from haofuwu.demo.workorders.catalogue import IN_HOME, Template
from haofuwu.demo.workorders.clock import deadlines, escalate, status_at
from haofuwu.demo.workorders.records import Actor, EventData, HoldData, OrderData, VisitData
from haofuwu.workorders.choices import (
    Category,
    Channel,
    Kind,
    Status,
    Urgency,
    VisitMethod,
    VisitOutcome,
)
from haofuwu.workorders.policies import choose
from haofuwu.workorders.services import CATEGORY_TRADES
from haofuwu.workorders.sla import SHANGHAI, Calendar, deadline

HISTORY_DAYS = 365
# Orders per 100 households per week: 2.8 for a new estate plus 0.06 for every year since delivery (older pipes,
# lifts and doors), so the 2005 walk-up estate reports about 4 and the 2023 resettlement estate about 2.9.
BASE_WEEKLY_RATE = 2.8
RATE_PER_YEAR_OF_AGE = 0.06
# More requests in the heating season and the rainy summer, fewer around the Spring Festival and in spring.
MONTH_FACTOR = {
    1: 1.15,
    2: 0.95,
    3: 1.0,
    4: 0.9,
    5: 0.95,
    6: 1.05,
    7: 1.2,
    8: 1.15,
    9: 0.95,
    10: 0.9,
    11: 1.05,
    12: 1.2,
}
WEEKEND_FACTOR = 0.85
# Relative number of requests by hour of the day: mornings and the evening after work.
HOUR_WEIGHTS = (1, 0.5, 0.3, 0.3, 0.3, 0.5, 1.5, 4, 7, 9, 9, 8, 5, 5, 7, 8, 8, 7, 7, 8, 7, 5, 3, 2)
KIND_WEIGHTS = {Kind.REPAIR: 58, Kind.COMPLAINT: 15, Kind.HELP: 8, Kind.ENQUIRY: 10, Kind.SUGGESTION: 6, Kind.PRAISE: 3}
# Share of each kind that comes from the 12345 hotline (mostly complaints the resident took to the city).
HOTLINE_SHARE: dict[str, float] = {Kind.COMPLAINT: 0.14, Kind.HELP: 0.03, Kind.ENQUIRY: 0.02, Kind.REPAIR: 0.015}
CHANNEL_WEIGHTS = {Channel.APP: 62, Channel.PHONE: 24, Channel.WALK_IN: 9, Channel.RECEPTION_DAY: 5}
PATROL_SHARE = 0.2  # of repairs and complaints about a public place, found by a patrol first
LATE_SHARE = 0.08  # planned; a few more turn out late on their own
URGENT_LATE_ARRIVAL_SHARE = 0.05
REOPEN_SHARE = 0.045  # of repairs, complaints and help requests
HOLD_SHARE = 0.02
CANCEL_SHARE = 0.02
CLOSED_SHARE = 0.9
RATED_SHARE = 0.67  # of resolved orders a resident reported (patrol finds have nobody to rate them)
VISITED_SHARE = 0.85  # of resolved repairs and complaints
HOTLINE_REPLY_IN_TIME_SHARE = 0.92
RECENT_DAYS = 10
STALL_SHARE = 0.08  # of recent orders left open at some step
ACCOUNT_STAFF_WEIGHT = 3  # the demo's staff accounts get a larger share of their project's work
HOTLINE_WORKING_DAYS = 5
# Whom a resident's praise is about, by its category (a repairman otherwise).
PRAISED_TRADES: dict[str, str] = {Category.SECURITY: Trade.SECURITY, Category.CLEANING: Trade.CLEANING}
RESIDENT_KINDS = frozenset({Kind.REPAIR, Kind.COMPLAINT, Kind.HELP})


def _minutes(value: float) -> dt.timedelta:
    return dt.timedelta(seconds=round(value * 60))


def _hours(value: float) -> dt.timedelta:
    return dt.timedelta(seconds=round(value * 3600))


@dataclass
class _Site:
    """One project with its places and people at hand."""

    index: int
    data: ProjectData
    homes: list[tuple[BuildingData, UnitData]]
    homes_by_stair: dict[tuple[str, str], list[tuple[BuildingData, UnitData]]]
    stairs: list[tuple[BuildingData, str]]
    lifts: list[tuple[BuildingData, str]]
    has_garage: bool
    weekly_rate: float
    reception_day: int  # day of the month of the manager's reception day (项目经理接待日)
    account_homes: set[tuple[str, str, str]] = field(default_factory=set)


@dataclass(frozen=True)
class Spec:
    """A hand-placed order of the showcase: which request, how long ago, and where it stops."""

    title: str
    age: dt.timedelta
    stop: str = ""  # the last step taken ("submit", "accept", "dispatch", "start", "hold"); "" for all
    assignee: str = ""
    home: tuple[str, str, str] | None = None
    is_rated: bool = True
    is_closed: bool = True


@dataclass
class _Step:
    action: str
    at: dt.datetime
    actor: Actor
    note: str = ""
    assignee: str = ""  # employee number, for "dispatch"


class _Generator:
    def __init__(self, dataset: Dataset, seed: int, now: dt.datetime) -> None:
        # A stream of its own, so work orders never change the registry drawn from the data set's seed.
        self.rng = random.Random(f"workorders:{seed}")
        self.dataset = dataset
        self.now = now.astimezone(SHANGHAI).replace(microsecond=0)
        self.start = self.now - dt.timedelta(days=HISTORY_DAYS)
        self.calendar = Calendar()
        self.case_numbers: set[str] = set()
        self.account_staff = {account.employee_no for account in dataset.accounts if account.employee_no}
        self.templates = {template.title: template for template in catalogue.TEMPLATES}

    # Sites and people -----------------------------------------------------------------------------------------

    def site(self, index: int, data: ProjectData) -> _Site:
        homes = [(b, u) for b in data.buildings for u in b.units if u.residents]
        by_stair: dict[tuple[str, str], list[tuple[BuildingData, UnitData]]] = {}
        for building, unit in homes:
            by_stair.setdefault((building.name, unit.entrance), []).append((building, unit))
        stairs = [(b, str(e)) for b in data.buildings for e in range(1, b.entrances + 1)]
        age = max(0, self.now.year - data.plan.delivery_date.year)
        site = _Site(
            index=index,
            data=data,
            homes=homes,
            homes_by_stair=by_stair,
            stairs=stairs,
            lifts=[(b, e) for b, e in stairs if b.elevator_count],
            has_garage=any(b.floors_below for b in data.buildings),
            weekly_rate=BASE_WEEKLY_RATE + RATE_PER_YEAR_OF_AGE * age,
            reception_day=10 + index % 15,
        )
        for account in self.dataset.accounts:
            if account.household is not None and account.project == index:
                site.account_homes.add(account.household)
        return site

    def staff(self, site: _Site, trades: Sequence[str], day: dt.date, *, managers: bool = False) -> StaffData:
        """Someone of one of the trades working at the project on ``day``; the manager when nobody else is."""
        found = [
            member
            for member in site.data.staff
            if member.trade in trades and member.is_manager == managers and member.started_on <= day
        ]
        if not found:
            return next(member for member in site.data.staff if member.is_manager)
        weights = [ACCOUNT_STAFF_WEIGHT if member.employee_no in self.account_staff else 1 for member in found]
        return self.rng.choices(found, weights=weights)[0]

    def manager(self, site: _Site) -> StaffData:
        return next(member for member in site.data.staff if member.is_manager)

    @staticmethod
    def actor(member: StaffData) -> Actor:
        return Actor(member.person.name, employee_no=member.employee_no)

    # Time -----------------------------------------------------------------------------------------------------

    def poisson(self, mean: float) -> int:
        limit, count, product = math.exp(-mean), 0, self.rng.random()
        while product > limit:
            count += 1
            product *= self.rng.random()
        return count

    def moment(self, day: dt.date) -> dt.datetime:
        hour = self.rng.choices(range(24), weights=HOUR_WEIGHTS)[0]
        return dt.datetime.combine(day, dt.time(hour, self.rng.randrange(60), self.rng.randrange(60)), tzinfo=SHANGHAI)

    def daytime(self, at: dt.datetime, first_hour: int = 8, last_hour: int = 20) -> dt.datetime:
        """``at`` if it falls in working hours, else a little after they start on the next morning."""
        local = at.astimezone(SHANGHAI)
        if first_hour <= local.hour < last_hour:
            return local
        day = local.date() if local.hour < first_hour else local.date() + dt.timedelta(days=1)
        return dt.datetime.combine(day, dt.time(first_hour), tzinfo=SHANGHAI) + _minutes(self.rng.uniform(0, 60))

    # The year -------------------------------------------------------------------------------------------------

    def run(self) -> list[OrderData]:
        sites = [self.site(index, data) for index, data in enumerate(self.dataset.projects)]
        orders: list[OrderData] = []
        for site in sites:
            homes = len(site.data.units)
            day = self.start.date()
            while day <= self.now.date():
                mean = homes * site.weekly_rate / 100 / 7 * MONTH_FACTOR[day.month]
                mean *= WEEKEND_FACTOR if day.weekday() >= 5 else 1
                for _ in range(self.poisson(mean)):
                    submitted_at = self.moment(day)
                    if self.start <= submitted_at <= self.now:
                        orders.append(self.order(site, submitted_at))
                day += dt.timedelta(days=1)
        orders += self.showcase(sites)
        orders.sort(key=lambda order: (order.submitted_at, order.project, order.title))
        return orders

    def showcase(self, sites: list[_Site]) -> list[OrderData]:
        """Orders placed by hand in the first project, so each demo account finds work in every status."""
        home = sites[0]
        by_username = {account.username: account for account in self.dataset.accounts}
        engineer = by_username["engineer"].employee_no
        service = by_username["service"].employee_no
        manager = by_username["manager"].employee_no
        resident = by_username["resident"].household
        hours, days = (lambda n: dt.timedelta(hours=n)), (lambda n: dt.timedelta(days=n))
        specs = [
            Spec("楼道灯不亮", hours(2), stop="dispatch", assignee=engineer),
            Spec("单元门禁对讲不通", hours(9), stop="start", assignee=engineer),
            Spec("电梯运行异响", days(5), stop="start", assignee=engineer),
            Spec("楼上渗水到卫生间顶棚", days(3), stop="hold", assignee=engineer),
            Spec("停车月卡怎么办理", hours(2), stop="dispatch", assignee=service),
            Spec("物业服务态度差", hours(20), stop="start", assignee=service),
            Spec("楼上装修噪音扰民", hours(30), stop="start", assignee=manager),
            Spec("垃圾未及时清运", _minutes(12), stop="submit"),
            Spec("单元门闭门器坏了", _minutes(35), stop="submit"),
            Spec("车位被占", hours(1.5), stop="accept"),
            Spec("卫生间下水道堵塞", days(150), home=resident),
            Spec("家里跳闸部分插座没电", days(60), home=resident, is_rated=False),
            Spec("水龙头关不严一直滴水", days(3), home=resident, is_rated=False, is_closed=False),
            Spec("马桶水箱一直流水", hours(6), stop="dispatch", assignee=engineer, home=resident),
        ]
        orders = [self.order(home, self.now - spec.age, spec=spec) for spec in specs]
        other_home = by_username["resident-2"].household
        if len(sites) > 1 and other_home is not None:
            orders.append(
                self.order(
                    sites[1],
                    self.now - days(4),
                    spec=Spec("厨房水管漏水", days(4), home=other_home, is_rated=False, is_closed=False),
                )
            )
        return orders

    # One order ------------------------------------------------------------------------------------------------

    def template(self, site: _Site, day: dt.date) -> Template:
        rng = self.rng
        kind = rng.choices(list(KIND_WEIGHTS), weights=list(KIND_WEIGHTS.values()))[0]
        found = [
            template
            for template in catalogue.TEMPLATES
            if template.kind == kind
            and catalogue.in_season(template.season, day)
            and (template.place != "lift" or site.lifts)
        ]
        return rng.choices(found, weights=[template.weight for template in found])[0]

    def order(self, site: _Site, submitted_at: dt.datetime, *, spec: Spec | None = None) -> OrderData:
        rng = self.rng
        template = self.templates[spec.title] if spec else self.template(site, submitted_at.date())
        urgency = Urgency.NORMAL
        if rng.random() < template.urgent:
            urgency = Urgency.URGENT
        elif rng.random() < template.appointment:
            urgency = Urgency.APPOINTMENT
        order = OrderData(
            project=site.index,
            building=None,
            unit=None,
            public_area="",
            kind=template.kind,
            category=template.category,
            urgency=urgency,
            channel=Channel.APP,
            title=template.title,
            description="",
            submitted_at=submitted_at,
        )
        where = self.place(site, order, template, spec.home if spec else None)
        patrol = self.channel(site, order, template, spec)
        day = order.submitted_at.date()
        staff_name = ""
        if "{staff}" in template.description:
            trade = PRAISED_TRADES.get(template.category, Trade.ENGINEERING)
            staff_name = self.staff(site, [trade], day).person.name
        description = template.description.format(where=where, staff=staff_name)
        if order.channel == Channel.HOTLINE_12345:
            description = f"市民来电反映：{description}请核实处理并按时回复。"
        elif order.channel == Channel.PATROL:
            description = f"巡查发现：{description.split('，', 1)[-1]}"
        else:
            description += rng.choice(catalogue.DESCRIPTION_ENDINGS)
        order.description = description
        if urgency == Urgency.APPOINTMENT:
            slot = rng.choice(((9, 0), (14, 0), (18, 30)))
            when = dt.datetime.combine(day + dt.timedelta(days=rng.choice((1, 1, 2))), dt.time(*slot), SHANGHAI)
            order.appointment_start, order.appointment_end = when, when + dt.timedelta(hours=2)
        self.lifecycle(site, order, template, spec, patrol)
        return order

    def place(self, site: _Site, order: OrderData, template: Template, home: tuple[str, str, str] | None) -> str:
        """Put the order in a household or a public place, with a resident of the project as reporter."""
        rng = self.rng
        place = template.place
        buildings = site.data.buildings
        if place == IN_HOME:
            if home is not None:
                building, unit = next((b, u) for b, u in site.homes if (b.name, u.entrance, u.room) == home)
            else:
                building, unit = rng.choice(site.homes)
            order.building, order.unit = building.name, (building.name, unit.entrance, unit.room)
            where = f"{building.name}{unit.entrance}单元{unit.room}"
            reporter_home = (building, unit)
        elif place in catalogue.BUILDING_PLACES:
            building, entrance = rng.choice(site.lifts if place == "lift" else site.stairs)
            area = {"stair": f"{entrance}单元楼道", "lift": f"{entrance}单元电梯", "building": "外墙"}[place]
            order.building, order.public_area = building.name, area
            where = f"{building.name}{area}"
            reporter_home = rng.choice(site.homes_by_stair.get((building.name, entrance)) or site.homes)
        else:
            if place == "garage" and not site.has_garage:
                spot = rng.choice(catalogue.SURFACE_PARKING)
            else:
                spot = rng.choice(catalogue.ESTATE_SPOTS[place]).format(n=rng.randint(1, len(buildings)))
            order.public_area = where = spot
            reporter_home = rng.choice(site.homes)
        building, unit = reporter_home
        key = (building.name, unit.entrance, unit.room)
        day = order.submitted_at.date()
        if key in site.account_homes:
            person = unit.residents[0].person
        else:
            adults = [r.person for r in unit.residents if day.year - r.person.birth.year >= 18 and r.person.phone]
            person = rng.choice(adults) if adults else unit.residents[0].person
        order.reporter_name, order.reporter_phone = person.name, person.phone
        order.reporter_home, order.reporter_is_account = key, key in site.account_homes
        return where

    def channel(self, site: _Site, order: OrderData, template: Template, spec: Spec | None) -> Actor | None:
        """Choose how the request came in; the staff member who found it when a patrol did."""
        rng = self.rng
        is_public = template.place != IN_HOME
        if spec is not None:
            channel = Channel.APP if spec.home else Channel.PHONE
        elif is_public and order.kind in (Kind.REPAIR, Kind.COMPLAINT) and rng.random() < PATROL_SHARE:
            channel = Channel.PATROL
        elif order.urgency != Urgency.URGENT and rng.random() < HOTLINE_SHARE.get(order.kind, 0):
            channel = Channel.HOTLINE_12345
        else:
            channel = rng.choices(list(CHANNEL_WEIGHTS), weights=list(CHANNEL_WEIGHTS.values()))[0]
        submitted = order.submitted_at
        if channel == Channel.RECEPTION_DAY:
            # Brought to the manager's monthly reception day: move it to the last one, in the morning session.
            day = submitted.date().replace(day=min(site.reception_day, 28))
            if day > submitted.date():
                day = (day.replace(day=1) - dt.timedelta(days=1)).replace(day=min(site.reception_day, 28))
            moved = dt.datetime.combine(day, dt.time(9), SHANGHAI) + _minutes(rng.uniform(0, 150))
            if moved >= self.start and (submitted.date() - day).days <= 10:
                order.submitted_at = moved
            else:
                channel = Channel.WALK_IN
        if channel == Channel.WALK_IN and not 8 <= order.submitted_at.hour < 19:
            channel = Channel.PHONE
        patrol = None
        if channel == Channel.PATROL:
            trade = Trade.ENGINEERING if order.kind == Kind.REPAIR else Trade.SECURITY
            member = self.staff(site, [trade], order.submitted_at.date())
            patrol = self.actor(member)
            order.reporter_name, order.reporter_phone = member.person.name, ""
            order.reporter_home, order.reporter_is_account = None, False
        if channel == Channel.HOTLINE_12345:
            number = ""
            while not number or number in self.case_numbers:
                number = f"SD{order.submitted_at.year}{rng.randrange(10**8):08d}"
            self.case_numbers.add(number)
            order.hotline_case_number = number
            order.hotline_deadline = deadline(
                order.submitted_at,
                self.calendar.hours_per_day * HOTLINE_WORKING_DAYS,
                calendar=self.calendar,
            )
        order.channel = channel
        return patrol

    # The lifecycle --------------------------------------------------------------------------------------------

    def lifecycle(
        self, site: _Site, order: OrderData, template: Template, spec: Spec | None, patrol: Actor | None
    ) -> None:
        rng = self.rng
        now = self.now
        t0 = order.submitted_at
        day = t0.date()
        terms = choose(
            (),
            project_id=site.index,
            kind=order.kind,
            category=order.category,
            urgency=order.urgency,
            channel=order.channel,
        )
        is_urgent = order.urgency == Urgency.URGENT
        desk = self.staff(site, [Trade.CUSTOMER_SERVICE], day)
        assignee = self.assignee(site, order, day, spec)
        worker = self.actor(assignee)
        desk_actor = self.actor(desk)
        has_resident = order.reporter_home is not None
        reporter = Actor(order.reporter_name, is_reporter=True) if has_resident else desk_actor
        recent = now - t0 < dt.timedelta(days=RECENT_DAYS)

        stop = spec.stop if spec else ""
        if spec is None and recent and rng.random() < STALL_SHARE:
            age = now - t0
            choices = ["dispatch", "start", "start", "hold"]
            if age < dt.timedelta(hours=6):
                choices = ["submit", "accept", "dispatch", "start"]
            elif age < dt.timedelta(days=2):
                choices = ["accept", "dispatch", "start", "start"]
            stop = rng.choice(choices)
        is_cancelled = spec is None and not stop and order.kind != Kind.PRAISE and rng.random() < CANCEL_SHARE
        has_hold = stop == "hold" or (spec is None and not stop and rng.random() < HOLD_SHARE)
        is_reopened = (
            spec is None and not stop and order.kind in RESIDENT_KINDS and has_resident and rng.random() < REOPEN_SHARE
        )
        is_late = spec is None and rng.random() < LATE_SHARE

        # Accepted by the service desk, which is staffed around the clock.
        if order.channel in (Channel.WALK_IN, Channel.RECEPTION_DAY, Channel.PATROL):
            accepted = t0 + _minutes(rng.uniform(1, 4))
        elif is_urgent:
            accepted = t0 + _minutes(rng.uniform(1, 8))
        elif order.channel == Channel.HOTLINE_12345:
            accepted = t0 + _minutes(rng.uniform(10, 90))
        elif rng.random() < 0.04:
            accepted = t0 + _minutes(rng.uniform(35, 150))
        else:
            night = t0.hour >= 22 or t0.hour < 7
            accepted = t0 + _minutes(rng.triangular(1, 40 if night else 25, 5))
        # Dispatched: at once when urgent, else during the day shift.
        if is_urgent:
            dispatched = accepted + _minutes(rng.uniform(1, 6))
        elif order.kind in (Kind.ENQUIRY, Kind.SUGGESTION, Kind.PRAISE):
            dispatched = accepted + _minutes(rng.uniform(1, 15))
        elif spec is not None:
            dispatched = accepted + _minutes(rng.uniform(3, 30))
        else:
            dispatched = self.daytime(accepted + _minutes(rng.triangular(3, 90, 15)))
        # On site (or started): urgent repairs within half an hour, appointments in their window.
        if is_urgent and order.kind == Kind.REPAIR:
            late = rng.random() < URGENT_LATE_ARRIVAL_SHARE
            arrived = t0 + _minutes(rng.uniform(32, 80) if late else rng.uniform(10, 28))
            arrived = max(arrived, dispatched + _minutes(2))
        elif order.appointment_start is not None:
            arrived = order.appointment_start + _minutes(rng.uniform(0, 100))
        elif spec is not None:
            arrived = dispatched + _minutes(rng.uniform(10, 60))
        elif order.kind in (Kind.ENQUIRY, Kind.SUGGESTION, Kind.PRAISE):
            arrived = self.daytime(dispatched + _minutes(rng.uniform(2, 30)))
        else:
            arrived = self.daytime(dispatched + _minutes(rng.triangular(10, 300, 40)))
        arrived = max(arrived, dispatched + _minutes(1))
        work = _hours(rng.uniform(*template.hours))
        resolved = arrived + work
        if work > dt.timedelta(hours=3):
            resolved = self.daytime(resolved, 8, 19)

        submitter = patrol or (reporter if order.channel == Channel.APP else desk_actor)
        steps = [
            _Step("submit", t0, submitter),
            _Step("accept", accepted, desk_actor),
            _Step("dispatch", dispatched, desk_actor, assignee=assignee.employee_no),
            _Step("start", arrived, worker),
        ]
        if has_hold:
            hold_start = arrived + max((resolved - arrived) * rng.uniform(0.2, 0.6), _minutes(10))
            hold_end = self.daytime(hold_start + _hours(rng.uniform(4, 96)), 8, 19)
            resolved = hold_end + max(resolved - hold_start, _minutes(20))
            reasons = catalogue.HOLD_REASONS.get(order.category, catalogue.DEFAULT_HOLD_REASONS)
            reason = rng.choice(reasons)
            steps += [_Step("hold", hold_start, worker, reason), _Step("resume", hold_end, worker)]
        resolution = template.resolution
        if is_reopened:
            reopened = self.daytime(resolved + _hours(rng.uniform(6, 72)), 8, 21)
            restarted = self.daytime(reopened + _hours(rng.uniform(0.5, 20)))
            steps += [
                _Step("resolve", resolved, worker, resolution),
                _Step(
                    "reopen",
                    reopened,
                    reporter if rng.random() < 0.7 else desk_actor,
                    rng.choice(catalogue.REOPEN_NOTES),
                ),
                _Step("start", restarted, worker),
            ]
            resolved = restarted + _hours(rng.uniform(*template.hours))
            resolution = f"复查后重新处理：{resolution}"
        # Make the final resolution late, or in time, as planned for this order.
        plan = OrderData(**{**order.__dict__, "events": [], "holds": [], "visits": []})
        plan.holds = [HoldData("", s.at, n.at) for s, n in itertools.pairwise(steps) if s.action == "hold"]
        plan.reopened_at = next((s.at for s in steps if s.action == "reopen"), None)
        deadlines(plan, terms, self.calendar)
        due = plan.resolution_due_at
        floor = steps[-1].at if steps[-1].action in ("start", "resume") else arrived
        if due is not None:
            if is_late:
                resolved = max(due + _minutes(rng.triangular(20, 48 * 60, 180)), floor + _minutes(10))
            elif resolved > due and due > floor + _minutes(15):
                resolved = floor + (due - floor) * rng.uniform(0.3, 0.95)
                resolved = resolved.replace(microsecond=0)
        steps.append(_Step("resolve", resolved, worker, resolution))
        is_closed = spec.is_closed if spec else rng.random() < CLOSED_SHARE
        if is_closed:
            closer = reporter if has_resident and rng.random() < 0.6 else desk_actor
            steps.append(_Step("close", resolved + _hours(rng.uniform(12, 120)), closer))
        if is_cancelled:
            cut = rng.choices((1, 2, 3), weights=(40, 40, 20))[0]
            cancelled_at = steps[cut - 1].at + _minutes(rng.uniform(10, 360))
            canceller = reporter if cut < 3 and has_resident else desk_actor
            steps = [*steps[:cut], _Step("cancel", cancelled_at, canceller, rng.choice(catalogue.CANCEL_REASONS))]

        transitions = self.apply(order, steps, stop, template)
        deadlines(order, terms, self.calendar)
        if order.status in (Status.RESOLVED, Status.CLOSED):
            self.follow_up(site, order, reporter=reporter, desk=desk_actor, spec=spec, transitions=transitions)
        escalate(order, terms, transitions, now=self.now, rng=self.rng)
        order.events.sort(key=lambda event: event.at)

    def assignee(self, site: _Site, order: OrderData, day: dt.date, spec: Spec | None) -> StaffData:
        if spec is not None and spec.assignee:
            return next(member for member in site.data.staff if member.employee_no == spec.assignee)
        if order.kind == Kind.COMPLAINT and self.rng.random() < 0.25:
            return self.manager(site)
        trades = CATEGORY_TRADES.get(order.category)
        if order.kind in (Kind.ENQUIRY, Kind.SUGGESTION, Kind.PRAISE) or not trades:
            trades = frozenset({Trade.CUSTOMER_SERVICE})
        return self.staff(site, sorted(trades), day)

    def apply(
        self, order: OrderData, steps: list[_Step], stop: str, template: Template
    ) -> list[tuple[dt.datetime, str]]:
        """Take the planned steps up to "now" (and up to ``stop``), recording each as an event; the statuses the
        order went through, with when."""
        transitions: list[tuple[dt.datetime, str]] = []
        for step in steps:
            if step.at > self.now:
                break
            before = order.status
            data: dict[str, object] = {}
            after = before
            if step.action == "submit":
                after = Status.SUBMITTED
                data = {"channel": order.channel, "photos": 0}
            elif step.action == "accept":
                order.accepted_at, after = step.at, Status.ACCEPTED
            elif step.action == "dispatch":
                data = {"assignee": step.assignee, "previous": None}
                order.assignee, order.dispatched_at, after = step.assignee, step.at, Status.DISPATCHED
            elif step.action == "start":
                order.arrived_at = order.arrived_at or step.at
                after = Status.IN_PROGRESS
            elif step.action == "hold":
                order.status_before_hold, after = before, Status.ON_HOLD
                order.holds.append(HoldData(step.note, step.at, None))
            elif step.action == "resume":
                order.holds[-1].ended_at = step.at
                after, order.status_before_hold = order.status_before_hold, ""
            elif step.action == "resolve":
                order.resolved_at, after = step.at, Status.RESOLVED
                order.resolution_note, order.materials = step.note, template.materials
            elif step.action == "reopen":
                order.reopen_count += 1
                order.reopened_at, order.resolved_at, order.closed_at = step.at, None, None
                after = Status.DISPATCHED
            elif step.action == "close":
                order.closed_at, after = step.at, Status.CLOSED
            elif step.action == "cancel":
                order.cancelled_at, order.cancel_reason, after = step.at, step.note, Status.CANCELLED
                for hold in order.holds:
                    hold.ended_at = hold.ended_at or step.at
            order.status = after
            from_status = "" if step.action == "submit" else before
            order.events.append(EventData(step.action, step.at, from_status, after, step.actor, step.note, data))
            transitions.append((step.at, after))
            if stop and step.action == stop:
                break
        return transitions

    def follow_up(
        self,
        site: _Site,
        order: OrderData,
        *,
        reporter: Actor,
        desk: Actor,
        spec: Spec | None,
        transitions: list[tuple[dt.datetime, str]],
    ) -> None:
        """The resident's rating, the service desk's return visit and the reply to 12345, each if its time has
        come."""
        rng = self.rng
        resolved = order.resolved_at
        if resolved is None:
            return
        is_late = order.resolution_due_at is not None and resolved > order.resolution_due_at
        wants_rating = spec.is_rated if spec else rng.random() < RATED_SHARE
        if order.reporter_home is not None and wants_rating:
            rated_at = resolved + _minutes(rng.uniform(10, 2880))
            if spec is not None:
                rated_at = min(rated_at, self.now - _minutes(5))
            weights = (10, 15, 25, 30, 20) if is_late else (1, 2, 6, 24, 67)
            rating = rng.choices((1, 2, 3, 4, 5), weights=weights)[0]
            if rating <= 2:
                comment = rng.choice(catalogue.LOW_RATING_COMMENTS)
            else:
                comment = rng.choice(catalogue.HIGH_RATING_COMMENTS) if rng.random() < 0.3 else ""
            if rated_at <= self.now:
                order.rating, order.rating_comment, order.rated_at = rating, comment, rated_at
                status = status_at(transitions, rated_at)
                order.events.append(EventData("rate", rated_at, status, status, reporter, comment, {"rating": rating}))
        if order.kind in (Kind.REPAIR, Kind.COMPLAINT) and rng.random() < VISITED_SHARE:
            visited_at = self.daytime(resolved + _hours(rng.uniform(3, 72)), 9, 18)
            visitor = self.actor(self.staff(site, [Trade.CUSTOMER_SERVICE], visited_at.date()))
            if rng.random() < 0.06:
                outcome = VisitOutcome.UNREACHABLE
            elif order.rating is not None and order.rating <= 2:
                outcome = VisitOutcome.DISSATISFIED
            elif order.rating == 3 or rng.random() < 0.15:
                outcome = VisitOutcome.BASICALLY_SATISFIED
            else:
                outcome = VisitOutcome.SATISFIED
            method = rng.choices((VisitMethod.PHONE, VisitMethod.HOME_VISIT, VisitMethod.MESSAGE), weights=(85, 8, 7))[
                0
            ]
            if outcome == VisitOutcome.UNREACHABLE:
                method = VisitMethod.PHONE
            note = rng.choice(catalogue.VISIT_NOTES[outcome])
            if visited_at <= self.now:
                order.visits.append(VisitData(visitor, method, outcome, note, visited_at))
                status = status_at(transitions, visited_at)
                order.events.append(
                    EventData("return_visit", visited_at, status, status, visitor, note, {"outcome": outcome})
                )
        if order.channel == Channel.HOTLINE_12345 and order.hotline_deadline is not None:
            limit = order.hotline_deadline
            replied_at = self.daytime(resolved + _hours(rng.uniform(0.5, 6)), 8, 18)
            if rng.random() < HOTLINE_REPLY_IN_TIME_SHARE:
                if replied_at > limit and resolved < limit:
                    replied_at = (resolved + (limit - resolved) * rng.uniform(0.2, 0.9)).replace(microsecond=0)
            else:
                replied_at = max(replied_at, limit + _hours(rng.uniform(1, 30)))
            if replied_at <= self.now:
                reply = f"经核实，{order.resolution_note}已电话回复诉求人，诉求人对处理结果表示认可。"
                order.hotline_reply, order.hotline_replied_at = reply, replied_at
                status = status_at(transitions, replied_at)
                order.events.append(EventData("hotline_reply", replied_at, status, status, desk, reply))


def generate_work_orders(dataset: Dataset, *, now: dt.datetime, seed: int | None = None) -> list[OrderData]:
    """A year of work orders up to ``now`` for the projects of ``dataset`` (the showcase of the demo accounts in
    the first project); the same data set, seed and moment give the same orders."""
    return _Generator(dataset, dataset.seed if seed is None else seed, now).run()
