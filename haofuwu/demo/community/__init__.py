"""Demo data of the community app: a year of party building, joint meetings and their actions, grid members,
volunteers, activities with sign-ups and check-ins, the care register with visits, and the disclosure board.

Written with ``bulk_create`` like the other demos (the services audit and notify each step). The random generator
is seeded from the data set, so the same seed and day give the same records. The party worker of the first project
coordinates its care register; the demo residents have not signed up for the coming activities, so they can try,
and one of them is nearly full.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from haofuwu.community import care_schedule, red_property
from haofuwu.community.choices import (
    ActionStatus,
    ActivityKind,
    ActivityStatus,
    ApplicationStatus,
    AppointmentKind,
    CareCategory,
    CareTier,
    CheckInMethod,
    ConsentGiver,
    DisclosureKind,
    MeetingStatus,
    MemberPost,
    MemberStatus,
    Party,
    PartyMeetingKind,
    PointsReason,
    RegistrationStatus,
    SignInMethod,
    Verdict,
    VisitMethod,
    VisitOutcome,
    VisitProof,
    VisitStatus,
    VolunteerKind,
)
from haofuwu.community.models import (
    Activity,
    Appointment,
    CareSubject,
    CareVisit,
    CareVisitor,
    Disclosure,
    JointAction,
    JointMeeting,
    JointMeetingAttendee,
    PartyCoverage,
    PartyMeeting,
    PartyMeetingSignIn,
    PartyMember,
    PartyOrganisation,
    PioneerPost,
    PointsEntry,
    RedPropertyApplication,
    RedPropertyCriterionCheck,
    Registration,
    ServiceRecord,
    Volunteer,
)
from haofuwu.demo.feedback.context import BATCH_SIZE, Context
from haofuwu.demo.records import Dataset
from haofuwu.estates.choices import ResidentTag
from haofuwu.estates.models import Project, Resident, ResidentTagging, Staff

ACTIVITIES = [
    ("迎新春写春联", ActivityKind.FESTIVAL),
    ("元宵节猜灯谜", ActivityKind.FESTIVAL),
    ("学雷锋志愿服务日", ActivityKind.VOLUNTEERING),
    ("健康义诊进小区", ActivityKind.ELDERLY),
    ("端午包粽子", ActivityKind.FESTIVAL),
    ("七一党课：红色物业", ActivityKind.PARTY),
    ("暑期儿童安全课堂", ActivityKind.CHILDREN),
    ("纳凉晚会", ActivityKind.CULTURAL),
    ("中秋游园会", ActivityKind.FESTIVAL),
    ("重阳敬老宴", ActivityKind.ELDERLY),
    ("消防安全演练", ActivityKind.EDUCATION),
    ("冬至包饺子", ActivityKind.FESTIVAL),
]
ACTION_ITEMS = [
    ("地下车库照明不足，增设LED灯具", Party.PROPERTY_COMPANY),
    ("小区东门增设非机动车充电桩", Party.PROPERTY_COMPANY),
    ("楼道堆物清理专项行动", Party.RESIDENTS_COMMITTEE),
    ("维修资金使用方案征求业主意见", Party.OWNERS_COMMITTEE),
    ("老旧电梯更新改造申报", Party.COMMUNITY_PARTY),
    ("宠物管理公约修订", Party.OWNERS_COMMITTEE),
]
REQUIRED = [
    (DisclosureKind.LICENCE_AND_MANAGER, "营业执照及项目负责人公示", 300),
    (DisclosureKind.SERVICE_STANDARD, "物业服务合同及服务标准", 200),
    (DisclosureKind.FEES, "物业服务收费项目及标准", 120),
    (DisclosureKind.COMPLAINT_CHANNELS, "服务及投诉电话", 90),
    (DisclosureKind.CONTRACTORS_AND_PLANS, "维修养护单位及年度计划", 60),
    (DisclosureKind.DECORATION_RULES, "装饰装修管理规定", 250),
    (DisclosureKind.PARKING_RULES, "停车管理规定", 330),
    (DisclosureKind.STAFF_ON_DUTY, "本月在岗人员", 12),
]


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), timezone.get_current_timezone())


def load(dataset: Dataset, *, now: dt.datetime) -> None:
    """Write this app's demo records for the freshly loaded registry."""
    context = Context.build(dataset, today=timezone.localdate(now), now=now)
    rng = random.Random(dataset.seed * 11 + 3)
    users = dict(
        get_user_model()
        .objects.filter(username__in=[a.username for a in dataset.accounts])
        .values_list("username", "pk")
    )
    worker_id = users.get("party-worker")
    projects = {p.pk: p for p in Project.objects.filter(pk__in=[s.project_id for s in context.sites])}
    staff_by_project: dict[int, list[tuple[int, str, int | None]]] = {}
    for site in context.sites:
        staff_by_project[site.project_id] = list(
            Staff.objects.filter(assignments__project_id=site.project_id).values_list("pk", "name", "user_id")[:40]
        )
    _party(context, rng, projects, staff_by_project)
    _governance(context, rng, staff_by_project, worker_id)
    volunteers = _volunteers(context, rng)
    _activities(context, rng, users, volunteers)
    _care(context, rng, worker_id, users)
    _board(context, rng)


