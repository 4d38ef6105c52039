"""Periodic sweeps: run when due, once per period across workers, under a database lease."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from haofuwu.core import sweeps
from haofuwu.core.models import Lease
from haofuwu.core.sweeps import Registry, lease_claim

T0 = dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC)


def seconds(n: float) -> dt.timedelta:
    return dt.timedelta(seconds=n)


@pytest.fixture
def registry() -> Registry:
    return Registry()


@pytest.mark.django_db
def test_a_due_sweep_runs_and_is_not_due_again_until_its_period_has_passed(registry: Registry) -> None:
    runs: list[dt.datetime] = []
    registry.register("test.tick", runs.append, every_seconds=60)

    assert registry.run_due(T0, holder="a") == ["test.tick"]
    assert registry.run_due(T0 + seconds(30), holder="a") == []
    assert registry.run_due(T0 + seconds(60), holder="b") == ["test.tick"]
    assert runs == [T0, T0 + seconds(60)]
    lease = Lease.objects.get(name="test.tick")
    assert lease.holder == "b" and lease.expires_at == T0 + seconds(120)


@pytest.mark.django_db
def test_two_workers_at_the_same_moment_run_a_sweep_once(registry: Registry) -> None:
    runs: list[dt.datetime] = []
    registry.register("test.once", runs.append, every_seconds=30)

    ran = registry.run_due(T0, holder="worker-1") + registry.run_due(T0, holder="worker-2")

    assert ran == ["test.once"]
    assert len(runs) == 1


@pytest.mark.django_db
def test_a_second_worker_cannot_run_a_sweep_while_the_first_is_still_running_it(registry: Registry) -> None:
    inner: list[list[str]] = []

    def slow_sweep(now: dt.datetime) -> None:
        # Another worker looks while this run is still going, even well past the sweep's period.
        inner.append(registry.run_due(now + seconds(45), holder="worker-2"))

    registry.register("test.slow", slow_sweep, every_seconds=30, max_run_seconds=300)

    assert registry.run_due(T0, holder="worker-1") == ["test.slow"]
    assert inner == [[]]


@pytest.mark.django_db
def test_a_crashed_workers_lease_is_taken_over_after_the_maximum_run_time(registry: Registry) -> None:
    runs: list[dt.datetime] = []
    registry.register("test.takeover", runs.append, every_seconds=30, max_run_seconds=300)
    # Worker 1 claimed the lease and died before finishing, so the lease keeps its long running expiry.
    assert lease_claim("test.takeover", holder="worker-1", now=T0, seconds=300)

    assert registry.run_due(T0 + seconds(60), holder="worker-2") == []
    assert registry.run_due(T0 + seconds(300), holder="worker-2") == ["test.takeover"]
    assert runs == [T0 + seconds(300)]


@pytest.mark.django_db
def test_a_failing_sweep_is_logged_does_not_stop_the_others_and_is_retried_next_period(
    registry: Registry, caplog: pytest.LogCaptureFixture
) -> None:
    runs: list[str] = []

    def broken(now: dt.datetime) -> None:
        runs.append("broken")
        raise RuntimeError("boom")

    registry.register("test.a-broken", broken, every_seconds=60)
    registry.register("test.b-fine", lambda now: runs.append("fine"), every_seconds=60)

    assert registry.run_due(T0, holder="a") == ["test.b-fine"]
    assert runs == ["broken", "fine"]
    assert "Sweep test.a-broken failed" in caplog.text
    assert registry.run_due(T0 + seconds(10), holder="a") == []
    assert registry.run_due(T0 + seconds(60), holder="a") == ["test.b-fine"]
    assert runs == ["broken", "fine", "broken", "fine"]


@pytest.mark.django_db
def test_lease_claim_creates_a_missing_lease_and_refuses_a_held_one() -> None:
    assert lease_claim("test.lease", holder="a", now=T0, seconds=10)
    assert not lease_claim("test.lease", holder="b", now=T0 + seconds(5), seconds=10)
    assert lease_claim("test.lease", holder="b", now=T0 + seconds(10), seconds=10)
    assert Lease.objects.get(name="test.lease").holder == "b"
    assert Lease.objects.count() == 1


def test_register_refuses_a_bad_period_and_a_second_function_under_one_name(registry: Registry) -> None:
    def first(now: dt.datetime) -> None: ...

    def second(now: dt.datetime) -> None: ...

    with pytest.raises(ValueError):
        registry.register("test.bad", first, every_seconds=0)
    registry.register("test.name", first, every_seconds=60)
    registry.register("test.name", first, every_seconds=120)  # a module imported twice
    with pytest.raises(ValueError):
        registry.register("test.name", second, every_seconds=60)
    assert registry.names() == ["test.name"]


@pytest.mark.django_db
def test_the_module_level_registry_registers_and_runs_sweeps() -> None:
    runs: list[dt.datetime] = []
    sweeps.register("test.module-level", runs.append, every_seconds=60)
    try:
        assert "test.module-level" in sweeps.run_due(T0, holder="a")
    finally:
        sweeps.registry.unregister("test.module-level")
    assert runs == [T0]


@pytest.mark.django_db(transaction=True)
def test_workers_ticking_in_parallel_threads_run_a_sweep_once_per_period(registry: Registry) -> None:
    runs: list[str] = []
    lock = threading.Lock()

    def sweep(now: dt.datetime) -> None:
        with lock:
            runs.append(threading.current_thread().name)

    registry.register("test.parallel", sweep, every_seconds=60)
    start = threading.Barrier(4)
    now = timezone.now()

    def worker() -> None:
        # Each worker ticks several times within the same period, as real ones do between two periods.
        try:
            start.wait()
            for _tick in range(10):
                registry.run_due(now, holder=threading.current_thread().name)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, name=f"worker-{n}") for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert len(runs) == 1
