"""Permission matrix of the standard API (see haofuwu/core/tests/matrix.py).

Targets live in project A: a published scorecard of 2026Q3 under the test catalogue, evidence and rectification
tasks made fresh for each call, and project A's manager (staff A made a manager) for assessments.
"""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Max
from django.utils import timezone

from haofuwu.accounts.services import api_token_create
from haofuwu.core.models import AuditEntry
from haofuwu.core.tests.files import pdf_bytes
from haofuwu.core.tests.matrix import EVERYONE, SEES_PROJECT_A, WRITES_PROJECT_A, Case, read, run, write
from haofuwu.standard import services
from haofuwu.standard.models import Evidence, Finding, ManagerAssessment, Rectification, Scorecard
from haofuwu.standard.periods import parse_period
from haofuwu.standard.tests.helpers import small_catalogue

PDF = pdf_bytes()
REGULATORS_OF_A = frozenset({"admin", "regulator_city", "regulator_lixia"})
# Rectifications and evidence are for staff and regulators; a resident does not see them.
STAFF_SEEING_A = SEES_PROJECT_A - {"resident_a"}
_counter = itertools.count(1)


def _scorecard(world: Any) -> Scorecard:
    found = Scorecard.objects.filter(project=world.project_a, superseded_at__isnull=True).first()
    if found is None:
        (found,) = services.scorecards_evaluate(
            project_ids=[world.project_a.pk], period=parse_period("2026Q3"), catalogue=small_catalogue(),
            open_rectifications=False,
        )  # fmt: skip
    return found


def _evidence(world: Any) -> Evidence:
    return Evidence.objects.create(
        project=world.project_a,
        catalogue_code="test-small",
        indicator_id="A-01",
        file=SimpleUploadedFile("plan.pdf", PDF),
        original_name="plan.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_at=timezone.now(),
    )


def _task(world: Any, status: str = "open") -> Rectification:
    now = timezone.now()
    return Rectification.objects.create(
        project=world.project_a,
        catalogue_code="test-small",
        indicator_id="A-01",
        title="服务方案",
        period=f"2020Q{next(_counter) % 4 + 1}-{next(_counter)}"[:10],
        status=status,
        opened_at=now,
        deadline=now,
        response_note="已整改" if status == "responded" else "",
    )


def _file() -> SimpleUploadedFile:
    return SimpleUploadedFile("plan.pdf", PDF, content_type="application/pdf")


def _manager(world: Any) -> Any:
    world.staff_a.is_manager = True
    world.staff_a.save(update_fields=["is_manager"])
    return world.staff_a


def _state() -> tuple[Any, ...]:
    return (
        AuditEntry.objects.exclude(action="token.create").count(),
        Scorecard.objects.aggregate(n=Count("pk"), last=Max("pk")),
        tuple(Evidence.objects.order_by("pk").values_list("pk", "status")),
        Finding.objects.count(),
        tuple(Rectification.objects.order_by("pk").values_list("pk", "status")),
        tuple(ManagerAssessment.objects.order_by("pk").values_list("pk", "score")),
    )


STAFF_VIEWERS_OF_A = frozenset(
    {"admin", "regulator_city", "regulator_lixia", "company_admin_a", "manager_a", "engineer_a", "security_a"}
)

