"""``haofuwu standard evaluate`` and ``explain``: output, and exit code 2 with one line for bad input."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from haofuwu.standard.models import Scorecard
from haofuwu.standard.tests.helpers import urgent


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["evaluate", "--all", "--period", "2026Q9"], "--period:"),
        (["evaluate", "--all", "--period", "2026Q3", "--catalogue", "nope"], "--catalogue:"),
        (["evaluate", "--project", "999999", "--period", "2026Q3", "--catalogue", "test-small"], "--project:"),
        (
            ["explain", "--project", "1", "--indicator", "Z-99", "--period", "2026Q3", "--catalogue", "test-small"],
            "--indicator:",
        ),
    ],
)
def test_bad_input_exits_2_with_one_line(world, arguments, message):
    if arguments[0] == "explain":
        arguments[2] = str(world.project_a.pk)
    with pytest.raises(CommandError) as caught:
        call_command("standard", *arguments)
    assert caught.value.returncode == 2
    assert str(caught.value).startswith(message) and "\n" not in str(caught.value)


def test_evaluate_stores_a_scorecard_per_project(world, capsys):
    call_command("standard", "evaluate", "--all", "--period", "2026Q3", "--catalogue", "test-small")
    assert Scorecard.objects.filter(period="2026Q3", superseded_at__isnull=True).count() == 2
    assert "2 scorecard(s) stored" in capsys.readouterr().out


def test_explain_prints_value_rule_share_and_records(world, capsys):
    order = urgent(world.project_a, "2026-08-04", arrived=None)
    call_command(
        "standard", "explain", "--project", str(world.project_a.pk), "--indicator", "P-12", "--period", "2026Q3",
        "--catalogue", "test-small",
    )  # fmt: skip
    out = capsys.readouterr().out
    assert "rule: linear 0.5 → 1" in out
    assert "value: 0.0 = 0 / 1" in out
    assert "share: 0.00%" in out
    assert f"records (workorders.workorder): {order.pk}" in out
    call_command("standard", "evaluate", "--all", "--period", "2026Q3", "--catalogue", "test-small")
    call_command(
        "standard", "explain", "--project", str(world.project_a.pk), "--indicator", "P-12", "--period", "2026Q3",
        "--catalogue", "test-small",
    )  # fmt: skip
    assert "the same inputs as now" in capsys.readouterr().out


def test_managers_runs_the_annual_evaluation_and_rejects_bad_weights(world, capsys):
    world.staff_a.is_manager = True
    world.staff_a.save()
    call_command("standard", "managers", "--year", "2026", "--weights", '{"scorecard": 1}')
    assert "1 manager(s) evaluated for 2026" in capsys.readouterr().out
    with pytest.raises(CommandError) as caught:
        call_command("standard", "managers", "--year", "2026", "--weights", '{"luck": 1}')
    assert caught.value.returncode == 2 and str(caught.value).startswith("--weights:")
