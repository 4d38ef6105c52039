"""API of the standard: catalogues, scorecards with their evidence, evidence and findings, rectifications and
the annual project-manager evaluation."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import File, Form, Query, Router
from ninja.files import UploadedFile

from haofuwu.core import metrics, private_files
from haofuwu.core.api_types import ErrorOut, ObjectId, PageIn, PageOut, Text, binary_openapi, paginate
from haofuwu.core.errors import NOT_FOUND, NotFound
from haofuwu.core.scoping import Scope
from haofuwu.standard import presenters, selectors, services
from haofuwu.standard.catalogue import all_catalogues, catalogue_by_key
from haofuwu.standard.schemas import (
    AssessmentIn,
    AssessmentOut,
    CatalogueOut,
    EvaluateIn,
    EvidenceFilter,
    EvidenceOut,
    FindingIn,
    FindingOut,
    IndicatorOut,
    ManagerEvaluationFilter,
    ManagerEvaluationOut,
    RectificationDetailOut,
    RectificationFilter,
    RectificationOut,
    RectificationReviewIn,
    ReviewIn,
    ScorecardDetailOut,
    ScorecardFilter,
    ScorecardOut,
)

router = Router(tags=["standard"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined]


@router.get("/standard/catalogues", response=list[CatalogueOut])
def catalogue_list(request: HttpRequest):
    """Every valid catalogue version, with the dates it is in force."""
    today = timezone.localdate()
    return [
        {
            "code": c.code,
            "version": c.version,
            "title_zh": c.title.zh,
            "title_en": c.title.en,
            "effective_from": c.effective_from,
            "effective_to": c.effective_to,
            "source": c.source,
            "indicators": len(c.indicators),
            "is_in_force": c.in_force_on(today),
        }
        for c in all_catalogues()
    ]


@router.get("/standard/catalogues/{code}/indicators", response={200: list[IndicatorOut], 404: ErrorOut})
def catalogue_indicators(request: HttpRequest, code: str, version: Text = ""):
    """The indicators of a catalogue (the newest version unless `version` names one)."""
    catalogue = catalogue_by_key(code, version or None)
    if catalogue is None:
        raise NotFound(NOT_FOUND, field="code")
    return [
        {
            "id": i.id,
            "title_zh": i.title.zh,
            "title_en": i.title.en,
            "requirement_zh": i.requirement.zh,
            "requirement_en": i.requirement.en,
            "section": i.section,
            "dimensions": list(i.dimensions),
            "category": i.category,
            "source": i.source,
            "certainty": i.certainty,
            "points": i.points,
            "kind": i.kind,
            "metric": i.metric,
            "provided_by": i.provided_by,
            "is_metric_available": i.metric is None or metrics.get(i.metric) is not None,
            "rule": i.rule.as_dict(),
            "applies_to": i.applies_to.as_dict(),
            "period": i.period,
            "notes": i.notes,
        }
        for i in catalogue.indicators
    ]


@router.get("/scorecards", response=PageOut[ScorecardOut])
def scorecard_list(request: HttpRequest, filters: Query[ScorecardFilter], page: Query[PageIn]):
    """Current scorecards in the caller's scope (a resident: their project's published ones), newest first."""
    queryset = selectors.scorecard_list_for_user(
        _scope(request),
        project_id=filters.project_id,
        company_id=filters.company_id,
        district=filters.district,
        period=filters.period,
        catalogue_code=filters.catalogue,
        current_only=not filters.include_superseded,
    )
    return paginate(queryset, page, presenters.scorecard)


@router.post("/scorecards/evaluate", response={201: ScorecardDetailOut, **ERRORS})
def scorecard_evaluate(request: HttpRequest, payload: EvaluateIn):
    """Evaluate one project for a period now (its company, its managers or a regulator of its district)."""
    scorecard = services.scorecard_evaluate_for_user(
        actor=request.user, project_id=payload.project_id, period=payload.period, catalogue_code=payload.catalogue
    )
    return 201, presenters.scorecard_detail(_scope(request), scorecard)


@router.get("/scorecards/{scorecard_id}", response={200: ScorecardDetailOut, 404: ErrorOut})
def scorecard_detail(request: HttpRequest, scorecard_id: ObjectId):
    """One scorecard with every indicator's value, rule, share, records, evidence and findings."""
    scope = _scope(request)
    return presenters.scorecard_detail(scope, selectors.scorecard_get_for_user(scope, scorecard_id))


@router.get("/standard/evidence", response=PageOut[EvidenceOut])
def evidence_list(request: HttpRequest, filters: Query[EvidenceFilter], page: Query[PageIn]):
    """Evidence of the projects the caller works on or oversees, newest first."""
    queryset = selectors.evidence_list_for_user(
        _scope(request), project_id=filters.project_id, indicator_id=filters.indicator_id, status=filters.status
    )
    return paginate(queryset, page, presenters.evidence)


