"""Small helpers for raw SQL shared by the apps."""

from __future__ import annotations

from collections.abc import Iterable


def pg_array(values: Iterable[int | float]) -> str:
    """Numbers as the text of a PostgreSQL array (``{1,2.5}``), to send as one parameter cast to an array
    (``= ANY(%s::bigint[])``, ``unnest(%s::float8[])``): the server converts it, which costs less than the driver
    quoting a list element by element. ``repr`` of a float is its shortest exact form, which PostgreSQL reads back
    to the same double."""
    return "{" + ",".join(map(repr, values)) + "}"
