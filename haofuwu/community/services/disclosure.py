"""The disclosure board: publish an item (its publication time is the server's: for a planned cut, the notice
time P-18 measures), withdraw it, and tell the project's residents of a planned cut."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.community import selectors
from haofuwu.community.choices import DisclosureKind, DisclosureStatus, OutageKind
from haofuwu.community.disclosure_rules import FINANCIAL_KINDS
from haofuwu.community.models import Disclosure
from haofuwu.community.permissions import publishes_disclosures
from haofuwu.community.services.common import clean_text, full_clean, project_for, require
from haofuwu.core import audit
from haofuwu.core.errors import Conflict, ValidationFailed
from haofuwu.core.notifications import notify
from haofuwu.estates import selectors as estates

MAX_FIGURES = 50
MAX_OUTAGE = dt.timedelta(days=3)
MAX_NOTIFIED = 5000


@dataclass(frozen=True)
class FigureIn:
    label: str
    amount: str


def _figures(items: list[FigureIn]) -> list[dict[str, str]]:
    if len(items) > MAX_FIGURES:
        raise ValidationFailed({"figures": [_("At most %(count)d lines.") % {"count": MAX_FIGURES}]})
    rows = []
    for item in items:
        try:
            amount = Decimal(item.amount).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValidationFailed({"figures": [_("Amounts are numbers in yuan, e.g. 12500.00.")]}) from None
        if not item.label.strip() or len(item.label) > 60 or abs(amount) >= Decimal("1e12"):
            raise ValidationFailed({"figures": [_("Give each line a label (60 characters at most) and an amount.")]})
        rows.append({"label": item.label.strip(), "amount": str(amount)})
    return rows


@transaction.atomic
def disclosure_publish(
    *,
    actor: Any,
    project_id: int,
    kind: str,
    title: str,
    body: str,
    figures: list[FigureIn] | None = None,
    covers_from: dt.date | None = None,
    covers_until: dt.date | None = None,
    outage_kind: str = "",
    outage_starts_at: dt.datetime | None = None,
    outage_ends_at: dt.datetime | None = None,
    affected_area: str = "",
) -> Disclosure:
    """Put an item on the project's board now."""
    scope, project = project_for(actor, project_id, publishes_disclosures)
    if kind not in DisclosureKind.values:
        raise ValidationFailed({"kind": [_("Choose one of the options.")]})
    now = timezone.now()
    item = Disclosure(
        project=project,
        kind=kind,
        title=clean_text(title, field="title", max_length=120),
        body=clean_text(body, field="body", max_length=5000),
        published_at=now,
        published_by=actor,
    )
    if kind in FINANCIAL_KINDS:
        if covers_from is None or covers_until is None or covers_until < covers_from:
            raise ValidationFailed({"covers_from": [_("Give the months the accounts cover.")]})
        item.covers_from, item.covers_until = covers_from, covers_until
        item.figures = _figures(figures or [])
    if kind == DisclosureKind.PLANNED_OUTAGE:
        if outage_kind not in OutageKind.values:
            raise ValidationFailed({"outage_kind": [_("Say what will be cut.")]})
        if outage_starts_at is None or outage_ends_at is None or outage_ends_at <= outage_starts_at:
            raise ValidationFailed({"outage_ends_at": [_("Give when the cut starts and ends.")]})
        if outage_ends_at <= now or outage_ends_at - outage_starts_at > MAX_OUTAGE:
            raise ValidationFailed({"outage_ends_at": [_("Announce a cut that is not over, of at most 3 days.")]})
        item.outage_kind, item.outage_starts_at, item.outage_ends_at = outage_kind, outage_starts_at, outage_ends_at
        item.affected_area = clean_text(affected_area, field="affected_area", max_length=200)
    full_clean(item, exclude=["project", "published_by"])
    item.save()
    if kind == DisclosureKind.PLANNED_OUTAGE:
        _tell_residents(scope, item)
    audit.record(actor, "disclosure.publish", item, {"kind": kind})
    return item


def _tell_residents(scope: Any, item: Disclosure) -> None:
    """Every resident account of the project gets the cut in their inbox (and by SMS)."""
    users = (
        estates.resident_list_for_user(scope, project_id=item.project_id)
        .filter(user__isnull=False)
        .select_related("user")[:MAX_NOTIFIED]
    )
    starts = timezone.localtime(item.outage_starts_at)
    title = _("Planned %(what)s cut %(time)s") % {
        "what": OutageKind(item.outage_kind).label,
        "time": f"{starts:%m-%d %H:%M}",
    }
    for user in {resident.user_id: resident.user for resident in users}.values():
        notify(
            recipient=user,
            title=title,
            body=item.affected_area,
            link=reverse("community:resident_board"),
            channels=["sms"],
            dedup_key=f"community.outage:{item.pk}",
        )


@transaction.atomic
def disclosure_withdraw(*, actor: Any, disclosure_id: int, reason: str) -> Disclosure:
    """Take an item down (a mistake); it stays on record and no longer counts for the board."""
    scope = scope_for_user(actor)
    item = selectors.disclosure_get_for_user(scope, disclosure_id)
    require(publishes_disclosures(scope, item.project_id, item.project.company_id))
    text = clean_text(reason, field="reason", max_length=300, message=_("Say why it is withdrawn."))
    now = timezone.now()
    if not Disclosure.objects.filter(pk=item.pk, status=DisclosureStatus.PUBLISHED).update(
        status=DisclosureStatus.WITHDRAWN, withdrawn_at=now, updated_at=now
    ):
        raise Conflict(_("This item is already withdrawn."))
    item.refresh_from_db()
    audit.record(actor, "disclosure.withdraw", item, {"reason": text})
    return item