@router.post("/standard/evidence", response={201: EvidenceOut, **ERRORS})
def evidence_upload(
    request: HttpRequest,
    project_id: Form[ObjectId],
    catalogue_code: Form[Text],
    indicator_id: Form[Text],
    file: File[UploadedFile],
    note: Form[str] = "",
):
    """Upload a PDF or photo as evidence for an evidence indicator (the company or the project's managers)."""
    evidence = services.evidence_upload(
        actor=request.user,
        project_id=project_id,
        catalogue_code=catalogue_code[:50],
        indicator_id=indicator_id[:32],
        upload=file,
        note=note,
    )
    return 201, presenters.evidence(evidence)


@router.get(
    "/standard/evidence/{evidence_id}/file",
    response={404: ErrorOut},
    url_name="standard_evidence_file",
    openapi_extra=binary_openapi(*sorted(private_files.PHOTO_OR_PDF)),
)
def evidence_file(request: HttpRequest, evidence_id: ObjectId):
    """The evidence file itself, for those who may read the evidence (photos inline, PDFs as a download)."""
    evidence = selectors.evidence_get_for_user(_scope(request), evidence_id)
    return private_files.file_response(evidence.file, download_name=presenters.evidence_download_name(evidence))


@router.post("/standard/evidence/{evidence_id}/review", response={200: EvidenceOut, **ERRORS})
def evidence_review(request: HttpRequest, evidence_id: ObjectId, payload: ReviewIn):
    """A regulator of the project's district verifies the evidence or rejects it with a reason."""
    evidence = services.evidence_review(
        actor=request.user, evidence_id=evidence_id, decision=payload.decision, reason=payload.reason
    )
    return presenters.evidence(evidence)


@router.post("/standard/findings", response={201: FindingOut, **ERRORS})
def finding_record(request: HttpRequest, payload: FindingIn):
    """A regulator records a sampling-inspection finding against an indicator; the next evaluation deducts it."""
    finding = services.finding_record(
        actor=request.user,
        project_id=payload.project_id,
        catalogue_code=payload.catalogue_code,
        indicator_id=payload.indicator_id,
        reason=payload.reason,
        deduction=payload.deduction,
        found_at=payload.found_at,
    )
    return 201, presenters.finding(finding)


@router.get("/rectifications", response=PageOut[RectificationOut])
def rectification_list(request: HttpRequest, filters: Query[RectificationFilter], page: Query[PageIn]):
    """Rectification tasks of the projects the caller works on or oversees, soonest deadline first."""
    now = timezone.now()
    queryset = selectors.rectification_list_for_user(
        _scope(request),
        project_id=filters.project_id,
        status=filters.status,
        period=filters.period,
        is_overdue=filters.is_overdue,
        now=now,
    )
    return paginate(queryset, page, lambda task: presenters.rectification(task, now))


@router.get("/rectifications/{rectification_id}", response={200: RectificationDetailOut, 404: ErrorOut})
def rectification_detail(request: HttpRequest, rectification_id: ObjectId):
    """One rectification task with the evidence sent with the response."""
    task = selectors.rectification_get_for_user(_scope(request), rectification_id)
    return presenters.rectification_detail(task, timezone.now())


@router.post("/rectifications/{rectification_id}/respond", response={200: RectificationDetailOut, **ERRORS})
def rectification_respond(
    request: HttpRequest,
    rectification_id: ObjectId,
    note: Form[Text],
    file: File[UploadedFile | None] = None,
):
    """The company answers an open task with what it did and, optionally, an evidence file."""
    task = services.rectification_respond(actor=request.user, rectification_id=rectification_id, note=note, upload=file)
    return presenters.rectification_detail(task, timezone.now())


@router.post("/rectifications/{rectification_id}/review", response={200: RectificationDetailOut, **ERRORS})
def rectification_review(request: HttpRequest, rectification_id: ObjectId, payload: RectificationReviewIn):
    """A regulator accepts the response (the task closes) or rejects it with a reason (back to open)."""
    task = services.rectification_review(
        actor=request.user, rectification_id=rectification_id, decision=payload.decision, reason=payload.reason
    )
    return presenters.rectification_detail(task, timezone.now())


@router.get("/manager-evaluations", response=PageOut[ManagerEvaluationOut])
def manager_evaluation_list(request: HttpRequest, filters: Query[ManagerEvaluationFilter], page: Query[PageIn]):
    """The newest annual project-manager evaluation of each year the caller may read, best first."""
    queryset = selectors.manager_evaluation_list_for_user(
        _scope(request), year=filters.year, company_id=filters.company_id, district=filters.district
    )
    return paginate(queryset, page, presenters.manager_evaluation)


@router.post("/manager-evaluations/assessments", response={200: AssessmentOut, **ERRORS})
def manager_assessment(request: HttpRequest, payload: AssessmentIn):
    """The manager's company or a regulator of their district enters the assessment score of a year."""
    assessment = services.manager_assessment_set(
        actor=request.user, staff_id=payload.staff_id, year=payload.year, score=payload.score, note=payload.note
    )
    return {
        "id": assessment.pk,
        "staff_id": assessment.staff_id,
        "year": assessment.year,
        "score": assessment.score,
        "note": assessment.note,
    }
