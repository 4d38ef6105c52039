"""Pages of the community app: staff (party building, governance, volunteers, activities, care, the board) and
residents (phone pages)."""

from haofuwu.community.views.activities import activity_detail, activity_list, ticket_scan
from haofuwu.community.views.care import care_detail, care_list
from haofuwu.community.views.disclosure import disclosure_list
from haofuwu.community.views.governance import action_list, joint_meeting_detail, joint_meeting_list
from haofuwu.community.views.home import home
from haofuwu.community.views.party import (
    appointment_list,
    party_home,
    party_meeting_detail,
    red_property_detail,
    red_property_list,
)
from haofuwu.community.views.resident import (
    door_check_in,
    resident_activities,
    resident_activity,
    resident_board,
    resident_home,
    resident_visits,
    resident_volunteering,
)
from haofuwu.community.views.volunteers import certificate_detail, volunteer_detail, volunteer_list

__all__ = [
    "action_list",
    "activity_detail",
    "activity_list",
    "appointment_list",
    "care_detail",
    "care_list",
    "certificate_detail",
    "disclosure_list",
    "door_check_in",
    "home",
    "joint_meeting_detail",
    "joint_meeting_list",
    "party_home",
    "party_meeting_detail",
    "red_property_detail",
    "red_property_list",
    "resident_activities",
    "resident_activity",
    "resident_board",
    "resident_home",
    "resident_visits",
    "resident_volunteering",
    "ticket_scan",
    "volunteer_detail",
    "volunteer_list",
]
