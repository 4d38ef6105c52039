"""API of work orders: list, submit, detail with timeline, transitions, rating, return visits, photos, 12345
replies, and SLA policies."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import File, Query, Router
from ninja.files import UploadedFile

from haofuwu.core import private_files
from haofuwu.core.api_types import ErrorOut, ObjectId, PageIn, PageOut, binary_openapi, paginate
from haofuwu.core.errors import NOT_FOUND, NotFound
from haofuwu.core.scoping import Scope
from haofuwu.workorders import selectors, services
from haofuwu.workorders.schemas import (
    HotlineReplyIn,
    PhotoOut,
    RatingIn,
    ReturnVisitIn,
    ReturnVisitOut,
    SlaPolicyIn,
    SlaPolicyOut,
    TransitionIn,
    WorkOrderDetailOut,
    WorkOrderFilter,
    WorkOrderIn,
    WorkOrderOut,
)

router = Router(tags=["work orders"])
ERRORS = {403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


def _scope(request: HttpRequest) -> Scope:
    return request.scope  # type: ignore[attr-defined]


def _detail(scope: Scope, work_order_id: int) -> dict[str, Any]:
    order = selectors.work_order_detail(scope, work_order_id)
    body = selectors.work_order_summary(scope, order)
    body.update(
        events=list(order.events.all()),
        photos=[_photo(photo) for photo in selectors.work_order_photos_for_user(scope, order)],
        return_visits=[_visit(v) for v in order.return_visits.all()],
        resolution_note=order.resolution_note,
        materials=order.materials,
        hotline_reply=order.hotline_reply,
    )
    return body


def _photo(photo: Any) -> dict[str, Any]:
    return {
        "id": photo.pk,
        "stage": photo.stage,
        "url": reverse(
            "api:work_order_photo_file", kwargs={"work_order_id": photo.work_order_id, "photo_id": photo.pk}
        ),
        "content_type": photo.content_type,
        "size": photo.size,
    }


def _visit(visit: Any) -> dict[str, Any]:
    return {
        "id": visit.pk,
        "outcome": visit.outcome,
        "method": visit.method,
        "note": visit.note,
        "visited_at": visit.visited_at,
        "visitor": str(visit.visitor) if visit.visitor_id else "",
    }


@router.get("/work-orders", response=PageOut[WorkOrderOut])
def work_order_list(request: HttpRequest, filters: Query[WorkOrderFilter], page: Query[PageIn]):
    """Work orders in the caller's scope, newest first; `is_overdue=true` for what is late now."""
    scope = _scope(request)
    now = timezone.now()
    queryset = selectors.work_order_list_for_user(
        scope,
        project_id=filters.project,
        status=filters.status or "",
        kind=filters.kind or "",
        category=filters.category or "",
        urgency=filters.urgency or "",
        channel=filters.channel or "",
        assignee_id=filters.assignee,
        is_overdue=filters.is_overdue,
        is_open=filters.is_open,
        search=filters.search,
        now=now,
    )
    rows = queryset.values(*selectors.LIST_FIELDS)
    return paginate(rows, page, lambda row: selectors.work_order_summary(scope, selectors.list_row_as_order(row), now))


@router.post("/work-orders", response={201: WorkOrderDetailOut, **ERRORS})
def work_order_submit(request: HttpRequest, payload: WorkOrderIn):
    """Submit a work order (photos are added with `POST /work-orders/{id}/photos`)."""
    order = services.work_order_submit(actor=request.user, **payload.dict())
    return 201, _detail(_scope(request), order.pk)


@router.get("/work-orders/{work_order_id}", response={200: WorkOrderDetailOut, 404: ErrorOut})
def work_order_detail(request: HttpRequest, work_order_id: ObjectId):
    """One work order with its timeline, photos and return visits."""
    return _detail(_scope(request), work_order_id)


@router.post("/work-orders/{work_order_id}/transitions", response={200: WorkOrderDetailOut, **ERRORS})
def work_order_transition(request: HttpRequest, work_order_id: ObjectId, payload: TransitionIn):
    """Move the work order: accept, dispatch (with `assignee_id`), start, hold (with a `note`), resume, resolve
    (with a `note`), close, reopen, cancel (with a `note`). An impossible move is a 409 and changes nothing."""
    services.work_order_transition(
        actor=request.user,
        work_order_id=work_order_id,
        action=payload.action.value,
        assignee_id=payload.assignee_id,
        note=payload.note,
        materials=payload.materials,
    )
    return _detail(_scope(request), work_order_id)