def _party(context: Context, rng: random.Random, projects: dict, staff: dict) -> None:
    today = context.today
    organisations: dict[int, PartyOrganisation] = {}
    for site in context.sites:
        company_id = projects[site.project_id].company_id
        if company_id not in organisations:
            kind = "independent" if len(organisations) % 3 == 0 else "joint"
            organisations[company_id] = PartyOrganisation(
                company_id=company_id,
                name=f"{projects[site.project_id].company.name[:20]}{'党支部' if kind == 'independent' else '联合党支部'}",
                kind=kind,
                partners="" if kind == "independent" else "辖区小微物业企业联合组建",
                superior="所在街道党工委",
                established_on=today - dt.timedelta(days=rng.randint(700, 2500)),
                approval_reference=f"街党工委〔{today.year - 3}〕{rng.randint(10, 99)}号",
                meeting_code=f"{rng.randrange(10**6):06d}",
            )
    PartyOrganisation.objects.bulk_create(organisations.values())
    coverages, members, posts = [], [], []
    member_rows: dict[int, list[PartyMember]] = {}
    for site in context.sites:
        if site.index == 4:
            continue  # one project without party-work coverage: A-02 shows the gap
        organisation = organisations[projects[site.project_id].company_id]
        coverages.append(
            PartyCoverage(
                organisation=organisation,
                project_id=site.project_id,
                liaison_name=site.manager_name,
                started_on=organisation.established_on,
            )
        )
        rows = member_rows.setdefault(organisation.pk, [])
        for number, (staff_id, name, user_id) in enumerate(staff[site.project_id][: rng.randint(3, 6)]):
            member = PartyMember(
                organisation=organisation,
                name=name,
                staff_id=staff_id,
                user_id=user_id,
                status=MemberStatus.PROBATIONARY if number == 4 else MemberStatus.FULL,
                post=MemberPost.SECRETARY if not rows and number == 0 else MemberPost.MEMBER,
                joined_on=organisation.established_on + dt.timedelta(days=number * 30),
            )
            rows.append(member)
            members.append(member)
    PartyCoverage.objects.bulk_create(coverages)
    PartyMember.objects.bulk_create(members)
    titles = {"前台": "客服前台党员先锋岗", "维修": "工程维修党员先锋岗"}
    for coverage in coverages:
        candidates = [
            m for m in member_rows[coverage.organisation.pk] if m.staff_id in {s[0] for s in staff[coverage.project_id]}
        ]
        for member, title in zip(candidates, titles.values(), strict=False):
            posts.append(
                PioneerPost(
                    project_id=coverage.project_id,
                    member=member,
                    title=title,
                    pledge="亮身份、树形象、作表率",
                    started_on=today - dt.timedelta(days=300),
                )
            )
    PioneerPost.objects.bulk_create(posts)
    meetings = []
    for organisation in organisations.values():
        for months_ago in range(12):
            day = (today.replace(day=1) - dt.timedelta(days=30 * months_ago)).replace(day=min(8 + months_ago % 5, 28))
            kinds = [PartyMeetingKind.COMMITTEE]
            if day.month % 3 == 0:
                kinds += [PartyMeetingKind.MEMBERS_MEETING, PartyMeetingKind.LESSON]
            for kind in kinds:
                held = day < today
                meetings.append(
                    PartyMeeting(
                        organisation=organisation,
                        kind=kind,
                        title={"committee": "支委会", "members_meeting": "党员大会", "lesson": "专题党课"}[kind],
                        agenda="学习传达上级精神；研究红色物业创建工作",
                        starts_at=_at(day, 15),
                        place="物业服务中心党群活动室",
                        status=MeetingStatus.HELD if held else MeetingStatus.PLANNED,
                        held_at=_at(day, 17) if held else None,
                        minutes="会议学习了相关精神，部署了下阶段工作。" if held else "",
                    )
                )
    PartyMeeting.objects.bulk_create(meetings, batch_size=BATCH_SIZE)
    PartyMeetingSignIn.objects.bulk_create(
        [
            PartyMeetingSignIn(
                meeting=meeting, member=member, method=SignInMethod.ROSTER, signed_in_at=meeting.starts_at
            )
            for meeting in meetings
            if meeting.status == MeetingStatus.HELD
            for member in member_rows.get(meeting.organisation.pk, [])
            if rng.random() < 0.85
        ],
        batch_size=BATCH_SIZE,
    )
    # Red property: the first project recognised last year, the second awaiting review, the third drafting.
    plans = {0: ApplicationStatus.RECOGNISED, 1: ApplicationStatus.SUBMITTED, 2: ApplicationStatus.DRAFT}
    applications = []
    for site in context.sites:
        status = plans.get(site.index)
        if status is None:
            continue
        year = today.year - 1 if status == ApplicationStatus.RECOGNISED else today.year
        recognised = dt.date(year, 11, 20) if status == ApplicationStatus.RECOGNISED else None
        applications.append(
            RedPropertyApplication(
                project_id=site.project_id,
                year=year,
                level="district",
                status=status,
                plan="以党建引领物业服务，推进三方联动、党员先锋岗、网格服务和关爱特殊群体。",
                submitted_at=_at(dt.date(year, 9, 1), 10) if status != ApplicationStatus.DRAFT else None,
                reviewed_at=_at(recognised, 10) if recognised else None,
                recognised_on=recognised,
                valid_until=dt.date(year + 2, 12, 31) if recognised else None,
                review_note="经区住建局复核，各项标准均已达到。" if recognised else "",
            )
        )
    RedPropertyApplication.objects.bulk_create(applications)
    RedPropertyCriterionCheck.objects.bulk_create(
        RedPropertyCriterionCheck(
            application=application,
            code=code,
            is_claimed=application.status != ApplicationStatus.DRAFT or number < 5,
            evidence="见台账及照片" if application.status != ApplicationStatus.DRAFT or number < 5 else "",
            verdict=Verdict.MET if application.status == ApplicationStatus.RECOGNISED else "",
        )
        for application in applications
        for number, code in enumerate(red_property.CODES)
    )