CASES = [
    Case("catalogues", "get", lambda w: "/api/v1/standard/catalogues", read(EVERYONE)),
    Case("indicators", "get", lambda w: "/api/v1/standard/catalogues/test-small/indicators", read(EVERYONE)),
    Case("scorecards", "get", lambda w: "/api/v1/scorecards", read(EVERYONE)),
    Case("scorecard detail", "get", lambda w: f"/api/v1/scorecards/{_scorecard(w).pk}", read(SEES_PROJECT_A)),
    Case(
        "evaluate",
        "post",
        lambda w: "/api/v1/scorecards/evaluate",
        write(SEES_PROJECT_A, WRITES_PROJECT_A | REGULATORS_OF_A, 201),
        lambda w: {"project_id": w.project_a.pk, "period": "2026Q3", "catalogue": "test-small"},
    ),
    Case("evidence list", "get", lambda w: "/api/v1/standard/evidence", read(EVERYONE)),
    Case("evidence file", "get", lambda w: f"/api/v1/standard/evidence/{_evidence(w).pk}/file", read(STAFF_SEEING_A)),
    Case(
        "evidence upload",
        "post",
        lambda w: "/api/v1/standard/evidence",
        write(SEES_PROJECT_A, WRITES_PROJECT_A, 201),
        lambda w: {
            "project_id": w.project_a.pk,
            "catalogue_code": "test-small",
            "indicator_id": "A-01",
            "file": _file(),
        },
        multipart=True,
    ),
    Case(
        "evidence review",
        "post",
        lambda w: f"/api/v1/standard/evidence/{_evidence(w).pk}/review",
        write(STAFF_SEEING_A, REGULATORS_OF_A),
        lambda w: {"decision": "verify"},
    ),
    Case(
        "finding",
        "post",
        lambda w: "/api/v1/standard/findings",
        write(SEES_PROJECT_A, REGULATORS_OF_A, 201),
        lambda w: {
            "project_id": w.project_a.pk,
            "catalogue_code": "test-small",
            "indicator_id": "A-02",
            "reason": "消防通道堵塞",
        },
    ),
    Case("rectifications", "get", lambda w: "/api/v1/rectifications", read(EVERYONE)),
    Case("rectification detail", "get", lambda w: f"/api/v1/rectifications/{_task(w).pk}", read(STAFF_SEEING_A)),
    Case(
        "rectification respond",
        "post",
        lambda w: f"/api/v1/rectifications/{_task(w).pk}/respond",
        write(STAFF_SEEING_A, WRITES_PROJECT_A),
        lambda w: {"note": "已补充服务方案", "file": _file()},
        multipart=True,
    ),
    Case(
        "rectification review",
        "post",
        lambda w: f"/api/v1/rectifications/{_task(w, 'responded').pk}/review",
        write(STAFF_SEEING_A, REGULATORS_OF_A),
        lambda w: {"decision": "accept"},
    ),
    Case("manager evaluations", "get", lambda w: "/api/v1/manager-evaluations", read(EVERYONE)),
    Case(
        "manager assessment",
        "post",
        lambda w: "/api/v1/manager-evaluations/assessments",
        write(STAFF_VIEWERS_OF_A, REGULATORS_OF_A | {"company_admin_a"}),
        lambda w: {"staff_id": _manager(w).pk, "year": 2026, "score": 60 + next(_counter) % 40},
    ),
]

ROUTES: set[tuple[str, str]] = {
    ("GET", "/api/v1/standard/evidence/{evidence_id}/file"),
    ("GET", "/api/v1/standard/catalogues"),
    ("GET", "/api/v1/standard/catalogues/{code}/indicators"),
    ("GET", "/api/v1/scorecards"),
    ("POST", "/api/v1/scorecards/evaluate"),
    ("GET", "/api/v1/scorecards/{scorecard_id}"),
    ("GET", "/api/v1/standard/evidence"),
    ("POST", "/api/v1/standard/evidence"),
    ("POST", "/api/v1/standard/evidence/{evidence_id}/review"),
    ("POST", "/api/v1/standard/findings"),
    ("GET", "/api/v1/rectifications"),
    ("GET", "/api/v1/rectifications/{rectification_id}"),
    ("POST", "/api/v1/rectifications/{rectification_id}/respond"),
    ("POST", "/api/v1/rectifications/{rectification_id}/review"),
    ("GET", "/api/v1/manager-evaluations"),
    ("POST", "/api/v1/manager-evaluations/assessments"),
}
# Routes whose permissions are tested elsewhere (name the test module in a comment beside each).
OWN_ROUTES: set[tuple[str, str]] = set()


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_endpoint_answers_each_role_with_the_expected_status(world, client, media, case: Case) -> None:
    from haofuwu.estates.models import StaffAssignment

    StaffAssignment.objects.filter(staff=world.staff_a).update(started_on="2025-01-01")
    tokens = {name: api_token_create(user=user)[1] for name, user in world.users.items()}
    failures = run(client, world, case, tokens, _state)
    assert not failures, "\n".join(failures)
