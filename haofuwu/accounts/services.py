"""Write side of accounts: users, role assignments, API tokens and log-in throttling."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import ipaddress
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.core.exceptions import ValidationError
from django.db import OperationalError, transaction
from django.db.models import F, Q
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _

from haofuwu.accounts.models import ApiToken, LoginThrottle, RoleAssignment, TokenRevocation, User
from haofuwu.accounts.roles import ROLE_SCOPE_FIELD, Role
from haofuwu.core import audit
from haofuwu.core.errors import NotFound, ValidationFailed

TOKEN_PREFIX = "hfw_"
_FINGERPRINT_SALT = "haofuwu.accounts.api_token.credential"


class LockedOut(ValidationFailed):
    """Too many failed log-ins for this account name; try again later."""

    status = 429
    type = "locked_out"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    display_name: str = "",
    email: str = "",
    phone: str = "",
    is_superuser: bool = False,
) -> User:
    """Create a log-in account; without a password the account cannot log in until one is set."""
    user = User(username=username, display_name=display_name, email=email, phone=phone)
    user.is_superuser = is_superuser
    user.is_staff = is_superuser
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    try:
        user.full_clean()
    except ValidationError as error:
        raise ValidationFailed(error.message_dict) from None
    user.save()
    audit.record(actor, "user.create", user, {"username": username})
    return user


@transaction.atomic
def role_assign(
    *,
    actor: Any,
    user: User,
    role: str,
    trade: str = "",
    district: str = "",
    company: Any = None,
    project: Any = None,
    unit: Any = None,
) -> RoleAssignment:
    """Give a user a role with the one scope that role needs (a district, company, project or household)."""
    if role not in Role.values:
        raise ValidationFailed({"role": [_("Unknown role.")]})
    needed = ROLE_SCOPE_FIELD[role]
    given = {"district": district, "company": company, "project": project, "unit": unit}
    if needed in ("company", "project", "unit") and given[needed] is None:
        messages = {
            "company": _("This role needs a company."),
            "project": _("This role needs a project."),
            "unit": _("This role needs a household."),
        }
        raise ValidationFailed({needed: [messages[needed]]})
    if role == Role.STAFF and not trade:
        raise ValidationFailed({"trade": [_("Staff need a trade.")]})
    scoped: dict[str, Any] = {"trade": "", "district": "", "company": None, "project": None, "unit": None}
    if role == Role.STAFF:
        scoped["trade"] = trade
    if role == Role.REGULATOR:
        scoped["district"] = district
    if role == Role.COMPANY_ADMIN:
        scoped["company"] = company
    if role in (Role.PROJECT_MANAGER, Role.STAFF, Role.COMMUNITY_WORKER):
        scoped["project"] = project
    if role == Role.RESIDENT:
        # The project is kept beside the household so a scope needs no join to find it.
        scoped.update(unit=unit, project=unit.building.project)
    assignment, _created = RoleAssignment.objects.get_or_create(user=user, role=role, **scoped)
    audit.record(actor, "role.assign", user, {"role": role, "assignment": str(assignment)})
    return assignment


def credential_fingerprint(password_hash: str, *, secret: str | None = None) -> str:
    """A keyed digest of a user's password hash: a token made under one password stops working under another."""
    return salted_hmac(_FINGERPRINT_SALT, password_hash, secret=secret, algorithm="sha256").hexdigest()


def _fingerprint_matches(token: ApiToken, password_hash: str) -> bool:
    # The current secret key or one being rotated out (SECRET_KEY_FALLBACKS), as Django does for sessions.
    secrets_ = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return any(
        constant_time_compare(token.credential_fingerprint, credential_fingerprint(password_hash, secret=secret))
        for secret in secrets_
    )


