"""``haofuwu rotate-keys``: re-encrypt personal data under the first key of HAOFUWU_FIELD_KEYS and recompute the
lookup digests under HAOFUWU_LOOKUP_KEY."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from haofuwu.core.keys import rotate_keys


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted column with the first key of HAOFUWU_FIELD_KEYS and recompute every lookup "
        "digest with HAOFUWU_LOOKUP_KEY. Run it after putting a new field key first (keep the old one after it "
        "until this has finished), after changing the lookup key, and once after upgrading from a version whose "
        "digests were keyed by the secret key. Safe to run again; stops at a value no key decrypts."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--dry-run", action="store_true", help="Only check that every value decrypts.")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        report = rotate_keys(dry_run=options["dry_run"])
        for label, count in sorted(report.rewritten.items()):
            verb = "checked" if options["dry_run"] else "rewritten"
            self.stdout.write(f"{label}: {count} rows {verb}")
        if report.undecryptable:
            raise CommandError(
                "cannot decrypt " + ", ".join(report.undecryptable) + ": add the key that encrypted them to "
                "HAOFUWU_FIELD_KEYS (after the current one) and run again",
                returncode=2,
            )
        self.stdout.write(self.style.SUCCESS(f"{report.total} rows under the current keys."))
