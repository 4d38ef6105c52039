"""Roles, trades and what each role may do.

Permissions are named strings checked through ``Scope.has``; where an organisation is involved the scope decides
which one. Personal data follows the rule of least need: full phone numbers for the people who call residents back,
full ID numbers only for those who keep the register.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PLATFORM_ADMIN = "platform_admin", _("Platform administrator")
    REGULATOR = "regulator", _("Regulator")
    COMPANY_ADMIN = "company_admin", _("Company administrator")
    PROJECT_MANAGER = "project_manager", _("Project manager")
    STAFF = "staff", _("Property staff")
    COMMUNITY_WORKER = "community_worker", _("Community / party worker")
    RESIDENT = "resident", _("Resident")


class Trade(models.TextChoices):
    CUSTOMER_SERVICE = "customer_service", _("Customer service")
    ENGINEERING = "engineering", _("Engineering and maintenance")
    SECURITY = "security", _("Security")
    CLEANING = "cleaning", _("Cleaning")
    GREENING = "greening", _("Greening")


VIEW_ESTATES = "estates.view"
CHANGE_ESTATES = "estates.change"
CREATE_COMPANY = "estates.create_company"
IMPORT_ESTATES = "estates.import"
VIEW_RESIDENTS = "residents.view"
VIEW_PHONE = "residents.view_phone"
VIEW_ID_NUMBER = "residents.view_id_number"
EXPORT_PERSONAL = "residents.export"
CHANGE_STAFF = "staff.change"
VIEW_STAFF = "staff.view"
# Community and party building (the community app): party work, joint governance, grid members and volunteers;
# activities and check-in at the door; putting residents on the care register (reading an entry needs more: being
# its coordinator or an assigned visitor); the district's review of red-property points; the disclosure board.
MANAGE_COMMUNITY = "community.manage"
RUN_ACTIVITIES = "community.run_activities"
REGISTER_CARE = "community.register_care"
REVIEW_RED_PROPERTY = "community.review_red_property"
PUBLISH_DISCLOSURES = "community.publish_disclosures"

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.PLATFORM_ADMIN: frozenset(
        {
            VIEW_ESTATES,
            CHANGE_ESTATES,
            CREATE_COMPANY,
            IMPORT_ESTATES,
            VIEW_RESIDENTS,
            VIEW_PHONE,
            VIEW_ID_NUMBER,
            EXPORT_PERSONAL,
            CHANGE_STAFF,
            VIEW_STAFF,
            MANAGE_COMMUNITY,
            RUN_ACTIVITIES,
            REGISTER_CARE,
            REVIEW_RED_PROPERTY,
            PUBLISH_DISCLOSURES,
        }
    ),
    # Regulators read organisations and aggregates; they do not need residents' contact data. The district names
    # red-property demonstration points.
    Role.REGULATOR: frozenset({VIEW_ESTATES, VIEW_STAFF, REVIEW_RED_PROPERTY}),
    Role.COMPANY_ADMIN: frozenset(
        {
            VIEW_ESTATES,
            CHANGE_ESTATES,
            IMPORT_ESTATES,
            VIEW_RESIDENTS,
            VIEW_PHONE,
            VIEW_ID_NUMBER,
            EXPORT_PERSONAL,
            CHANGE_STAFF,
            VIEW_STAFF,
            MANAGE_COMMUNITY,
            RUN_ACTIVITIES,
            PUBLISH_DISCLOSURES,
        }
    ),
    Role.PROJECT_MANAGER: frozenset(
        {
            VIEW_ESTATES,
            CHANGE_ESTATES,
            IMPORT_ESTATES,
            VIEW_RESIDENTS,
            VIEW_PHONE,
            VIEW_ID_NUMBER,
            EXPORT_PERSONAL,
            CHANGE_STAFF,
            VIEW_STAFF,
            MANAGE_COMMUNITY,
            RUN_ACTIVITIES,
            REGISTER_CARE,
            PUBLISH_DISCLOSURES,
        }
    ),
    Role.STAFF: frozenset({VIEW_ESTATES, VIEW_RESIDENTS, VIEW_STAFF, RUN_ACTIVITIES}),
    # Community workers visit vulnerable residents: they see who and where, phone masked.
    Role.COMMUNITY_WORKER: frozenset({VIEW_ESTATES, VIEW_RESIDENTS, MANAGE_COMMUNITY, RUN_ACTIVITIES, REGISTER_CARE}),
    Role.RESIDENT: frozenset(),
}

# Trades that call residents back (customer service, repairs) see phone numbers in full.
TRADE_PERMISSIONS: dict[str, frozenset[str]] = {
    Trade.CUSTOMER_SERVICE: frozenset({VIEW_PHONE}),
    Trade.ENGINEERING: frozenset({VIEW_PHONE}),
}

# Which scope field each role needs on its assignment.
ROLE_SCOPE_FIELD: dict[str, str | None] = {
    Role.PLATFORM_ADMIN: None,
    Role.REGULATOR: "district",  # blank district = whole city
    Role.COMPANY_ADMIN: "company",
    Role.PROJECT_MANAGER: "project",
    Role.STAFF: "project",
    Role.COMMUNITY_WORKER: "project",
    Role.RESIDENT: "unit",
}
