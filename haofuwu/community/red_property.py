"""The red-property demonstration-point checklist (红色物业示范点创建标准) as data.

No district's official criteria were available (research/modules.md "Not found"); these are the elements the Jinan
reports name (research/modules.md §1: party organisation, 党员先锋岗, 双向进入交叉任职, grid members, joint meetings)
plus the Good Service items a point is expected to lead on (I). The district reviews each one; the list is the
district's yardstick, not a setting of the company.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

CRITERIA: tuple[tuple[str, object], ...] = (
    ("party_organisation", _("A party organisation covers the project and meets regularly (三会一课)")),
    ("pioneer_posts", _("Party members show their identity at work; pioneer posts are set up")),
    ("cross_appointment", _("Dual entry and cross appointment with the community")),
    ("grid_members", _("Staff serve as part-time grid members")),
    ("joint_meetings", _("Joint three-party meetings every quarter, decisions followed up")),
    ("volunteer_service", _("Regular party-member and resident volunteer service")),
    ("care_register", _("A care register of vulnerable residents, visited on time")),
    ("disclosure", _("A complete and current disclosure board")),
)
CODES = tuple(code for code, _label in CRITERIA)
LABELS = dict(CRITERIA)
# A recognition lasts the year it was given and the two after it unless the district says otherwise (I).
DEFAULT_VALID_YEARS = 3
