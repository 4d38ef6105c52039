"""Shared pages: the home page (sends each role to its start page) and the notification inbox."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from haofuwu.core.notifications import notification_mark_read


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """Residents go to their mobile home page, everyone else to the projects they work with."""
    scope = request.scope  # type: ignore[attr-defined]
    if scope.is_resident_only:
        return redirect("estates:resident_home")
    return redirect("estates:project_list")


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    """The user's in-app notifications, newest first."""
    page = Paginator(request.user.notifications.all(), 30).get_page(request.GET.get("page"))
    return render(request, "core/inbox.html", {"page": page})


@login_required
@require_POST
def inbox_mark_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification_mark_read(actor=request.user, notification_id=notification_id)
    return redirect("core:inbox")
