"""Encryption at rest for personal data, and keyed lookup digests for finding it again without decrypting.

Two separate secrets, neither of them ``SECRET_KEY`` (which can then be rotated freely):

- ``FIELD_ENCRYPTION_KEYS`` (``HAOFUWU_FIELD_KEYS``): Fernet keys; the first encrypts, all decrypt. A value no key
  decrypts is an error (:class:`UndecryptableValue`), never data: a page fails rather than show, and a later save
  write, a placeholder over the real ciphertext.
- ``LOOKUP_DIGEST_KEY`` (``HAOFUWU_LOOKUP_KEY``): the HMAC key of the digests (``phone_index``…) that let an import
  find a person by phone or ID number.

``haofuwu rotate-keys`` re-encrypts every encrypted column under the first key and recomputes every registered
lookup digest under the current lookup key (see ``docs/architecture.md``, "Keys").
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


class UndecryptableValue(RuntimeError):
    """A stored value that none of the configured keys decrypts: a key is missing from ``HAOFUWU_FIELD_KEYS``."""


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(key.encode()) for key in keys])


def _keys() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return _keys().encrypt(value.encode()).decode()


def decrypt(token: str, *, where: str = "a value") -> str:
    try:
        return _keys().decrypt(token.encode()).decode()
    except InvalidToken:
        raise UndecryptableValue(
            f"{where} cannot be decrypted with any key in HAOFUWU_FIELD_KEYS: put the key that encrypted it back "
            "in the list (after the current one)."
        ) from None


def is_under_current_key(token: str) -> bool:
    """Whether a token was encrypted with the first (current) key."""
    try:
        Fernet(settings.FIELD_ENCRYPTION_KEYS[0].encode()).decrypt(token.encode())
    except InvalidToken:
        return False
    return True


@cache
def _purpose_key(key: str, purpose: str) -> bytes:
    # One key per purpose, so that a phone digest and an ID-number digest of the same string differ.
    return hmac.new(key.encode(), purpose.encode(), hashlib.sha256).digest()


def lookup_digest(value: str, *, purpose: str) -> str:
    """A keyed SHA-256 of a value without spaces, in upper case: equal inputs give equal digests, and the digest
    reveals nothing without ``LOOKUP_DIGEST_KEY``. Give it the canonical spelling (``core/identifiers.py``)."""
    normalised = "".join(value.split()).upper()
    if not normalised:
        return ""
    key = _purpose_key(settings.LOOKUP_DIGEST_KEY, purpose)
    return hmac.new(key, normalised.encode(), hashlib.sha256).hexdigest()


# The name the first callers used.
blind_index = lookup_digest


@dataclass(frozen=True)
class LookupDigest:
    """A digest column kept beside an encrypted column, recomputed by ``rotate-keys``."""

    model: str  # "app_label.ModelName"
    field: str
    source: str
    purpose: str
    canonical: Callable[[str], str]

    def compute(self, value: str | None) -> str:
        return lookup_digest(self.canonical(value or "") if value else "", purpose=self.purpose)


LOOKUP_DIGESTS: list[LookupDigest] = []


def register_lookup_digest(
    model: str, *, field: str, source: str, purpose: str, canonical: Callable[[str], str] = str.strip
) -> LookupDigest:
    """Declare that ``model.field`` is the lookup digest of ``model.source``; returns it, to fill the column."""
    found = LookupDigest(model=model, field=field, source=source, purpose=purpose, canonical=canonical)
    if found not in LOOKUP_DIGESTS:
        LOOKUP_DIGESTS.append(found)
    return found


class EncryptedTextField(models.TextField):
    """A text column stored as Fernet ciphertext; reads give the clear text back. Not filterable by value."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value, where=f"{self.model._meta.label}.{self.name}")

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
