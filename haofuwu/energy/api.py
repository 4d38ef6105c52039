"""API of the energy app."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["energy"])
