"""``haofuwu ingest-key create --project ID``: create an ingestion key for a project's devices (printed once);
``list --project ID`` and ``revoke --id KEY_ID`` too."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from haofuwu.accounts.selectors import command_actor, scope_for_user
from haofuwu.core.errors import DomainError
from haofuwu.energy import selectors, services


class Command(BaseCommand):
    help = "Create, list or revoke a project's ingestion keys."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["create", "list", "revoke"])
        parser.add_argument("--project", type=int, help="project id (create, list)")
        parser.add_argument("--id", type=int, dest="key_id", help="key id (revoke)")
        parser.add_argument("--name", default="", help="what the key is for, e.g. the gateway's location")
        parser.add_argument("--as", dest="username", help="act as this user (default: a platform administrator)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            actor = command_actor(options["username"])
            if options["action"] == "revoke":
                if not options["key_id"]:
                    raise CommandError("revoke needs --id", returncode=2)
                key = services.ingest_key_revoke(actor=actor, key_id=options["key_id"])
                self.stdout.write(f"Revoked {key.prefix}…")
                return
            if not options["project"]:
                raise CommandError(f"{options['action']} needs --project", returncode=2)
            if options["action"] == "list":
                keys = selectors.ingest_key_list_for_user(scope_for_user(actor), project_id=options["project"])
                for key in keys:
                    state = "revoked" if key.revoked_at else "active"
                    self.stdout.write(f"{key.pk}\t{key.prefix}…\t{state}\t{key.name}")
                return
            key, raw = services.ingest_key_create(actor=actor, project_id=options["project"], name=options["name"])
        except DomainError as error:
            raise CommandError(error.message, returncode=2) from None
        self.stdout.write(raw)
        self.stderr.write(f"Key {key.pk} for project {key.project_id}; it is shown only this once.")
