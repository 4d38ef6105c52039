"""Fixtures of the standard tests: the test catalogues are found beside the shipped ones."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _test_catalogues(settings):  # type: ignore[no-untyped-def]
    settings.STANDARD_CATALOGUE_DIRS = [str(Path(__file__).parent / "catalogues")]


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Uploaded files go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path