def _governance(context: Context, rng: random.Random, staff: dict, worker_id: int | None) -> None:
    today = context.today
    appointments, meetings, attendees, actions = [], [], [], []
    for site in context.sites:
        for number, (staff_id, name, user_id) in enumerate(
            staff[site.project_id][: 1 + site.index % 3 + (site.index < 3)]
        ):
            appointments.append(
                Appointment(
                    project_id=site.project_id,
                    kind=AppointmentKind.GRID_MEMBER,
                    person_name=name,
                    staff_id=staff_id,
                    user_id=user_id,
                    grid=f"第{number + 1}网格",
                    appointed_by=f"{site.name[:6]}所在社区居委会",
                    document=f"社区〔{today.year - 1}〕{number + 3}号",
                    started_on=today - dt.timedelta(days=400),
                )
            )
        if site.index % 2 == 0:
            appointments.append(
                Appointment(
                    project_id=site.project_id,
                    kind=AppointmentKind.COMMUNITY_COMMITTEE,
                    person_name=site.manager_name or "项目经理",
                    appointed_by="社区党委",
                    started_on=today - dt.timedelta(days=500),
                )
            )
            appointments.append(
                Appointment(
                    project_id=site.project_id,
                    kind=AppointmentKind.QUALITY_SUPERVISOR,
                    person_name="社区居委会委员",
                    appointed_by="社区居委会",
                    started_on=today - dt.timedelta(days=500),
                )
            )
        for quarter in range(4):
            day = today - dt.timedelta(days=20 + 91 * quarter + rng.randint(0, 20))
            if site.index == 5 and quarter == 1:
                continue  # a skipped quarter
            meeting = JointMeeting(
                project_id=site.project_id,
                title=f"“三方联动”联席会议（第{4 - quarter}次）",
                starts_at=_at(day, 14, 30),
                place="社区党群服务中心",
                status=MeetingStatus.HELD,
                held_at=_at(day, 16, 30),
                minutes="社区党委、业委会、物业公司共同研究小区治理事项，形成决议如下。",
                convened_by_id=worker_id,
            )
            meetings.append(meeting)
            for party, name in [
                (Party.COMMUNITY_PARTY, "社区党委书记"),
                (Party.OWNERS_COMMITTEE, "业委会主任"),
                (Party.PROPERTY_COMPANY, site.manager_name or "项目经理"),
            ]:
                if site.index == 3 and quarter == 0 and party == Party.OWNERS_COMMITTEE:
                    continue  # the owners' side missed one: it does not count for A-06
                attendees.append(JointMeetingAttendee(meeting=meeting, party=party, name=name))
            for item, party in rng.sample(ACTION_ITEMS, 2):
                due = day + dt.timedelta(days=rng.choice([14, 30, 45]))
                done = (due < today and rng.random() < 0.8) or (due >= today and rng.random() < 0.3)
                closed = min(due - dt.timedelta(days=rng.randint(-6, 10)), today)
                actions.append(
                    JointAction(
                        meeting=meeting,
                        item=item,
                        party=party,
                        owner_name="责任人",
                        due_on=due,
                        status=ActionStatus.DONE if done else ActionStatus.OPEN,
                        closed_at=_at(closed, 17) if done else None,
                        evidence="已完成，附现场照片及验收记录。" if done else "",
                        escalation_level=(2 if (today - due).days >= 8 else 1) if not done and due < today else 0,
                    )
                )
    Appointment.objects.bulk_create(appointments)
    JointMeeting.objects.bulk_create(meetings)
    JointMeetingAttendee.objects.bulk_create(attendees)
    JointAction.objects.bulk_create(actions)


