"""The run's record: machine fingerprint, one JSON file per run, and the markdown table printed at the end."""

from __future__ import annotations

import contextlib
import json
import platform
import sqlite3
import subprocess
import sys
from importlib import metadata
from pathlib import Path
from typing import Any

from benchmarks.config import REPO, RESULTS_DIR

PACKAGES = ("django", "django-ninja", "pydantic", "gunicorn", "psycopg", "cryptography")


def fingerprint() -> dict[str, Any]:
    cpu = ""
    try:
        cpu = next(
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        )
    except (OSError, StopIteration):
        cpu = platform.processor()
    memory = ""
    with contextlib.suppress(OSError):
        memory = Path("/proc/meminfo").read_text().splitlines()[0].split(":", 1)[1].strip()
    versions = {}
    for package in PACKAGES:
        try:
            versions[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            versions[package] = None
    return {
        "cpu": cpu,
        "cpus": len(__import__("os").sched_getaffinity(0)),
        "memory": memory,
        "kernel": platform.release(),
        "python": sys.version.split()[0],
        "sqlite": sqlite3.sqlite_version,
        "packages": versions,
        "git": _git(),
        "note": "wrk, gunicorn and the database share the same CPUs; server capacity is understated.",
    }


def _git() -> dict[str, Any]:
    def run(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return done.stdout.strip()

    return {"commit": run("rev-parse", "HEAD"), "dirty_files": len(run("status", "--porcelain").splitlines())}


def write_json(result: dict[str, Any], stamp: str) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    path = RESULTS_DIR / f"{stamp}.json"
    path.write_text(json.dumps(result, indent=2, ensure_ascii=False, default=str) + "\n")
    return path


def _ms(run: dict[str, Any], key: str) -> str:
    return f"{run['measure']['latency_ms'][key]:.1f}"


def _met(value: bool | None) -> str:
    return "—" if value is None else ("yes" if value else "**no**")


def markdown(result: dict[str, Any]) -> str:
    """Every figure with its in-run baseline, the ratio, the target and whether it was met."""
    runs = {run["name"]: run for run in result["runs"]}
    lines = [
        "| Figure | DB | server | c | rps | p50 ms | p95 ms | p99 ms | errors / 5xx | CPU ms/req app+db "
        "| baseline (rps) | ratio rps (CPU) | target | met |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for run in result["runs"]:
        measure = run["measure"]
        errors = sum(measure["errors"].values()) - measure["errors"].get("status", 0)
        cells = [
            run["label"],
            run["db"],
            run["server"],
            str(run["connections"]),
            f"{measure['rps']:.0f}",
            _ms(run, "p50"),
            _ms(run, "p95"),
            _ms(run, "p99"),
            f"{errors} / {measure['status_5xx']}"
            + (f" (non-2xx {measure['status_non_2xx']})" if measure["status_non_2xx"] != measure["status_5xx"] else ""),
        ]
        used = measure.get("cpu_ms_per_request") or {}
        cells.append(f"{used.get('app', 0):.2f}+{used.get('db', 0):.2f}" if used else "—")
        baseline = runs.get(run.get("baseline") or "")
        if baseline:
            ratio = f"{run['ratio']:.2f}" + (f" ({run['ratio_cpu']:.2f})" if "ratio_cpu" in run else "")
            cells += [f"{baseline['label']} ({baseline['measure']['rps']:.0f})", ratio]
        else:
            cells += ["—", "—"]
        cells += [run.get("target", "—"), _met(run.get("met"))]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def summary_lines(result: dict[str, Any]) -> list[str]:
    lines = []
    for key in ("data_set", "rows_per_page", "sqlite_create", "pg_create"):
        if key in result:
            lines.append(f"- {key}: {json.dumps(result[key], ensure_ascii=False)}")
    if result.get("postgres"):
        pg = result["postgres"]
        lines.append(
            "- PostgreSQL (current server settings, unchanged): " + ", ".join(f"{k}={v}" for k, v in pg.items())
        )
    ceilings = ", ".join(
        f"{run['label']} ≈ {run['measure']['cpu_ceiling_rps']}"
        for run in result["runs"]
        if run["measure"].get("cpu_ceiling_rps")
    )
    if ceilings:
        lines.append(f"- CPU-bound ceiling (CPUs ÷ server CPU per request, rps): {ceilings}")
    lines.append(f"- load generator: {result['load_generator']}")
    for note in result.get("notes", []):
        lines.append(f"- note: {note}")
    return lines
