"""Permission matrix of the standard API (see haofuwu/core/tests/matrix.py)."""

from __future__ import annotations

# (METHOD, path) of every route walked by this module's matrix; tests/api/test_matrix_coverage.py checks them all.
ROUTES: set[tuple[str, str]] = set()
# Routes whose permissions are tested elsewhere (name the test module in a comment beside each).
OWN_ROUTES: set[tuple[str, str]] = set()
