"""Survey results as plain data: the body of the results API and the data of the results page's charts."""

from __future__ import annotations

from typing import Any

from haofuwu.feedback import selectors


def results_data(results: selectors.SurveyResults, *, is_staff: bool) -> dict[str, Any]:
    """The results as plain data (the API's body and the page's chart data)."""
    survey = results.survey
    rate = results.satisfaction

    def out(item: Any) -> dict[str, Any]:
        return {"satisfied": item.satisfied, "valid": item.valid, "value": item.value}

    return {
        "survey_id": survey.pk,
        "counts_basically_satisfied": survey.counts_basically_satisfied,
        "overall": out(rate.overall),
        "by_line": {line: out(item) for line, item in rate.by_line.items()},
        "responses": results.responses,
        "paper_responses": results.paper_responses,
        "delivered_households": results.delivered_households,
        "contacted_households": results.contacted_households,
        "response_rate": results.response_rate,
        "coverage": results.coverage,
        "coverage_target": float(survey.coverage_target),
        "is_coverage_met": results.is_coverage_met,
        "questions": [
            {
                "question_id": item.question.pk,
                "text": item.question.text,
                "kind": item.question.kind,
                "service_line": item.question.service_line,
                "counts": item.counts,
                "rate": item.rate,
            }
            for item in results.questions
        ],
        "comments": [comment["text"] for comment in results.comments] if is_staff else [],
        "flags": [
            {
                "kind": flag.kind,
                "count": flag.count,
                "first_at": flag.first_at,
                "last_at": flag.last_at,
                "response_ids": list(flag.response_ids),
            }
            for flag in results.flags
        ]
        if is_staff
        else [],
    }