def _volunteers(context: Context, rng: random.Random) -> dict[int, list[Volunteer]]:
    today = context.today
    found: dict[int, list[Volunteer]] = {}
    rows = []
    tagged = dict(
        ResidentTagging.objects.filter(tag__in=[ResidentTag.VOLUNTEER, ResidentTag.PARTY_MEMBER]).values_list(
            "resident_id", "tag"
        )
    )
    for site in context.sites:
        residents = Resident.objects.filter(pk__in=list(tagged), unit__building__project_id=site.project_id)
        for resident in residents.order_by("pk")[:8]:
            volunteer = Volunteer(
                project_id=site.project_id,
                name=resident.name,
                user_id=resident.user_id,
                registered_on=today - dt.timedelta(days=rng.randint(60, 700)),
                kind=VolunteerKind.PARTY_MEMBER
                if tagged[resident.pk] == ResidentTag.PARTY_MEMBER
                else VolunteerKind.RESIDENT,
                skills=rng.choice(["理发", "家电维修", "陪伴聊天", "书法", "急救", "手机教学"]),
            )
            rows.append(volunteer)
            found.setdefault(site.project_id, []).append(volunteer)
    Volunteer.objects.bulk_create(rows)
    records = []
    for volunteers in found.values():
        for volunteer in volunteers:
            for _ in range(rng.randint(3, 12)):
                records.append(
                    ServiceRecord(
                        volunteer=volunteer,
                        served_on=today - dt.timedelta(days=rng.randint(1, 360)),
                        hours=Decimal(rng.choice(["1.0", "1.5", "2.0", "3.0"])),
                        description=rng.choice(["助老陪伴", "楼道清理", "活动服务", "文明劝导", "义务理发"]),
                    )
                )
    ServiceRecord.objects.bulk_create(records, batch_size=BATCH_SIZE)
    PointsEntry.objects.bulk_create(
        [
            PointsEntry(volunteer=r.volunteer, points=int(r.hours * 10), reason=PointsReason.SERVICE, record=r)
            for r in records
        ],
        batch_size=BATCH_SIZE,
    )
    return found


