"""The navigation menu, filtered by what the user's scope allows."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from haofuwu.core.scoping import Scope


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    permission: str | None = None
    roles: frozenset[str] | None = None

    def allows(self, scope: Scope) -> bool:
        if self.roles is not None and not (scope.roles & self.roles) and not scope.is_platform_admin:
            return False
        return self.permission is None or scope.has(self.permission)


STAFF_ROLES = frozenset(
    {"platform_admin", "regulator", "company_admin", "project_manager", "staff", "community_worker"}
)

ITEMS: list[NavItem] = [
    NavItem(_("Home"), "core:home"),
    NavItem(_("Companies"), "estates:company_list", "estates.view", STAFF_ROLES),
    NavItem(_("Projects"), "estates:project_list", "estates.view", STAFF_ROLES),
    NavItem(_("Work orders"), "workorders:board", "estates.view", STAFF_ROLES),
    NavItem(_("My tasks"), "workorders:my_tasks", None, frozenset({"staff", "project_manager"})),
    NavItem(_("Good Service score"), "standard:home", None, STAFF_ROLES),
    NavItem(_("Rectification"), "standard:rectification_list", None, STAFF_ROLES),
    NavItem(_("Reception days"), "feedback:reception_day_list", None, STAFF_ROLES),
    NavItem(_("Surveys"), "feedback:survey_list", None, STAFF_ROLES),
    NavItem(_("Return visits"), "feedback:return_visit_list", None, STAFF_ROLES),
    NavItem(_("Energy"), "energy:home", None, STAFF_ROLES),
    NavItem(_("Community"), "community:home", None, STAFF_ROLES),
    NavItem(_("Buildings"), "estates:building_list", "estates.view", STAFF_ROLES),
    NavItem(_("Households"), "estates:unit_list", "estates.view", STAFF_ROLES),
    NavItem(_("Residents"), "estates:resident_list", "residents.view", STAFF_ROLES),
    NavItem(_("Staff"), "estates:staff_list", "staff.view", STAFF_ROLES),
    NavItem(_("Import"), "estates:import", "estates.import", STAFF_ROLES),
    NavItem(_("My home"), "estates:resident_home", None, frozenset({"resident"})),
    NavItem(_("My requests"), "workorders:resident_list", None, frozenset({"resident"})),
    NavItem(_("Reception days"), "feedback:resident_reception_days", None, frozenset({"resident"})),
    NavItem(_("Surveys"), "feedback:resident_surveys", None, frozenset({"resident"})),
    NavItem(_("Our score"), "standard:resident_score", None, frozenset({"resident"})),
    NavItem(_("Community"), "community:resident_home", None, frozenset({"resident"})),
    NavItem(_("Activities"), "community:resident_activities", None, frozenset({"resident"})),
    NavItem(_("Inbox"), "core:inbox"),
]


def menu_for(scope: Scope, current_path: str = "") -> list[dict[str, object]]:
    """The menu entries this scope may use, each with its URL and whether it is the current page."""
    entries: list[dict[str, object]] = []
    for item in ITEMS:
        if not item.allows(scope):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        is_current = current_path == url if url == "/" else current_path.startswith(url)
        entries.append({"label": item.label, "url": url, "is_current": is_current})
    return entries
