"""The catalogues in force: files in ``haofuwu/standard/catalogues/``, loaded once per process and reloaded when a
file changes. Which version applies to a period comes from each file's effective_from/effective_to."""

from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path

from haofuwu.standard.catalogue.loader import CatalogueError, load_catalogue
from haofuwu.standard.catalogue.schema import Catalogue

logger = logging.getLogger(__name__)

CATALOGUE_DIR = Path(__file__).resolve().parent.parent / "catalogues"
# The catalogue a period is evaluated under when nobody names one: the city's current standard.
DEFAULT_CODE = "jinan-2025"

_lock = threading.Lock()
_cache: dict[Path, tuple[float, Catalogue | None, CatalogueError | None]] = {}


class CatalogueNotFound(LookupError):
    """No catalogue of that code is in force for the period."""


def catalogue_dirs() -> list[Path]:
    """The shipped catalogues, then any folders named in ``settings.STANDARD_CATALOGUE_DIRS`` (a city's own)."""
    from django.conf import settings

    extra = [Path(folder) for folder in getattr(settings, "STANDARD_CATALOGUE_DIRS", [])]
    return [CATALOGUE_DIR, *extra]


def _load(path: Path) -> tuple[Catalogue | None, CatalogueError | None]:
    mtime = path.stat().st_mtime
    with _lock:
        cached = _cache.get(path)
        if cached is not None and cached[0] == mtime:
            return cached[1], cached[2]
    try:
        catalogue, error = load_catalogue(path), None
    except CatalogueError as problem:
        catalogue, error = None, problem
        logger.warning("Catalogue %s is invalid and ignored:\n%s", path, problem)
    with _lock:
        _cache[path] = (mtime, catalogue, error)
    return catalogue, error


def catalogue_files(directory: Path | None = None) -> list[Path]:
    folders = [directory] if directory else catalogue_dirs()
    return sorted(path for folder in folders if folder.is_dir() for path in folder.glob("*.yaml"))


def all_catalogues(directory: Path | None = None) -> list[Catalogue]:
    """Every valid catalogue, by code and then effective date; invalid files are logged and left out."""
    found = [catalogue for path in catalogue_files(directory) if (catalogue := _load(path)[0]) is not None]
    return sorted(found, key=lambda c: (c.code, c.effective_from))


def invalid_catalogues(directory: Path | None = None) -> dict[str, CatalogueError]:
    """Files that failed validation, with why."""
    found = {}
    for path in catalogue_files(directory):
        error = _load(path)[1]
        if error is not None:
            found[str(path)] = error
    return found


def codes(directory: Path | None = None) -> list[str]:
    return sorted({catalogue.code for catalogue in all_catalogues(directory)})


def catalogue_for(code: str | None, day: dt.date, directory: Path | None = None) -> Catalogue:
    """The version of ``code`` in force on ``day`` (default: the city's standard, else the newest in force)."""
    catalogues = [c for c in all_catalogues(directory) if c.in_force_on(day)]
    if code:
        matching = [c for c in catalogues if c.code == code]
        if not matching:
            raise CatalogueNotFound(f"no version of catalogue {code!r} is in force on {day}")
        return matching[-1]
    default = [c for c in catalogues if c.code == DEFAULT_CODE]
    if default:
        return default[-1]
    if not catalogues:
        raise CatalogueNotFound(f"no catalogue is in force on {day}")
    return max(catalogues, key=lambda c: c.effective_from)


def catalogue_by_key(code: str, version: str | None = None, directory: Path | None = None) -> Catalogue | None:
    """A catalogue by code and version (the newest version when none is given)."""
    matching = [c for c in all_catalogues(directory) if c.code == code and (version is None or c.version == version)]
    return matching[-1] if matching else None
