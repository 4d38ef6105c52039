"""Ingestion keys: created by a project's managers, shown once, stored as a SHA-256 digest, revocable."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import OperationalError, transaction
from django.utils import timezone

from haofuwu.core import audit
from haofuwu.core.errors import NOT_FOUND, NotFound
from haofuwu.energy.models import IngestKey
from haofuwu.energy.services.common import managed_project

KEY_PREFIX = "hfi_"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def ingest_key_create(*, actor: Any, project_id: int, name: str = "") -> tuple[IngestKey, str]:
    """Create a key for a project's devices; the clear key is returned once and never stored."""
    project = managed_project(actor, project_id)
    raw = KEY_PREFIX + secrets.token_urlsafe(32)
    key = IngestKey.objects.create(
        project=project,
        name=name.strip()[:100],
        prefix=raw[:12],
        digest=_digest(raw),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit.record(actor, "ingest_key.create", key, {"prefix": key.prefix, "project": project.pk})
    return key, raw


@transaction.atomic
def ingest_key_revoke(*, actor: Any, key_id: int) -> IngestKey:
    """Revoke a key: devices using it are refused from now on."""
    key = IngestKey.objects.filter(pk=key_id).first()
    if key is None:
        raise NotFound(NOT_FOUND)
    managed_project(actor, key.project_id)
    if key.revoked_at is None:
        key.revoked_at = timezone.now()
        key.save(update_fields=["revoked_at", "updated_at"])
        audit.record(actor, "ingest_key.revoke", key, {"prefix": key.prefix})
    return key


def ingest_key_authenticate(raw: str) -> IngestKey | None:
    """The active key behind a clear key, or ``None``; marks it used (at most once a minute)."""
    if not raw.startswith(KEY_PREFIX):
        return None
    key = IngestKey.objects.filter(digest=_digest(raw), revoked_at__isnull=True).first()
    if key is None:
        return None
    now = timezone.now()
    if key.last_used_at is None or now - key.last_used_at > dt.timedelta(minutes=1):
        # Information, not a gate: a busy SQLite writer must not fail the upload.
        with contextlib.suppress(OperationalError):
            IngestKey.objects.filter(pk=key.pk).update(last_used_at=now)
    return key
