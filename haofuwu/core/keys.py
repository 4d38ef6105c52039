"""Key rotation: re-encrypt every encrypted column under the current field key and recompute every registered
lookup digest under the current lookup key (``haofuwu rotate-keys``).

Models are found through Django's app registry, so core names no domain app. Rows are read in primary-key order in
batches and each batch is written in one transaction; a value that no configured key decrypts stops the run
before that batch is written, naming the model and the row, and nothing of it is overwritten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import models, transaction

from haofuwu.core.crypto import LOOKUP_DIGESTS, EncryptedTextField, UndecryptableValue

BATCH_SIZE = 500


@dataclass
class RotationReport:
    """Rows rewritten per model, and the rows whose values no key decrypts."""

    rewritten: dict[str, int] = field(default_factory=dict)
    undecryptable: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.rewritten.values())


_Digest = tuple[str, Callable[[str | None], str], str]


def _targets() -> list[tuple[type[models.Model], list[str], list[_Digest]]]:
    found: list[tuple[type[models.Model], list[str], list[_Digest]]] = []
    for model in apps.get_models():
        encrypted = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        digests: list[_Digest] = [
            (digest.field, digest.compute, digest.source)
            for digest in LOOKUP_DIGESTS
            if digest.model == model._meta.label
        ]
        if encrypted or digests:
            found.append((model, encrypted, digests))
    return found


def rotate_keys(*, dry_run: bool = False, on_progress: Callable[[str, int], None] | None = None) -> RotationReport:
    """Rewrite every encrypted value and lookup digest under the current keys (or, with ``dry_run``, only check
    that every value decrypts)."""
    report = RotationReport()
    for model, encrypted, digests in _targets():
        label = model._meta.label
        sources = sorted({*encrypted, *(source for _field, _compute, source in digests)})
        last_pk = None
        count = 0
        while True:
            page = model._default_manager.order_by("pk")
            if last_pk is not None:
                page = page.filter(pk__gt=last_pk)
            try:
                rows = list(page.values_list("pk", *sources)[:BATCH_SIZE])
            except UndecryptableValue:
                report.undecryptable.append(_first_undecryptable(model, sources, last_pk))
                break
            if not rows:
                break
            last_pk = rows[-1][0]
            if not dry_run:
                with transaction.atomic():
                    for pk, *values in rows:
                        clear = dict(zip(sources, values, strict=True))
                        updates = {name: clear[name] for name in encrypted}
                        updates.update({name: compute(clear[source]) for name, compute, source in digests})
                        # update() sends each encrypted value through get_prep_value: encrypted with the first key.
                        model._default_manager.filter(pk=pk).update(**updates)
            count += len(rows)
            if on_progress is not None:
                on_progress(label, count)
        report.rewritten[label] = count
    return report


def _first_undecryptable(model: type[models.Model], sources: list[str], after: object) -> str:
    """Which row of a failed batch cannot be decrypted, for the message (read one row at a time)."""
    queryset = model._default_manager.order_by("pk")
    if after is not None:
        queryset = queryset.filter(pk__gt=after)
    for pk in queryset.values_list("pk", flat=True)[:BATCH_SIZE]:
        try:
            list(model._default_manager.filter(pk=pk).values_list(*sources))
        except UndecryptableValue:
            return f"{model._meta.label} #{pk}"
    return model._meta.label
