"""The ``haofuwu`` console script: Django's management commands plus our own.

``haofuwu seed-demo`` and ``haofuwu seed_demo`` are the same command: hyphens are accepted for readability.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haofuwu.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "haofuwu"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
