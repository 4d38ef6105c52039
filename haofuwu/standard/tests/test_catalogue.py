"""Catalogue validation: a broken catalogue is rejected with the file, the indicator and the field."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command

from haofuwu.standard.catalogue import CatalogueError, catalogue_for, load_catalogue, parse_catalogue
from haofuwu.standard.catalogue.store import CatalogueNotFound, all_catalogues

HERE = Path(__file__).parent / "catalogues"
SMALL = HERE / "small.yaml"


def small() -> dict:
    return yaml.safe_load(SMALL.read_text())


def problems(data: dict) -> list[str]:
    with pytest.raises(CatalogueError) as caught:
        parse_catalogue(data, file="x.yaml")
    return [str(problem) for problem in caught.value.problems]


def test_the_test_catalogue_loads_with_every_rule_type():
    catalogue = load_catalogue(SMALL)
    assert catalogue.key == "test-small@1"
    assert {indicator.rule.type for indicator in catalogue.indicators} == {
        "linear", "threshold", "steps", "verified", "deduction"
    }  # fmt: skip
    assert catalogue.indicator("C-01").provided_by == "oversight"
    assert len(catalogue.content_hash) == 64


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda d: d["indicators"][0].update(section="nowhere"), "x.yaml: indicator P-12: section: must be one of"),
        (lambda d: d["indicators"][0].update(points=-1), "x.yaml: indicator P-12: points: must be at least 0"),
        (lambda d: d["indicators"][0].pop("metric"), "x.yaml: indicator P-12: metric: is required for a metric"),
        (lambda d: d["indicators"][0].update(certainty="X"), "x.yaml: indicator P-12: certainty: must be one of"),
        (lambda d: d["indicators"][0]["rule"].update(floor=2), "x.yaml: indicator P-12: rule.floor: must be below"),
        (
            lambda d: d["indicators"][0]["rule"].update(type="magic"),
            "x.yaml: indicator P-12: rule.type: must be one of",
        ),
        (lambda d: d["indicators"][1].update(id="P-12"), "x.yaml: indicator P-12: id: appears more than once"),
        (lambda d: d["indicators"][1].update(dimensions=["tasty"]), "x.yaml: indicator P-14: dimensions: 'tasty'"),
        (
            lambda d: d["indicators"][2]["rule"].update(steps=[{"max": 5, "share": 0.5}, {"max": 1, "share": 1}]),
            "x.yaml: indicator R-07: rule.steps: must be ordered",
        ),
        (
            lambda d: d["indicators"][2]["rule"]["steps"][0].update(share=2),
            "x.yaml: indicator R-07: rule.steps[0].share",
        ),
        (
            lambda d: d["indicators"][3].update(metric="workorders.reopen_rate"),
            "x.yaml: indicator A-01: metric: must be left out",
        ),
        (
            lambda d: d["indicators"][4]["rule"].pop("per_finding"),
            "x.yaml: indicator A-02: rule.per_finding: is required",
        ),
        (
            lambda d: d["indicators"][5].update(applies_to={"has_lifts": True}),
            "x.yaml: indicator A-03: applies_to.has_lifts",
        ),
        (lambda d: d["indicators"][1].update(period="week"), "x.yaml: indicator P-14: period: must be one of"),
        (lambda d: d.update(effective_to=dt.date(2020, 1, 1)), "x.yaml: effective_to: must be after effective_from"),
        (lambda d: d.update(code="Jinan 2025"), "x.yaml: code: must be lower-case"),
        (lambda d: d["grades"].append({"stars": 9, "min_score": 1}), "x.yaml: grades[5].stars"),
    ],
)
def test_broken_catalogue_names_the_file_indicator_and_field(change, expected):
    data = copy.deepcopy(small())
    change(data)
    found = problems(data)
    assert any(line.startswith(expected) for line in found), found


def test_every_problem_is_reported_not_just_the_first():
    data = small()
    data["indicators"][0]["section"] = "nowhere"
    data["indicators"][1]["points"] = "many"
    assert len(problems(data)) == 2


def test_invalid_yaml_names_the_line(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("code: a\nindicators: [\n")
    with pytest.raises(CatalogueError) as caught:
        load_catalogue(path)
    assert str(caught.value).startswith(f"{path}: (file): is not valid YAML at line")


def test_validate_command_exits_2_with_one_line_per_problem(tmp_path, capsys):
    data = small()
    data["indicators"][0]["section"] = "nowhere"
    data["indicators"][1]["kind"] = "guess"
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    with pytest.raises(SystemExit) as exited:
        call_command("standard", "validate", str(path))
    assert exited.value.code == 2
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith(f"{path}: indicator P-12: section:")
    assert lines[1].startswith(f"{path}: indicator P-14: kind:")


def test_validate_command_accepts_a_good_catalogue(capsys):
    call_command("standard", "validate", str(SMALL))
    assert "test-small@1 is valid: 8 indicators" in capsys.readouterr().out


def test_the_version_in_force_is_chosen_by_effective_dates(tmp_path):
    old = small()
    old.update(version="1", effective_from=dt.date(2020, 1, 1), effective_to=dt.date(2025, 7, 1))
    new = small()
    new.update(version="2", effective_from=dt.date(2025, 7, 1))
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(old))
    (tmp_path / "b.yaml").write_text(yaml.safe_dump(new))
    (tmp_path / "broken.yaml").write_text("code: [")
    assert [c.version for c in all_catalogues(tmp_path)] == ["1", "2"]
    assert catalogue_for("test-small", dt.date(2025, 6, 30), tmp_path).version == "1"
    assert catalogue_for("test-small", dt.date(2025, 7, 1), tmp_path).version == "2"
    with pytest.raises(CatalogueNotFound):
        catalogue_for("test-small", dt.date(2019, 1, 1), tmp_path)
