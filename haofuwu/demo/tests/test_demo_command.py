"""``haofuwu demo``: migrate, seed, start the worker, print how to log in, serve, stop the worker."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from haofuwu.demo.loader import AccountRow, SeedResult
from haofuwu.demo.management.commands import demo

RESULT = SeedResult(
    is_new=True,
    password="printed-password",
    counts={"households": 2912},
    accounts=[AccountRow("manager", "孙波", "Project manager", "燕山华府（历下区）")],
)


class FakeWorker:
    instances: list[FakeWorker] = []

    def __init__(self) -> None:
        self.events: list[str] = []
        FakeWorker.instances.append(self)

    def start(self) -> None:
        self.events.append("start")

    def stop(self) -> None:
        self.events.append("stop")

    def join(self, timeout: float | None = None) -> bool:
        self.events.append("join")
        return True


@pytest.fixture
def commands(monkeypatch):  # type: ignore[no-untyped-def]
    calls: list[tuple[tuple, dict]] = []

    def fake_call_command(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append((args, kwargs))
        if args[0] == "runserver":
            raise KeyboardInterrupt  # the user pressed Ctrl-C

    monkeypatch.setattr(demo, "call_command", fake_call_command)
    monkeypatch.setattr(demo, "seed_demo", lambda: RESULT)
    monkeypatch.setattr(demo, "BackgroundWorker", FakeWorker)
    FakeWorker.instances.clear()
    return calls


def test_demo_migrates_seeds_prints_the_accounts_serves_and_stops_the_worker(commands) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    with pytest.raises(KeyboardInterrupt):
        call_command("demo", "--addr", "127.0.0.1:8766", stdout=out)

    assert [args[0] for args, _kwargs in commands] == ["migrate", "runserver"]
    runserver_args, runserver_kwargs = commands[1]
    assert runserver_args == ("runserver", "127.0.0.1:8766")
    assert runserver_kwargs["use_reloader"] is False
    assert runserver_kwargs["insecure_serving"] is True
    printed = out.getvalue()
    assert "http://127.0.0.1:8766/" in printed
    assert "printed-password" in printed and "manager" in printed and "燕山华府（历下区）" in printed
    assert FakeWorker.instances[0].events == ["start", "stop", "join"]


def test_demo_without_a_worker_starts_none(commands) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(KeyboardInterrupt):
        call_command("demo", "--no-worker", stdout=io.StringIO())
    assert FakeWorker.instances == []
    assert commands[1][0] == ("runserver", "127.0.0.1:8000")


def test_demo_refuses_an_address_without_a_port(commands) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(CommandError):
        call_command("demo", "--addr", "localhost", stdout=io.StringIO())
    assert commands == []


@pytest.mark.parametrize(
    ("addr", "url"),
    [
        ("127.0.0.1:8000", "http://127.0.0.1:8000/"),
        ("0.0.0.0:9000", "http://127.0.0.1:9000/"),
        ("8080", "http://127.0.0.1:8080/"),
    ],
)
def test_the_printed_url_is_one_a_browser_on_this_machine_can_open(addr: str, url: str) -> None:
    assert demo._url(addr) == url
