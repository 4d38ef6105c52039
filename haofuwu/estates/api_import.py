"""API of spreadsheet import and export."""

from ninja import Router

router = Router(tags=["import"])
