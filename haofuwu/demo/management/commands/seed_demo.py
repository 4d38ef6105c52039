"""``haofuwu seed-demo``: load the Jinan demo data set once and (re)set the demo accounts' password."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from haofuwu.demo.dataset import DEFAULT_SEED
from haofuwu.demo.loader import seed_demo
from haofuwu.demo.report import summary_lines

DEFAULT_URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = (
        "Load a realistic Jinan demo data set (3 companies, 6 estates, ~3,000 households) unless it is already "
        "loaded, and set the password of the demo accounts (HAOFUWU_DEMO_PASSWORD, or a random one)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed (default %(default)s).")
        parser.add_argument("--url", default=DEFAULT_URL, help="Address printed for logging in.")

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        result = seed_demo(seed=options["seed"])
        self.stdout.write("\n".join(summary_lines(result, url=options["url"])))
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} s.")
