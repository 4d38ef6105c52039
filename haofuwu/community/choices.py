"""Enumerations of the community app: party building, joint governance, volunteers, activities, the care register
and the disclosure board."""

from django.db import models
from django.utils.translation import gettext_lazy as _

# Party building (党建) --------------------------------------------------------------------------------------------


class PartyOrganisationKind(models.TextChoices):
    """Jinan counts both (763 companies with a party organisation, 28% of them their own: research/modules.md §1)."""

    INDEPENDENT = "independent", _("Independent organisation")
    JOINT = "joint", _("Joint organisation")


class PartyOrganisationLevel(models.TextChoices):
    BRANCH = "branch", _("Party branch")
    GENERAL_BRANCH = "general_branch", _("General party branch")
    COMMITTEE = "committee", _("Primary party committee")


class MemberStatus(models.TextChoices):
    FULL = "full", _("Full member")
    PROBATIONARY = "probationary", _("Probationary member")


class MemberPost(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    MEMBER = "member", _("Member")


class PartyMeetingKind(models.TextChoices):
    """三会一课: the members' meeting, the committee, the group meeting and the party lesson."""

    MEMBERS_MEETING = "members_meeting", _("Members' meeting")
    COMMITTEE = "committee", _("Branch committee meeting")
    GROUP = "group", _("Party group meeting")
    LESSON = "lesson", _("Party lesson")


class MeetingStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class SignInMethod(models.TextChoices):
    ROSTER = "roster", _("Ticked on the roster")
    CODE = "code", _("Meeting code")


class RedPropertyLevel(models.TextChoices):
    DISTRICT = "district", _("District level")
    CITY = "city", _("City level")


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RECOGNISED = "recognised", _("Recognised")
    REJECTED = "rejected", _("Not recognised")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Verdict(models.TextChoices):
    MET = "met", _("Met")
    NOT_MET = "not_met", _("Not met")


# Joint governance (三方联动) ---------------------------------------------------------------------------------------


class JointMeetingLevel(models.TextChoices):
    """三方联动 in the community, and the joint property meetings (物业管理联席会议) at street, district and city level."""

    COMMUNITY = "community", _("Community (three-party)")
    STREET = "street", _("Sub-district joint meeting")
    DISTRICT = "district", _("District joint meeting")
    CITY = "city", _("City joint meeting")


class Party(models.TextChoices):
    """The parties at a joint meeting and the owners of its actions."""

    COMMUNITY_PARTY = "community_party", _("Community party organisation")
    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    PROPERTY_COMMITTEE = "property_committee", _("Property management committee")
    PROPERTY_COMPANY = "property_company", _("Property company")
    STREET = "street", _("Sub-district office")
    DEPARTMENT = "department", _("Government department")
    OTHER = "other", _("Other")


# Who speaks for each side of 三方联动: the community (party organisation or residents' committee), the owners
# (owners' committee, or the property management committee where none is elected yet) and the company.
COMMUNITY_SIDE = frozenset({Party.COMMUNITY_PARTY, Party.RESIDENTS_COMMITTEE})
OWNERS_SIDE = frozenset({Party.OWNERS_COMMITTEE, Party.PROPERTY_COMMITTEE})


class ActionStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")


class AppointmentKind(models.TextChoices):
    """Cross appointments (双向进入、交叉任职, A-04) and the part-time grid members (兼职网格员, A-05)."""

    GRID_MEMBER = "grid_member", _("Part-time grid member")
    COMMUNITY_COMMITTEE = "community_committee", _("Part-time member of the community party committee")
    QUALITY_SUPERVISOR = "quality_supervisor", _("Service-quality supervisor from the community")


# Volunteers (志愿服务) ---------------------------------------------------------------------------------------------


class VolunteerKind(models.TextChoices):
    PARTY_MEMBER = "party_member", _("Party-member volunteer")
    RESIDENT = "resident", _("Resident volunteer")
    STAFF = "staff", _("Staff volunteer")


class PointsReason(models.TextChoices):
    SERVICE = "service", _("Volunteer service")
    REDEMPTION = "redemption", _("Redeemed")
    CORRECTION = "correction", _("Correction")


# Activities (社区文化活动) -----------------------------------------------------------------------------------------


class ActivityKind(models.TextChoices):
    CULTURAL = "cultural", _("Culture and arts")
    FESTIVAL = "festival", _("Festival celebration")
    SPORTS = "sports", _("Sports and fitness")
    EDUCATION = "education", _("Talk or class")
    VOLUNTEERING = "volunteering", _("Volunteer action")
    PARTY = "party", _("Party-building activity")
    CHILDREN = "children", _("Children and families")
    ELDERLY = "elderly", _("For older residents")


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Open for sign-up")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Held")