def _activities(context: Context, rng: random.Random, users: dict, volunteers: dict) -> None:
    today, now = context.today, context.now
    activities, registrations = [], []
    resident_users = dict(
        Resident.objects.filter(
            unit__building__project_id__in=[s.project_id for s in context.sites], user__isnull=False
        ).values_list("user_id", "unit_id")
    )
    for site in context.sites:
        for months_ago in range(11, -1, -1):
            if (site.index + months_ago) % 4 == 3:
                continue  # not every month
            day = today - dt.timedelta(days=30 * months_ago + 10)
            title, kind = ACTIVITIES[(day.month - 1) % len(ACTIVITIES)]
            activities.append(
                Activity(
                    project_id=site.project_id,
                    title=title,
                    kind=kind,
                    place="小区中心广场",
                    description="欢迎居民朋友参加。",
                    starts_at=_at(day, 9),
                    ends_at=_at(day, 11),
                    signup_opens_at=_at(day - dt.timedelta(days=10), 9),
                    signup_closes_at=_at(day, 9),
                    capacity=rng.choice([30, 40, 60]),
                    status=ActivityStatus.COMPLETED,
                    completed_at=_at(day, 12),
                    report="活动顺利举行，居民参与热情高。",
                    door_token=secrets.token_urlsafe(12)[:16],
                )
            )
        for days_ahead, capacity in ((6, 2), (20, 50)):
            day = today + dt.timedelta(days=days_ahead + site.index % 3)
            title, kind = ACTIVITIES[(day.month - 1) % len(ACTIVITIES)]
            activities.append(
                Activity(
                    project_id=site.project_id,
                    title=title,
                    kind=kind,
                    place="社区党群服务中心",
                    description="名额有限，先到先得。",
                    starts_at=_at(day, 14),
                    ends_at=_at(day, 16),
                    signup_opens_at=now - dt.timedelta(days=2),
                    signup_closes_at=_at(day, 14),
                    capacity=capacity,
                    status=ActivityStatus.PUBLISHED,
                    door_token=secrets.token_urlsafe(12)[:16],
                )
            )
    # A registration needs a user: the demo's households without an account sign up through stand-in accounts is not
    # possible, so past attendance is recorded on the resident accounts that exist plus walk-up roster check-ins.
    accounts = list(resident_users)
    for activity in activities:
        site_accounts = accounts[:]
        taken = 0
        for user_id in rng.sample(site_accounts, min(len(site_accounts), 1)):
            if activity.status == ActivityStatus.PUBLISHED and activity.capacity > 2:
                continue  # the demo residents try the bigger one themselves
            status = (
                RegistrationStatus.ATTENDED
                if activity.status == ActivityStatus.COMPLETED
                else RegistrationStatus.CONFIRMED
            )
            taken += 1
            registrations.append(
                Registration(
                    activity=activity,
                    user_id=user_id,
                    unit_id=resident_users[user_id],
                    name="居民",
                    status=status,
                    ticket=secrets.token_urlsafe(12)[:16],
                    checked_in_at=activity.starts_at + dt.timedelta(minutes=5)
                    if status == RegistrationStatus.ATTENDED
                    else None,
                    check_in_method=CheckInMethod.TICKET_QR if status == RegistrationStatus.ATTENDED else "",
                )
            )
        activity.confirmed = taken
    Activity.objects.bulk_create(activities, batch_size=BATCH_SIZE)
    Registration.objects.bulk_create(registrations, batch_size=BATCH_SIZE)


