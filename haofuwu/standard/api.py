"""API of the standard app."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["standard"])
