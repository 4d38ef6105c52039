"""Who may do what in the community app, from the acting user's scope (plain functions, no database).

A named permission (``accounts.roles``) says what a role may do; the scope says where. Reading a care-register entry
is different: it needs a reason about that one entry (being its coordinator or an assigned visitor), which the
care selectors check against the entry itself.
"""

from __future__ import annotations

from haofuwu.accounts.roles import (
    MANAGE_COMMUNITY,
    PUBLISH_DISCLOSURES,
    REGISTER_CARE,
    REVIEW_RED_PROPERTY,
    RUN_ACTIVITIES,
    VIEW_RESIDENTS,
)
from haofuwu.core.scoping import Scope


def works_for(scope: Scope, project_id: int, company_id: int) -> bool:
    """The project is the user's own workplace: they manage it, run its company, or are assigned to it."""
    return scope.can_write_project(project_id, company_id) or project_id in scope.project_ids


def manages_community(scope: Scope, project_id: int, company_id: int) -> bool:
    """Party work, joint meetings and their actions, appointments, volunteers, red-property applications."""
    return scope.has(MANAGE_COMMUNITY) and works_for(scope, project_id, company_id)


def runs_activities(scope: Scope, project_id: int, company_id: int) -> bool:
    """Publish activities, check people in at the door, record the report."""
    return scope.has(RUN_ACTIVITIES) and works_for(scope, project_id, company_id)


def registers_care(scope: Scope, project_id: int, company_id: int) -> bool:
    """Put a resident on the care register (becoming or naming its coordinator) and hand entries over."""
    return scope.has(REGISTER_CARE) and works_for(scope, project_id, company_id)


def publishes_disclosures(scope: Scope, project_id: int, company_id: int) -> bool:
    return scope.has(PUBLISH_DISCLOSURES) and works_for(scope, project_id, company_id)


def reviews_red_property(scope: Scope) -> bool:
    """The district's housing bureau names demonstration points (within the districts its scope covers)."""
    return scope.has(REVIEW_RED_PROPERTY) and (scope.sees_everything or bool(scope.districts))


def is_staff_account(scope: Scope) -> bool:
    return bool(scope.roles - {"resident"})


def shows_names(scope: Scope) -> bool:
    """Residents' names on registrations: roles that read residents; regulators see counts."""
    return scope.has(VIEW_RESIDENTS)
