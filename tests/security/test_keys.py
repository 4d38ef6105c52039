"""Key rotation: values re-encrypted under the new first key, digests recomputed under a new lookup key, and a
value no key decrypts stops the run without overwriting anything."""

from __future__ import annotations

import io

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from haofuwu.core.crypto import is_under_current_key
from haofuwu.estates.models import Resident
from haofuwu.estates.services import resident_fill_indexes


def raw(column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM estates_resident WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_rotation_re_encrypts_under_the_new_key_and_recomputes_digests(world, settings):
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode(), old_key]
    settings.LOOKUP_DIGEST_KEY = "a new lookup key"
    pk = world.resident_a.pk
    assert not is_under_current_key(raw("phone", pk))
    out = io.StringIO()
    call_command("rotate_keys", stdout=out)
    assert "estates.Resident: 3 rows rewritten" in out.getvalue()
    assert is_under_current_key(raw("phone", pk)) and is_under_current_key(raw("id_number", pk))
    # The old key can now go: everything still reads, and the digests match what the new key makes.
    settings.FIELD_ENCRYPTION_KEYS = settings.FIELD_ENCRYPTION_KEYS[:1]
    resident = Resident.objects.get(pk=pk)
    assert resident.phone == "13800000001"
    probe = Resident(phone="138 0000 0001", id_number=resident.id_number)
    resident_fill_indexes(probe)
    assert (resident.phone_index, resident.id_number_index) == (probe.phone_index, probe.id_number_index)


def test_a_value_no_key_decrypts_stops_the_run_and_is_not_overwritten(world, settings):
    pk = world.resident_b.pk
    before = raw("phone", pk)
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    with pytest.raises(CommandError, match=r"cannot decrypt .*HAOFUWU_FIELD_KEYS") as caught:
        call_command("rotate_keys", stdout=io.StringIO())
    assert caught.value.returncode == 2
    assert raw("phone", pk) == before


def test_an_undecryptable_value_is_never_saved_over(world, settings):
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]
    from haofuwu.core.crypto import UndecryptableValue

    with pytest.raises(UndecryptableValue):
        Resident.objects.get(pk=world.resident_a.pk)