def api_token_create(*, user: User, name: str = "", days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token valid for ``days`` (the configured default when not given, at most the configured maximum);
    the clear token is returned once and never stored."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= settings.API_TOKEN_MAX_DAYS:
        raise ValidationFailed(
            {"expires_in_days": [_("Between 1 and %(limit)d days.") % {"limit": settings.API_TOKEN_MAX_DAYS}]}
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=raw[:12],
        digest=_digest(raw),
        expires_at=timezone.now() + dt.timedelta(days=days),
        credential_fingerprint=credential_fingerprint(user.password),
    )
    audit.record(user, "token.create", token, {"prefix": token.prefix, "days": days})
    return token, raw


def api_token_user(raw: str) -> User | None:
    """The active user behind a live bearer token, or ``None``; marks the token used (at most once a minute).

    A token of a deactivated account, or issued before the password last changed, is revoked on the spot (with the
    reason), so that reactivating the account or changing the password back does not bring it back."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(raw), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None:
        return None
    reason = ""
    if not token.user.is_active:
        reason = TokenRevocation.DEACTIVATED
    elif not _fingerprint_matches(token, token.user.password):
        reason = TokenRevocation.PASSWORD_CHANGED
    if reason == TokenRevocation.DEACTIVATED:
        api_tokens_revoke_all(user=token.user, reason=reason)
        return None
    if reason:
        # Only the tokens made under the old password; those made since are good.
        ApiToken.objects.filter(
            user=token.user, revoked_at__isnull=True, credential_fingerprint=token.credential_fingerprint
        ).update(revoked_at=now, revoked_reason=reason)
        audit.record(None, "token.revoke_stale", token.user, {"reason": reason})
        return None
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        # "Last used" is information, not a gate: a busy SQLite writer must not fail the request.
        with contextlib.suppress(OperationalError):
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def api_tokens_revoke_all(*, user: User, reason: str) -> int:
    """Revoke every live token of a user, e.g. on deactivation or a password change (the account pages call this;
    a token that slips through is refused and revoked at its next use anyway). How many were revoked."""
    revoked = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_reason=reason
    )
    if revoked:
        audit.record(None, "token.revoke_all", user, {"reason": reason, "count": revoked})
    return revoked


def api_token_revoke(*, actor: User, token_id: int) -> ApiToken:
    """Revoke one of the actor's own tokens; someone else's token is not found."""
    token = ApiToken.objects.filter(pk=token_id, user=actor).first()
    if token is None:
        raise NotFound(_("Not found."))
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.revoked_reason = TokenRevocation.BY_USER
        token.save(update_fields=["revoked_at", "revoked_reason", "updated_at"])
        audit.record(actor, "token.revoke", token, {"prefix": token.prefix})
    return token


def _lockout_window() -> dt.timedelta:
    return dt.timedelta(minutes=settings.LOGIN_LOCKOUT_MINUTES)


def client_key(request: HttpRequest | None) -> str:
    """Who is knocking: the client's address (an IPv6 client by its /64 network, which one household or phone
    holds), from ``REMOTE_ADDR`` or, behind a proxy, from the header it sets (``HAOFUWU_CLIENT_IP_HEADER``)."""
    if request is None:
        return "unknown"
    header = settings.LOGIN_CLIENT_IP_HEADER
    raw = (request.META.get(header, "") if header else "") or request.META.get("REMOTE_ADDR", "")
    raw = raw.split(",")[-1].strip()  # the hop our own proxy appended, not what the client claims
    try:
        address = ipaddress.ip_address(raw)
    except ValueError:
        return "unknown"
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _claim(key: str, limit: int, now: dt.datetime) -> bool:
    """Count one attempt under ``key`` unless the key is locked or at its limit; whether it was counted.

    The attempt is counted *before* the password is checked, by one conditional UPDATE, so parallel guesses cannot
    all be checked before the lock takes effect: at most ``limit`` checks a window, on SQLite and PostgreSQL alike.
    """
    window_start = now - _lockout_window()
    LoginThrottle.objects.get_or_create(key=key, defaults={"first_failure_at": now})
    # Counting starts again from nothing once a lock has ended, or once an unlocked run of attempts is old.
    LoginThrottle.objects.filter(key=key).filter(
        Q(locked_until__lte=now) | Q(locked_until__isnull=True, first_failure_at__lt=window_start)
    ).update(failures=0, first_failure_at=now, locked_until=None)
    return (
        LoginThrottle.objects.filter(key=key, failures__lt=limit)
        .filter(Q(locked_until__isnull=True) | Q(locked_until__lte=now))
        .update(failures=F("failures") + 1)
        == 1
    )


def _refund(key: str) -> None:
    LoginThrottle.objects.filter(key=key, failures__gt=0).update(failures=F("failures") - 1)


def _lock_if_spent(key: str, limit: int, now: dt.datetime) -> None:
    locked = LoginThrottle.objects.filter(key=key, failures__gte=limit, locked_until__isnull=True).update(
        locked_until=now + _lockout_window()
    )
    if locked:
        audit.record(None, "login.locked", None, {"key": key})


def _throttle_keys(request: HttpRequest | None, username: str) -> list[tuple[str, int]]:
    # Two keys: the account name from this client (a stranger elsewhere cannot lock the owner out), and this client
    # whatever the name (one client cannot try many accounts). No key locks an account for everyone.
    client = client_key(request)
    name = username.lower()[:150]
    return [
        (f"client:{client}|account:{name}", settings.LOGIN_FAILURE_LIMIT),
        (f"client:{client}", settings.LOGIN_CLIENT_FAILURE_LIMIT),
    ]


def login_authenticate(*, request: HttpRequest | None, username: str, password: str) -> User:
    """Check a username and password under the throttle; raises ``LockedOut`` or ``ValidationFailed``."""
    now = timezone.now()
    keys = _throttle_keys(request, username)
    claimed: list[str] = []
    for key, limit in keys:
        if not _claim(key, limit, now):
            for done in claimed:
                _refund(done)
            _lock_if_spent(key, limit, now)
            raise LockedOut(
                _("Too many failed log-ins. Try again in %(minutes)d minutes.")
                % {"minutes": settings.LOGIN_LOCKOUT_MINUTES}
            )
        claimed.append(key)
    user = authenticate(request, username=username, password=password)
    if user is None:
        for key, limit in keys:
            _lock_if_spent(key, limit, now)
        raise ValidationFailed({"password": [_("Wrong username or password.")]})
    # Success: this account's count from this client starts again; the client's attempt is given back.
    LoginThrottle.objects.filter(key=keys[0][0]).delete()
    _refund(keys[1][0])
    return user  # type: ignore[return-value]
