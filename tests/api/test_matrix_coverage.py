"""Every API route is walked by some permission matrix (or has its own permission tests, listed here)."""

from __future__ import annotations

from haofuwu.api import api
from haofuwu.community.tests import test_api_permissions as community
from haofuwu.energy.tests import test_api_permissions as energy
from haofuwu.estates.tests.test_api_permissions import ROUTES as ESTATES_ROUTES
from haofuwu.feedback.tests import test_api_permissions as feedback
from haofuwu.standard.tests import test_api_permissions as standard
from haofuwu.workorders.tests.test_api_permissions import ROUTES as WORKORDER_ROUTES

# Routes whose permissions are tested in their own modules: token issue/revoke (accounts/tests/test_api.py),
# spreadsheet import/export (estates/tests/test_import_views.py), the 12345 import (workorders/tests/test_hotline.py).
OWN_TESTS = ("/api/v1/auth/token", "/api/v1/auth/tokens/{token_id}", "import", "export", "hotline-imports")
NEW_APPS = (feedback, energy, standard, community)


def test_every_route_is_in_a_permission_matrix() -> None:
    schema = api.get_openapi_schema()
    routes = {
        (method.upper(), path)
        for path, operations in schema["paths"].items()
        for method in operations
        if path not in OWN_TESTS[:2] and not any(word in path for word in OWN_TESTS[2:])
    }
    covered = set(ESTATES_ROUTES) | set(WORKORDER_ROUTES)
    for module in NEW_APPS:
        covered |= module.ROUTES | module.OWN_ROUTES
    missing = routes - covered
    assert not missing, f"routes without a matrix case: {sorted(missing)}"
