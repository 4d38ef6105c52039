"""Masking and encryption of personal data."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet

from haofuwu.core.crypto import UndecryptableValue, blind_index, decrypt, encrypt
from haofuwu.core.masking import mask_id_number, mask_name, mask_phone


@pytest.mark.parametrize(
    ("phone", "masked"), [("13812345678", "138****5678"), ("0531-8888888", "053****8888"), ("12345", "***45"), ("", "")]
)
def test_mask_phone(phone, masked) -> None:
    assert mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("id_number", "masked"), [("37010219800101001X", "3****************X"), ("12", "**"), ("", "")]
)
def test_mask_id_number(id_number, masked) -> None:
    assert mask_id_number(id_number) == masked


def test_mask_name_keeps_the_family_name() -> None:
    assert mask_name("张三丰") == "张**"


def test_encryption_round_trips_and_hides_the_value() -> None:
    token = encrypt("370102198001010015")
    assert "370102" not in token
    assert decrypt(token) == "370102198001010015"


def test_rotated_key_still_decrypts_old_values(settings) -> None:
    old = encrypt("13800000000")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), *settings.FIELD_ENCRYPTION_KEYS]
    assert decrypt(old) == "13800000000"


def test_a_value_from_a_lost_key_is_an_error_never_data(settings) -> None:
    old = encrypt("13800000000")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(UndecryptableValue, match="HAOFUWU_FIELD_KEYS"):
        decrypt(old)


def test_blind_index_ignores_spacing_and_case_but_separates_purposes() -> None:
    assert blind_index("37010219800101001x", purpose="id") == blind_index(" 37010219800101001X ", purpose="id")
    assert blind_index("138", purpose="id") != blind_index("138", purpose="phone")
    assert blind_index("", purpose="id") == ""


def test_the_lookup_digest_has_its_own_key_and_survives_a_new_secret_key(settings) -> None:
    before = blind_index("13800000000", purpose="phone")
    settings.SECRET_KEY = "a-brand-new-secret-key-" + "x" * 40
    assert blind_index("13800000000", purpose="phone") == before
    settings.LOOKUP_DIGEST_KEY = "another lookup key"
    assert blind_index("13800000000", purpose="phone") != before
