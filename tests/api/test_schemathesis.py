"""Property-based fuzzing of the whole REST API from its OpenAPI schema: nothing a client can send is a 5xx, and
every answer whose status the schema documents matches the documented body.

Every operation is called with a platform administrator's token (the widest scope, so requests reach the deepest
code) on top of the shared two-company world, with schemathesis generating valid and invalid inputs.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from haofuwu.accounts.services import api_token_create
from haofuwu.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)


@pytest.fixture(autouse=True)
def _keep_the_test_connection_open():  # type: ignore[no-untyped-def]
    # Django closes connections at the end of each request; inside a test's transaction that would drop the
    # PostgreSQL connection. Django's own test client disconnects the same handler for the same reason.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def admin_token(world) -> str:  # type: ignore[no-untyped-def]
    return api_token_create(user=world.users["admin"])[1]


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    derandomize=True,
)
def test_no_input_makes_the_api_fail_or_answer_off_schema(case, admin_token) -> None:  # type: ignore[no-untyped-def]
    case.call_and_validate(
        headers={"Authorization": f"Bearer {admin_token}"},
        checks=[not_a_server_error, response_schema_conformance],
    )
