"""API of accounts: tokens and the caller's own profile."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import get_language
from ninja import Router
from ninja.security import HttpBearer, SessionAuth

from haofuwu.accounts import selectors, services
from haofuwu.accounts.schemas import MeOut, RoleAssignmentOut, TokenCreatedOut, TokenIn, TokenOut
from haofuwu.core.api_types import ErrorOut, ObjectId
from haofuwu.core.errors import DomainError, ValidationFailed

router = Router(tags=["accounts"])


class BearerAuth(HttpBearer):
    """``Authorization: Bearer hfw_…``; the user behind the token becomes ``request.user``."""

    def authenticate(self, request: HttpRequest, token: str):  # type: ignore[no-untyped-def]
        user = services.api_token_user(token)
        if user is not None:
            request.user = user
        return user


auth_methods = [BearerAuth(), SessionAuth()]


class InvalidCredentials(DomainError):
    status = 401
    type = "invalid_credentials"


@router.post("/auth/token", auth=None, response={201: TokenCreatedOut, 401: ErrorOut, 422: ErrorOut, 429: ErrorOut})
def token_create(request: HttpRequest, payload: TokenIn):
    """Exchange a username and password for an API token (shown once)."""
    try:
        user = services.login_authenticate(request=request, username=payload.username, password=payload.password)
    except services.LockedOut:
        raise
    except ValidationFailed as error:
        raise InvalidCredentials(error.message, field="password") from None
    token, raw = services.api_token_create(user=user, name=payload.name, days=payload.expires_in_days)
    return 201, {"token": raw, "id": token.pk, "prefix": token.prefix, "expires_at": token.expires_at}


@router.get("/auth/tokens", response=list[TokenOut])
def token_list(request: HttpRequest):
    """The caller's tokens, live, expired and revoked (never the tokens themselves)."""
    return list(selectors.api_token_list(user=request.user))


@router.delete("/auth/tokens/{token_id}", response={204: None, 404: ErrorOut})
def token_revoke(request: HttpRequest, token_id: ObjectId):
    """Revoke one of the caller's tokens."""
    services.api_token_revoke(actor=request.user, token_id=token_id)
    return 204, None


@router.get("/me", response=MeOut)
def me(request: HttpRequest):
    """The caller: roles with their scopes, and permissions."""
    scope = request.scope  # type: ignore[attr-defined]
    roles = [
        RoleAssignmentOut(
            role=assignment.role,
            trade=assignment.trade,
            district=assignment.district,
            company_id=assignment.company_id,
            project_id=assignment.project_id,
            unit_id=assignment.unit_id,
            label=str(assignment),
        )
        for assignment in selectors.role_assignment_list(user=request.user)
    ]
    user = request.user
    return {
        "id": user.pk,
        "username": user.get_username(),
        "display_name": str(user),
        "language": get_language() or "zh-hans",
        "roles": roles,
        "permissions": sorted(scope.permissions),
    }
