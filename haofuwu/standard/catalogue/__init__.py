"""The standard's catalogues: loading, validation and which version is in force (docs/standard-catalogue.md)."""

from haofuwu.standard.catalogue.loader import CatalogueError, CatalogueProblem, load_catalogue, parse_catalogue
from haofuwu.standard.catalogue.schema import AppliesTo, Catalogue, Group, Indicator, Title
from haofuwu.standard.catalogue.store import (
    CatalogueNotFound,
    all_catalogues,
    catalogue_by_key,
    catalogue_for,
    codes,
    invalid_catalogues,
)

__all__ = [
    "AppliesTo",
    "Catalogue",
    "CatalogueError",
    "CatalogueNotFound",
    "CatalogueProblem",
    "Group",
    "Indicator",
    "Title",
    "all_catalogues",
    "catalogue_by_key",
    "catalogue_for",
    "codes",
    "invalid_catalogues",
    "load_catalogue",
    "parse_catalogue",
]