@router.post("/work-orders/{work_order_id}/photos", response={201: list[PhotoOut], **ERRORS})
def work_order_photos(request: HttpRequest, work_order_id: ObjectId, files: File[list[UploadedFile]]):
    """Add photos (JPEG, PNG or WebP, each at most `PHOTO_MAX_MB`) to a work order the caller can act on."""
    photos = services.work_order_add_photos(actor=request.user, work_order_id=work_order_id, photos=files)
    return 201, [_photo(photo) for photo in photos]


@router.get(
    "/work-orders/{work_order_id}/photos/{photo_id}",
    response={404: ErrorOut},
    url_name="work_order_photo_file",
    openapi_extra=binary_openapi(*sorted(private_files.PHOTO), description="The photo, without its EXIF data."),
)
def work_order_photo_file(request: HttpRequest, work_order_id: ObjectId, photo_id: ObjectId):
    """One photo of a work order, for the project's property staff and the reporting household only."""
    photo = selectors.work_order_photo_get_for_user(_scope(request), photo_id)
    if photo.work_order_id != work_order_id:
        raise NotFound(NOT_FOUND)
    return private_files.file_response(photo.image, download_name=f"work-order-{work_order_id}-photo-{photo.pk}")


@router.post("/work-orders/{work_order_id}/rating", response={200: WorkOrderDetailOut, **ERRORS})
def work_order_rate(request: HttpRequest, work_order_id: ObjectId, payload: RatingIn):
    """The reporting household rates the result (1–5) once it is resolved."""
    services.work_order_rate(
        actor=request.user, work_order_id=work_order_id, rating=payload.rating, comment=payload.comment
    )
    return _detail(_scope(request), work_order_id)


@router.get("/work-orders/{work_order_id}/return-visits", response={200: list[ReturnVisitOut], 404: ErrorOut})
def return_visit_list(request: HttpRequest, work_order_id: ObjectId):
    order = selectors.work_order_get_for_user(_scope(request), work_order_id)
    return [_visit(visit) for visit in selectors.return_visit_list(order)]


@router.post("/work-orders/{work_order_id}/return-visits", response={201: ReturnVisitOut, **ERRORS})
def return_visit_record(request: HttpRequest, work_order_id: ObjectId, payload: ReturnVisitIn):
    """Record a return visit (回访) and what the resident said."""
    visit = services.return_visit_record(
        actor=request.user,
        work_order_id=work_order_id,
        outcome=payload.outcome.value,
        method=payload.method.value,
        note=payload.note,
        visited_at=payload.visited_at,
    )
    return 201, _visit(visit)


@router.post("/work-orders/{work_order_id}/hotline-reply", response={200: WorkOrderDetailOut, **ERRORS})
def hotline_reply(request: HttpRequest, work_order_id: ObjectId, payload: HotlineReplyIn):
    """Record the reply sent back to the 12345 hotline."""
    services.hotline_reply(actor=request.user, work_order_id=work_order_id, reply=payload.reply)
    return _detail(_scope(request), work_order_id)


@router.get("/sla-policies", response=PageOut[SlaPolicyOut])
def sla_policy_list(request: HttpRequest, page: Query[PageIn], company: ObjectId | None = None):
    """SLA policies of the companies in the caller's scope."""
    return paginate(selectors.sla_policy_list_for_user(_scope(request), company_id=company), page)


@router.post("/sla-policies", response={201: SlaPolicyOut, **ERRORS})
def sla_policy_create(request: HttpRequest, payload: SlaPolicyIn):
    """Set deadlines for a company, or override them for one project (company administrators)."""
    data = payload.dict()
    return 201, services.sla_policy_save(
        actor=request.user,
        company_id=data.pop("company_id"),
        project_id=data.pop("project_id"),
        kind=payload.kind.value,
        category=payload.category.value if payload.category else "",
        urgency=payload.urgency.value if payload.urgency else "",
        terms={key: value for key, value in data.items() if key not in ("kind", "category", "urgency")},
    )
