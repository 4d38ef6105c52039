"""Photos of work orders: checked and stored with a write, or added on their own."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from haofuwu.accounts.selectors import scope_for_user
from haofuwu.core import private_files
from haofuwu.core.errors import READ_ONLY, PermissionDenied, ValidationFailed
from haofuwu.workorders.choices import Status
from haofuwu.workorders.models import WorkOrder, WorkOrderPhoto
from haofuwu.workorders.permissions import relations
from haofuwu.workorders.photos import MAX_PHOTOS
from haofuwu.workorders.services.common import _event, _locked


def _check_photos(photos: Sequence[UploadedFile]) -> list[private_files.AcceptedFile]:
    """Refuse the whole upload if any photo is not acceptable; return each photo decoded and re-encoded."""
    if len(photos) > MAX_PHOTOS:
        raise ValidationFailed({"photos": [_("At most %(count)d photos at a time.") % {"count": MAX_PHOTOS}]})
    return [
        private_files.accept_upload(photo, kinds=private_files.PHOTO, field="photos", max_mb=settings.PHOTO_MAX_MB)
        for photo in photos
    ]


def _save_photos(order: WorkOrder, checked: list[private_files.AcceptedFile], *, stage: str, actor: Any) -> None:
    for photo in checked:
        WorkOrderPhoto.objects.create(
            work_order=order,
            stage=stage,
            image=photo.as_file(),
            content_type=photo.content_type,
            size=photo.size,
            uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
        )


def _store_photos(order: WorkOrder, photos: Sequence[UploadedFile], *, stage: str, actor: Any) -> None:
    _save_photos(order, _check_photos(photos), stage=stage, actor=actor)


@transaction.atomic
def work_order_add_photos(*, actor: Any, work_order_id: int, photos: Sequence[UploadedFile]) -> list[WorkOrderPhoto]:
    """Add photos: the reporting household before work is done, staff who act on it at any time."""
    scope = scope_for_user(actor)
    order = _locked(scope, work_order_id)
    mine = relations(scope, order)
    if not mine:
        raise PermissionDenied(READ_ONLY)
    if not photos:
        raise ValidationFailed({"files": [_("Choose at least one photo.")]})
    stage = (
        "resolution" if mine & {"assignee", "manage", "service"} and order.status == Status.IN_PROGRESS else "report"
    )
    before = set(order.photos.values_list("pk", flat=True))
    _store_photos(order, photos, stage=stage, actor=actor)
    added = list(order.photos.exclude(pk__in=before))
    _event(order, actor, "photos", before=order.status, data={"count": len(added), "stage": stage})
    return added
