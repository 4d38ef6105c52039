"""Plain dictionaries of the standard's objects, shared by the API and the pages."""

from __future__ import annotations

import datetime as dt
import posixpath
from typing import Any

from django.urls import reverse

from haofuwu.core.scoping import Scope
from haofuwu.standard import selectors
from haofuwu.standard.models import Evidence, Finding, ManagerEvaluation, Rectification, Scorecard
from haofuwu.standard.services.evaluation import EVIDENCE_RECORD_TYPE, FINDING_RECORD_TYPE


def scorecard(card: Scorecard) -> dict[str, Any]:
    return {
        "id": card.pk,
        "project_id": card.project_id,
        "project_name": card.project.name,
        "company_id": card.company_id,
        "company_name": card.company.name,
        "district": card.district,
        "period": card.period,
        "catalogue_code": card.catalogue_code,
        "catalogue_version": card.catalogue_version,
        "score": card.score,
        "stars": card.stars,
        "vetoed": card.vetoed,
        "points_earned": card.points_earned,
        "points_possible": card.points_possible,
        "indicators_applicable": card.indicators_applicable,
        "indicators_with_data": card.indicators_with_data,
        "inputs_hash": card.inputs_hash,
        "computed_at": card.computed_at,
        "superseded_at": card.superseded_at,
        "is_published": card.is_published,
    }


def evidence(item: Evidence) -> dict[str, Any]:
    return {
        "id": item.pk,
        "project_id": item.project_id,
        "catalogue_code": item.catalogue_code,
        "indicator_id": item.indicator_id,
        "original_name": item.original_name,
        "content_type": item.content_type,
        "size": item.size,
        "note": item.note,
        "url": reverse("api:standard_evidence_file", kwargs={"evidence_id": item.pk}) if item.file else "",
        "uploaded_at": item.uploaded_at,
        "status": item.status,
        "reason": item.reason,
        "reviewed_at": item.reviewed_at,
        "rectification_id": item.rectification_id,
    }


def evidence_download_name(item: Evidence) -> str:
    """The uploader's file name without its extension (the stored type's is added when served)."""
    return posixpath.splitext(item.original_name)[0] or f"evidence-{item.pk}"


def finding(item: Finding) -> dict[str, Any]:
    return {
        "id": item.pk,
        "project_id": item.project_id,
        "catalogue_code": item.catalogue_code,
        "indicator_id": item.indicator_id,
        "found_at": item.found_at,
        "reason": item.reason,
        "deduction": item.deduction,
    }


def scorecard_detail(scope: Scope, card: Scorecard) -> dict[str, Any]:
    """The scorecard with its indicator rows (failing first) and the evidence and findings they name; a resident
    gets the rows without the records behind them."""
    results = selectors.scorecard_results(card)
    show_records = not scope.is_resident_only
    evidence_ids = [pk for r in results if r.record_type == EVIDENCE_RECORD_TYPE for pk in r.record_ids]
    finding_ids = [pk for r in results if r.record_type == FINDING_RECORD_TYPE for pk in r.record_ids]
    evidence_rows = selectors.evidence_by_ids(evidence_ids) if show_records and evidence_ids else {}
    finding_rows = selectors.findings_by_ids(finding_ids) if show_records and finding_ids else {}
    body = scorecard(card)
    body["totals"] = card.totals
    body["results"] = [
        {
            "indicator_id": r.indicator_id,
            "title": r.title,
            "title_en": r.title_en,
            "section": r.section,
            "category": r.category,
            "dimensions": r.dimensions,
            "kind": r.kind,
            "certainty": r.certainty,
            "metric": r.metric,
            "provided_by": r.provided_by,
            "value": r.value,
            "numerator": r.numerator,
            "denominator": r.denominator,
            "share": r.share,
            "points": r.points,
            "points_earned": r.points_earned,
            "points_possible": r.points_possible,
            "status": r.status,
            "rule": r.rule,
            "explanation": r.explanation,
            "record_type": r.record_type if show_records else "",
            "record_ids": r.record_ids if show_records else [],
            "notes": r.notes if show_records else "",
            "evidence": [
                evidence(evidence_rows[pk])
                for pk in (r.record_ids if r.record_type == EVIDENCE_RECORD_TYPE else [])
                if pk in evidence_rows
            ],
            "findings": [
                finding(finding_rows[pk])
                for pk in (r.record_ids if r.record_type == FINDING_RECORD_TYPE else [])
                if pk in finding_rows
            ],
        }
        for r in results
    ]
    return body


def rectification(task: Rectification, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": task.pk,
        "project_id": task.project_id,
        "project_name": task.project.name,
        "catalogue_code": task.catalogue_code,
        "indicator_id": task.indicator_id,
        "title": task.title,
        "period": task.period,
        "status": task.status,
        "owner": task.owner.get_username() if task.owner_id and task.owner else "",
        "opened_at": task.opened_at,
        "deadline": task.deadline,
        "is_overdue": task.status == "open" and task.deadline < now,
        "response_note": task.response_note,
        "responded_at": task.responded_at,
        "review_reason": task.review_reason,
        "reviewed_at": task.reviewed_at,
        "closed_at": task.closed_at,
        "escalated_at": task.escalated_at,
        "scorecard_id": task.scorecard_id,
    }


def rectification_detail(task: Rectification, now: dt.datetime) -> dict[str, Any]:
    body = rectification(task, now)
    body["evidence"] = [evidence(item) for item in task.evidence.all().order_by("-uploaded_at", "-id")]
    return body


def manager_evaluation(item: ManagerEvaluation) -> dict[str, Any]:
    return {
        "id": item.pk,
        "year": item.run.year,
        "staff_id": item.staff_id,
        "staff_name": item.staff_name,
        "company_id": item.company_id,
        "company_name": item.company.name,
        "district": item.district,
        "project_score": item.project_score,
        "satisfaction": item.satisfaction,
        "complaints_per_100": item.complaints_per_100,
        "assessment": item.assessment,
        "total": item.total,
        "rank_in_company": item.rank_in_company,
        "rank_in_district": item.rank_in_district,
        "weights": item.run.weights,
        "details": item.details,
    }
