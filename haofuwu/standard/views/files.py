"""The evidence file itself, served through the caller's scope (``core/private_files.py``)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest
from django.http.response import HttpResponseBase

from haofuwu.core import private_files
from haofuwu.standard import presenters, selectors
from haofuwu.standard.views.common import _scope


@login_required
def evidence_file(request: HttpRequest, evidence_id: int) -> HttpResponseBase:
    """An evidence file, for those who may read the evidence (404 otherwise)."""
    evidence = selectors.evidence_get_for_user(_scope(request), evidence_id)
    return private_files.file_response(evidence.file, download_name=presenters.evidence_download_name(evidence))
