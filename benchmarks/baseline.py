"""Baseline views measured beside the API on the same server, to turn its figures into ratios.

``hello`` is the framework floor (routing and middleware, no database). ``plain_list`` is the ORM floor: the same
``WHERE``, ordering, page and ``COUNT`` as ``GET /api/v1/work-orders``, the same fields through ``values()``, and
``JsonResponse``, but no token lookup, no scope computation, no per-row Python and no pydantic. The scope of a
project manager is passed in the query string (``scope_projects``, ``scope_user``) so that the scoped run compares
like with like.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse

from haofuwu.workorders.choices import DONE_STATUSES, OPEN_STATUSES
from haofuwu.workorders.models import WorkOrder
from haofuwu.workorders.selectors import LIST_FIELDS

# The same columns the API list loads (location, assignee and the three clocks are built from these).
FIELDS = LIST_FIELDS
EQUALITY_FILTERS = ("status", "kind", "category", "urgency", "channel")


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def _ids(raw: str) -> list[int]:
    return [int(part) for part in raw.split(",") if part.strip()]


def plain_list(request: HttpRequest) -> JsonResponse:
    params = request.GET
    queryset = WorkOrder.objects.all()
    if params.get("scope_projects"):
        # What visibility_q builds for a project manager, OR-ed with their own reports as the selector does.
        queryset = queryset.filter(
            Q(project_id__in=_ids(params["scope_projects"])) | Q(reporter_id=int(params.get("scope_user", "0")))
        )
    if params.get("project"):
        queryset = queryset.filter(project_id=int(params["project"]))
    for name in EQUALITY_FILTERS:
        if params.get(name):
            queryset = queryset.filter(**{name: params[name]})
    if params.get("is_open") in ("true", "false"):
        queryset = queryset.filter(status__in=OPEN_STATUSES if params["is_open"] == "true" else DONE_STATUSES)
    queryset = queryset.order_by("-submitted_at", "-id")
    page = int(params.get("page", "1"))
    page_size = min(int(params.get("page_size", "50")), 200)
    offset = (page - 1) * page_size
    items = list(queryset.values(*FIELDS)[offset : offset + page_size])
    # The same queries as the API's paginate(): a short page tells the count without a COUNT query.
    is_last_page = 0 < len(items) < page_size or (offset == 0 and not items)
    count = offset + len(items) if is_last_page else queryset.count()
    return JsonResponse({"items": items, "count": count, "page": page, "page_size": page_size})