class RegistrationStatus(models.TextChoices):
    CONFIRMED = "confirmed", _("Place confirmed")
    WAITLISTED = "waitlisted", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Checked in")
    NO_SHOW = "no_show", _("Did not come")


# Registrations that hold (or held) a place; the waiting list and cancellations do not.
SEATED_STATUSES = frozenset({RegistrationStatus.CONFIRMED, RegistrationStatus.ATTENDED, RegistrationStatus.NO_SHOW})
LIVE_STATUSES = frozenset({*SEATED_STATUSES, RegistrationStatus.WAITLISTED})


class CheckInMethod(models.TextChoices):
    TICKET_QR = "ticket_qr", _("Ticket QR scanned at the door")
    DOOR_QR = "door_qr", _("Door QR scanned by the resident")
    ROSTER = "roster", _("Ticked on the list by staff")


# Care register (关爱台账) ------------------------------------------------------------------------------------------


class CareCategory(models.TextChoices):
    """The groups of the 2022 national opinion on visiting elderly people in special difficulty, and children."""

    ELDERLY_ALONE = "elderly_alone", _("Elderly living alone")
    EMPTY_NEST = "empty_nest", _("Empty-nest elderly")
    DISABLED = "disabled", _("Disabled or dependent")
    LEFT_BEHIND_CHILD = "left_behind_child", _("Child left behind")
    SPECIAL_DIFFICULTY = "special_difficulty", _("Family in special difficulty")


# Categories that are themselves health data (PIPL art. 28): the category is masked like the notes.
SENSITIVE_CATEGORIES = frozenset({CareCategory.DISABLED})


class CareTier(models.TextChoices):
    """Visit cadence by risk (research/modules.md §2: weekly for high-risk, monthly for key, quarterly for general)."""

    HIGH = "high", _("High risk: weekly visit")
    KEY = "key", _("Key: monthly visit")
    GENERAL = "general", _("General: quarterly visit")


class ConsentGiver(models.TextChoices):
    SELF = "self", _("The resident")
    GUARDIAN = "guardian", _("Guardian")


class VisitKind(models.TextChoices):
    ROUTINE = "routine", _("Routine visit")
    WELFARE = "welfare", _("Welfare check")


class VisitMethod(models.TextChoices):
    HOME = "home", _("Home visit")
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")


class VisitProof(models.TextChoices):
    DOOR_CODE = "door_code", _("Door code")
    POSITION = "position", _("Position on site")
    NONE = "none", _("No proof")


class VisitOutcome(models.TextChoices):
    WELL = "well", _("Well")
    NEEDS_HELP = "needs_help", _("Needs help")
    NOT_HOME = "not_home", _("Not at home")
    HOSPITAL = "hospital", _("In hospital")
    REFERRED = "referred", _("Referred to the community or emergency services")


class VisitStatus(models.TextChoices):
    OPEN = "open", _("To do")
    DONE = "done", _("Done")


class VisitorRole(models.TextChoices):
    STAFF = "staff", _("Property staff")
    GRID_MEMBER = "grid_member", _("Grid member")
    COMMUNITY = "community", _("Community worker")
    VOLUNTEER = "volunteer", _("Volunteer")


# Disclosure board (公示) --------------------------------------------------------------------------------------------


class DisclosureKind(models.TextChoices):
    """What a property company publishes (Civil Code arts. 281, 282, 943; 淄博 art. 45, 潍坊 art. 49); the cadence
    of each is in ``disclosure_rules``."""

    LICENCE_AND_MANAGER = "licence_and_manager", _("Licence and project manager")
    SERVICE_STANDARD = "service_standard", _("Service contract, items and standards")
    FEES = "fees", _("Fees and charging standards")
    COMPLAINT_CHANNELS = "complaint_channels", _("Service and complaint numbers")
    INCOME_AND_COSTS = "income_and_costs", _("Service income and costs")
    COMMON_INCOME = "common_income", _("Income from common parts and its use")
    MAINTENANCE_FUND = "maintenance_fund", _("Use of the maintenance fund")
    CONTRACTORS_AND_PLANS = "contractors_and_plans", _("Maintenance contractors and plans")
    DECORATION_RULES = "decoration_rules", _("Decoration rules")
    PARKING_RULES = "parking_rules", _("Parking rules")
    STAFF_ON_DUTY = "staff_on_duty", _("Staff on duty")
    PLANNED_OUTAGE = "planned_outage", _("Planned water or power cut")
    NOTICE = "notice", _("Other notice")


class OutageKind(models.TextChoices):
    WATER = "water", _("Water")
    POWER = "power", _("Electricity")
    GAS = "gas", _("Gas")
    HEATING = "heating", _("Heating")


class DisclosureStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
