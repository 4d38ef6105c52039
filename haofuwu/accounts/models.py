"""Users, their role assignments with scopes, API tokens and log-in throttling."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from haofuwu.accounts.roles import Role, Trade
from haofuwu.core.crypto import EncryptedTextField
from haofuwu.core.models import TimeStampedModel
from haofuwu.core.regions import District


class User(AbstractUser):
    """A person who logs in: staff, resident, regulator or administrator."""

    display_name = models.CharField(_("display name"), max_length=60, blank=True)
    phone = EncryptedTextField(_("mobile phone"), blank=True)
    wechat_openid = models.CharField(_("WeChat open id"), max_length=64, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class RoleAssignment(TimeStampedModel):
    """One role a user holds, with the organisation or household it applies to."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments")
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    trade = models.CharField(_("trade"), max_length=32, choices=Trade.choices, blank=True)
    district = models.CharField(_("district"), max_length=6, choices=District.choices, blank=True)
    company = models.ForeignKey(
        "estates.Company",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("company"),
    )
    project = models.ForeignKey(
        "estates.Project",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("project"),
    )
    unit = models.ForeignKey(
        "estates.Unit",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("household"),
    )

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            # One constraint per kind of scope, because SQLite cannot treat NULLs as equal in a unique index.
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(role=Role.PLATFORM_ADMIN), name="accounts_role_unique_admin"
            ),
            models.UniqueConstraint(
                fields=["user", "district"], condition=Q(role=Role.REGULATOR), name="accounts_role_unique_regulator"
            ),
            models.UniqueConstraint(
                fields=["user", "company"], condition=Q(role=Role.COMPANY_ADMIN), name="accounts_role_unique_company"
            ),
            models.UniqueConstraint(
                fields=["user", "role", "trade", "project"],
                condition=Q(role__in=[Role.PROJECT_MANAGER, Role.STAFF, Role.COMMUNITY_WORKER]),
                name="accounts_role_unique_project",
            ),
            models.UniqueConstraint(
                fields=["user", "unit"], condition=Q(role=Role.RESIDENT), name="accounts_role_unique_household"
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.STAFF) | ~Q(trade=""), name="accounts_roleassignment_staff_has_trade"
            ),
        ]

    def __str__(self) -> str:
        where = self.get_district_display() or self.company or self.project or self.unit or ""
        return f"{self.get_role_display()} {where}".strip()


class TokenRevocation(models.TextChoices):
    BY_USER = "by_user", _("Revoked by its owner")
    PASSWORD_CHANGED = "password_changed", _("The password was changed")
    DEACTIVATED = "deactivated", _("The account was deactivated")


class ApiToken(TimeStampedModel):
    """A bearer token for the API. Only a SHA-256 digest is stored; the token is shown once at creation. It expires,
    and it dies with the password it was issued under (``credential_fingerprint``) and with the account."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField(_("expires at"))
    # A keyed digest of the user's password hash when the token was made: a new password makes it differ.
    credential_fingerprint = models.CharField(max_length=64, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("revoked because"), max_length=20, choices=TokenRevocation.choices, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… {self.name}".strip()

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and not self.is_expired


class LoginThrottle(models.Model):
    """Log-in attempts counted under one key: an account name from one client, or one client whatever the name.
    Reaching the key's limit inside the window locks that key (and only that key) for a while."""

    key = models.CharField(max_length=200, unique=True)
    failures = models.PositiveIntegerField(default=0)
    first_failure_at = models.DateTimeField(null=True, blank=True)
    locked_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("log-in throttle")
        verbose_name_plural = _("log-in throttles")

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"
