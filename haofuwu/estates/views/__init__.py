"""Pages of the estates registry: lists, overviews, create/edit forms and the resident's home page.

Views only parse, authorise, call one selector or service and render. Reads go through the scoped selectors (an
object outside the scope is a 404), writes through the services (which check the permission again). A list answers
an htmx request with the partial holding just its table.

Companies and projects are in ``registry``, buildings and households in ``homes``, residents and staff in
``people``, the resident's own page in ``resident_home``; the shared shells and permission checks in ``common``.
"""

from haofuwu.estates.views.homes import (
    building_create,
    building_detail,
    building_edit,
    building_list,
    unit_create,
    unit_detail,
    unit_edit,
    unit_list,
)
from haofuwu.estates.views.people import (
    resident_create,
    resident_detail,
    resident_edit,
    resident_list,
    staff_certificate_add,
    staff_create,
    staff_detail,
    staff_edit,
    staff_list,
)
from haofuwu.estates.views.registry import (
    company_detail,
    company_edit,
    company_list,
    project_create,
    project_detail,
    project_edit,
    project_list,
)
from haofuwu.estates.views.resident_home import resident_home

__all__ = [
    "building_create",
    "building_detail",
    "building_edit",
    "building_list",
    "company_detail",
    "company_edit",
    "company_list",
    "project_create",
    "project_detail",
    "project_edit",
    "project_list",
    "resident_create",
    "resident_detail",
    "resident_edit",
    "resident_home",
    "resident_list",
    "staff_certificate_add",
    "staff_create",
    "staff_detail",
    "staff_edit",
    "staff_list",
    "unit_create",
    "unit_detail",
    "unit_edit",
    "unit_list",
]
