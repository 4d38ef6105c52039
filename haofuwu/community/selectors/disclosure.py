"""Read side of the disclosure board: items, a project's board with each required kind's freshness, cuts ahead."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet

from haofuwu.community import disclosure_rules
from haofuwu.community.choices import DisclosureKind, DisclosureStatus
from haofuwu.community.models import Disclosure
from haofuwu.community.permissions import is_staff_account
from haofuwu.community.selectors.common import get_or_404
from haofuwu.core.scoping import Scope


def disclosure_list_for_user(
    scope: Scope, *, project_id: int | None = None, kind: str = "", status: str = ""
) -> QuerySet[Disclosure]:
    """Board items of the projects the user sees, newest first; residents see published ones."""
    queryset = Disclosure.objects.visible_to(scope).select_related("project")
    if not is_staff_account(scope):
        queryset = queryset.filter(status=DisclosureStatus.PUBLISHED)
    if project_id:
        queryset = queryset.filter(project_id=project_id)
    if kind:
        queryset = queryset.filter(kind=kind)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("-published_at", "-id")


def disclosure_get_for_user(scope: Scope, disclosure_id: int) -> Disclosure:
    return get_or_404(disclosure_list_for_user(scope), disclosure_id)


@dataclass(frozen=True)
class BoardRow:
    kind: str
    label: str
    item: Disclosure | None
    expires_at: dt.datetime | None

    @property
    def is_fresh(self) -> bool:
        return self.expires_at is not None


@dataclass(frozen=True)
class Board:
    """A project's board at a moment: each required kind with its current item, and the cuts announced ahead."""

    rows: list[BoardRow]
    outages: list[Disclosure]
    notices: list[Disclosure]

    @property
    def fresh_count(self) -> int:
        return sum(row.is_fresh for row in self.rows)

    @property
    def missing_or_stale(self) -> int:
        return len(self.rows) - self.fresh_count


def board_for_project(project_id: int, at: dt.datetime) -> Board:
    """The board of one project (the caller has checked the user sees it), from its published items."""
    items = list(
        Disclosure.objects.filter(project_id=project_id, status=DisclosureStatus.PUBLISHED, published_at__lte=at)
        .exclude(kind__in=[DisclosureKind.PLANNED_OUTAGE, DisclosureKind.NOTICE])
        .order_by("kind", "-published_at")
    )
    by_pk = {item.pk: item for item in items}
    statuses = disclosure_rules.board_status(
        [disclosure_rules.Published(item.kind, item.pk, item.published_at) for item in items], at
    )
    rows = [
        BoardRow(
            status.kind,
            str(DisclosureKind(status.kind).label),
            by_pk[status.latest.pk] if status.latest else None,
            status.expires_at,
        )
        for status in statuses
    ]
    outages = list(
        Disclosure.objects.filter(
            project_id=project_id,
            kind=DisclosureKind.PLANNED_OUTAGE,
            status=DisclosureStatus.PUBLISHED,
            outage_ends_at__gte=at,
        ).order_by("outage_starts_at")[:20]
    )
    notices = list(
        Disclosure.objects.filter(
            project_id=project_id, kind=DisclosureKind.NOTICE, status=DisclosureStatus.PUBLISHED
        ).order_by("-published_at")[:10]
    )
    return Board(rows, outages, notices)