def _care(context: Context, rng: random.Random, worker_id: int | None, users: dict) -> None:
    today = context.today
    tags = {
        ResidentTag.ELDERLY_ALONE: CareCategory.ELDERLY_ALONE,
        ResidentTag.DISABILITY: CareCategory.DISABLED,
        ResidentTag.HARDSHIP: CareCategory.SPECIAL_DIFFICULTY,
        ResidentTag.LEFT_BEHIND_CHILD: CareCategory.LEFT_BEHIND_CHILD,
    }
    subjects = []
    for site in context.sites:
        coordinator = worker_id if site.index == 0 and worker_id else site.manager_user_id
        if coordinator is None:
            continue
        rows = (
            ResidentTagging.objects.filter(tag__in=list(tags), resident__unit__building__project_id=site.project_id)
            .select_related("resident")
            .order_by("resident_id")
        )
        seen = set()
        for row in rows[:14]:
            resident = row.resident
            if resident.pk in seen:
                continue
            seen.add(resident.pk)
            tier = CareTier.HIGH if row.tag == ResidentTag.ELDERLY_ALONE and rng.random() < 0.3 else CareTier.KEY
            is_child = row.tag == ResidentTag.LEFT_BEHIND_CHILD
            registered = today - dt.timedelta(days=rng.randint(200, 400))
            subjects.append(
                CareSubject(
                    project_id=site.project_id,
                    resident=resident,
                    unit_id=resident.unit_id,
                    category=tags[row.tag],
                    tier=tier,
                    is_child=is_child,
                    consent_giver=ConsentGiver.GUARDIAN if is_child else ConsentGiver.SELF,
                    consent_giver_name=resident.name,
                    consent_recorded_at=_at(registered, 10),
                    sensitive_consent_at=_at(registered, 10) if is_child or rng.random() < 0.5 else None,
                    coordinator_id=coordinator,
                    registered_on=registered,
                    next_visit_due=today,
                    door_code=f"{rng.randrange(10**6):06d}",
                    silent_alert_enabled=False,
                )
            )
    CareSubject.objects.bulk_create(subjects)
    visits, visitors = [], []
    staff_user = {site.project_id: site.staff_user_id for site in context.sites}
    for subject in subjects:
        visitor = staff_user.get(subject.project_id)
        if visitor:
            visitors.append(
                CareVisitor(subject=subject, user_id=visitor, role="staff", started_on=subject.registered_on)
            )
        last = None
        day = subject.registered_on + dt.timedelta(days=rng.randint(3, 20))
        while day < today:
            method = rng.choices([VisitMethod.HOME, VisitMethod.PHONE], weights=[3, 2])[0]
            proof = (
                rng.choice([VisitProof.DOOR_CODE, VisitProof.POSITION, VisitProof.NONE])
                if method == VisitMethod.HOME
                else ""
            )
            visits.append(
                CareVisit(
                    subject=subject,
                    status=VisitStatus.DONE,
                    visitor_id=visitor or subject.coordinator_id,
                    method=method,
                    proof=proof,
                    visited_at=_at(day, rng.randint(9, 17)),
                    outcome=rng.choices(list(VisitOutcome), weights=[80, 8, 6, 3, 3])[0],
                )
            )
            if proof != VisitProof.NONE:
                last = day
            day += dt.timedelta(days=care_schedule.CADENCE_DAYS[subject.tier] + rng.randint(-3, 12))
        subject.last_contact_on = last
        subject.next_visit_due = care_schedule.next_visit_due(subject.tier, subject.registered_on, last)
    CareSubject.objects.bulk_update(subjects, ["last_contact_on", "next_visit_due"])
    CareVisitor.objects.bulk_create(visitors)
    CareVisit.objects.bulk_create(visits, batch_size=BATCH_SIZE)


