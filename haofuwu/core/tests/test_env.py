"""Environment readers fail loudly and parse database URLs."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from haofuwu.env import env_bool, env_int, env_list, env_str, parse_database_url


@pytest.mark.parametrize(("raw", "expected"), [("1", True), ("TRUE", True), ("no", False), ("off", False), ("", False)])
def test_env_bool_reads_the_usual_spellings(monkeypatch, raw, expected) -> None:
    monkeypatch.setenv("HFW_FLAG", raw)
    assert env_bool("HFW_FLAG", not expected) is expected


def test_env_bool_rejects_anything_else(monkeypatch) -> None:
    monkeypatch.setenv("HFW_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="HFW_FLAG must be a boolean"):
        env_bool("HFW_FLAG", False)


def test_env_int_checks_type_and_minimum(monkeypatch) -> None:
    monkeypatch.setenv("HFW_N", "x")
    with pytest.raises(ImproperlyConfigured, match="HFW_N must be an integer"):
        env_int("HFW_N", 1)
    monkeypatch.setenv("HFW_N", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("HFW_N", 1, minimum=1)
    monkeypatch.setenv("HFW_N", "42")
    assert env_int("HFW_N", 1) == 42


def test_required_string_without_default_fails(monkeypatch) -> None:
    monkeypatch.delenv("HFW_REQUIRED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="HFW_REQUIRED must be set"):
        env_str("HFW_REQUIRED")


def test_env_list_drops_blanks(monkeypatch) -> None:
    monkeypatch.setenv("HFW_LIST", "a, b,,c ")
    assert env_list("HFW_LIST", []) == ["a", "b", "c"]


def test_postgres_url_is_parsed_with_options() -> None:
    parsed = parse_database_url("postgresql://hao:p%40ss@db.local:6543/haofuwu?sslmode=require")
    assert (parsed.engine, parsed.name, parsed.user, parsed.password, parsed.host, parsed.port) == (
        "django.db.backends.postgresql",
        "haofuwu",
        "hao",
        "p@ss",
        "db.local",
        "6543",
    )
    assert parsed.options == {"sslmode": "require"}


def test_sqlite_url_gives_the_path() -> None:
    assert parse_database_url("sqlite:////var/lib/haofuwu.db").name == "/var/lib/haofuwu.db"


@pytest.mark.parametrize("url", ["mysql://x/y", "postgresql://host/", "postgresql://h:notaport/db"])
def test_unsupported_or_incomplete_urls_fail(url) -> None:
    with pytest.raises(ImproperlyConfigured):
        parse_database_url(url)
