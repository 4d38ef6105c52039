"""The text ``seed-demo`` and ``demo`` print: what was loaded and how to log in."""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from haofuwu.demo.loader import SeedResult


def _width(text: str) -> int:
    """Columns a string takes in a terminal: Chinese characters are two wide."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def table(header: tuple[str, ...], rows: list[tuple[str, ...]]) -> list[str]:
    """A plain-text table whose columns line up with Chinese text in them."""
    widths = [max(_width(row[column]) for row in [header, *rows]) for column in range(len(header))]
    line = "  ".join("-" * width for width in widths)
    format_row = lambda row: "  ".join(_pad(cell, width) for cell, width in zip(row, widths, strict=True))  # noqa: E731
    return [format_row(header), line, *(format_row(row) for row in rows)]


def summary_lines(result: SeedResult, *, url: str) -> list[str]:
    """Counts, then the accounts with the password and the address to open, in the site's language."""
    with translation.override(settings.LANGUAGE_CODE):
        state = (
            _("Loaded the demo data set.")
            if result.is_new
            else _("The demo data set was already loaded; nothing added.")
        )
        lines = [state, ""]
        lines += table((_("table"), _("rows")), [(name, str(count)) for name, count in result.counts.items()])
        if result.open_work_orders:
            lines += [""]
            lines += table(
                (_("Status"), _("Work orders")),
                [(name, str(count)) for name, count in result.open_work_orders.items()],
            )
        lines += ["", _("Demo accounts (all with the same password):"), ""]
        lines += table(
            (_("username"), _("name"), _("role"), _("scope")),
            [(row.username, row.display_name, row.role, row.scope) for row in result.accounts],
        )
        password_label, address_label = _("Password"), _("Open")
        lines += ["", f"{password_label}: {result.password}", f"{address_label}: {url}", ""]
    return lines
