"""Models of the community app: party building (``party``), joint governance (``governance``), volunteers
(``volunteers``), activities (``activities``), the care register (``care``) and the disclosure board
(``disclosure``)."""

from haofuwu.community.models.activities import Activity, Registration
from haofuwu.community.models.care import CONTACT_Q, CareSubject, CareVisit, CareVisitor, SilentAlert
from haofuwu.community.models.disclosure import Disclosure
from haofuwu.community.models.governance import JointAction, JointMeeting, JointMeetingAttendee
from haofuwu.community.models.party import (
    Appointment,
    PartyCoverage,
    PartyMeeting,
    PartyMeetingSignIn,
    PartyMember,
    PartyOrganisation,
    PioneerPost,
    RedPropertyApplication,
    RedPropertyCriterionCheck,
)
from haofuwu.community.models.volunteers import HoursCertificate, PointsEntry, ServiceRecord, Volunteer

__all__ = [
    "CONTACT_Q",
    "Activity",
    "Appointment",
    "CareSubject",
    "CareVisit",
    "CareVisitor",
    "Disclosure",
    "HoursCertificate",
    "JointAction",
    "JointMeeting",
    "JointMeetingAttendee",
    "PartyCoverage",
    "PartyMeeting",
    "PartyMeetingSignIn",
    "PartyMember",
    "PartyOrganisation",
    "PioneerPost",
    "PointsEntry",
    "RedPropertyApplication",
    "RedPropertyCriterionCheck",
    "Registration",
    "ServiceRecord",
    "SilentAlert",
    "Volunteer",
]