def _board(context: Context, rng: random.Random) -> None:
    today, now = context.today, context.now
    items = []
    for site in context.sites:
        for kind, title, age in REQUIRED:
            if site.index == 3 and kind in (DisclosureKind.PARKING_RULES, DisclosureKind.STAFF_ON_DUTY):
                continue  # a board with gaps
            stretch = 400 if site.index == 5 and kind == DisclosureKind.FEES else age
            items.append(
                Disclosure(
                    project_id=site.project_id,
                    kind=kind,
                    title=title,
                    body=f"{title}，详见服务中心公示栏。",
                    published_at=_at(today - dt.timedelta(days=stretch), 9),
                )
            )
        for half in range(3):
            published = today - dt.timedelta(days=30 + 182 * half)
            if site.index == 2 and half == 0:
                continue
            for kind, title in [
                (DisclosureKind.INCOME_AND_COSTS, "物业服务收支情况"),
                (DisclosureKind.COMMON_INCOME, "公共收益及使用情况"),
                (DisclosureKind.MAINTENANCE_FUND, "维修资金使用情况"),
            ]:
                income = rng.randint(300_000, 900_000)
                items.append(
                    Disclosure(
                        project_id=site.project_id,
                        kind=kind,
                        title=f"{title}（半年度）",
                        body="收支明细如下，欢迎业主查阅监督。",
                        figures=[
                            {"label": "收入", "amount": f"{income}.00"},
                            {"label": "支出", "amount": f"{int(income * 0.93)}.00"},
                        ],
                        covers_from=published - dt.timedelta(days=200),
                        covers_until=published - dt.timedelta(days=20),
                        published_at=_at(published, 10),
                    )
                )
        for number in range(4):
            starts = today - dt.timedelta(days=20 + 80 * number)
            late = number == 2 and site.index % 2 == 1
            items.append(
                Disclosure(
                    project_id=site.project_id,
                    kind=DisclosureKind.PLANNED_OUTAGE,
                    title="计划停水通知",
                    body="因二次供水水箱清洗，届时停水，请提前储水。",
                    outage_kind="water",
                    outage_starts_at=_at(starts, 9),
                    outage_ends_at=_at(starts, 15),
                    affected_area="全部楼栋",
                    published_at=_at(starts - dt.timedelta(days=0 if late else 2), 8 if not late else 7),
                )
            )
        coming = today + dt.timedelta(days=3)
        items.append(
            Disclosure(
                project_id=site.project_id,
                kind=DisclosureKind.PLANNED_OUTAGE,
                title="计划停电通知",
                body="供电公司线路检修。",
                outage_kind="power",
                outage_starts_at=_at(coming, 8),
                outage_ends_at=_at(coming, 12),
                affected_area="1号楼至3号楼",
                published_at=now - dt.timedelta(hours=2),
            )
        )
    Disclosure.objects.bulk_create(items, batch_size=BATCH_SIZE)
