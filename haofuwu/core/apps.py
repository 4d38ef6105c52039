import contextlib
import os
from pathlib import Path
from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "haofuwu.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Every app's metrics.py registers its metrics; the standard engine finds them by name.
        from haofuwu.core import metrics

        metrics.autodiscover()
        connection_created.connect(_owner_only_sqlite_files, dispatch_uid="haofuwu.core.owner_only_sqlite_files")


def _owner_only_sqlite_files(sender: Any, connection: Any, **kwargs: Any) -> None:
    """The SQLite database (and its -wal and -shm files, which SQLite creates with the database's mode) readable
    by the server's own user only; the default umask would leave them readable by every user of the machine."""
    if connection.vendor != "sqlite":
        return
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:"):
        return
    for suffix in ("", "-wal", "-shm"):
        path = Path(name + suffix)
        with contextlib.suppress(OSError):
            if path.exists() and path.stat().st_uid == os.getuid() and path.stat().st_mode & 0o077:
                path.chmod(0o600)
