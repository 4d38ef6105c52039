"""API schemas of accounts."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from ninja import Field, Schema

from haofuwu.core.api_types import StrictInt, Text


class TokenIn(Schema):
    username: Text = Field(..., min_length=1, max_length=150)
    password: Text = Field(..., min_length=1, max_length=256)
    name: Text = Field("", max_length=100, description="A label to recognise the token by later.")
    expires_in_days: StrictInt | None = Field(
        None, ge=1, le=settings.API_TOKEN_MAX_DAYS, description="Days until the token expires (default 90)."
    )


class TokenCreatedOut(Schema):
    token: str = Field(..., description="Shown once; only a digest is stored.")
    id: int
    prefix: str
    expires_at: dt.datetime


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    created_at: dt.datetime
    expires_at: dt.datetime
    last_used_at: dt.datetime | None
    revoked_at: dt.datetime | None
    revoked_reason: str = Field(..., description="by_user, password_changed or deactivated; empty while live.")
    is_active: bool


class RoleAssignmentOut(Schema):
    role: str
    trade: str
    district: str
    company_id: int | None
    project_id: int | None
    unit_id: int | None
    label: str


class MeOut(Schema):
    id: int
    username: str
    display_name: str
    language: str
    roles: list[RoleAssignmentOut]
    permissions: list[str]
