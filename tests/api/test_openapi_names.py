"""Every schema the API uses has a name of its own in the OpenAPI document.

django-ninja names a component after its class, so two apps' ``CertificateOut`` became one component and the
response of one route was documented (and validated by schemathesis) with the other app's fields.
"""

from __future__ import annotations

import typing
from collections import defaultdict

import pydantic

from haofuwu.api import api


def _models(annotation: object, found: set[type[pydantic.BaseModel]]) -> None:
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        if annotation not in found:
            found.add(annotation)
            for field in annotation.model_fields.values():
                _models(field.annotation, found)
        return
    for argument in typing.get_args(annotation):
        _models(argument, found)


def test_no_two_schemas_of_the_api_share_a_name() -> None:
    found: set[type[pydantic.BaseModel]] = set()
    for _prefix, router in api._routers:
        for path_view in router.path_operations.values():
            for operation in path_view.operations:
                for model in [*operation.response_models.values(), *operation.models]:
                    _models(model, found)
    modules_by_name: dict[str, set[str]] = defaultdict(set)
    for model in found:
        if model.__module__.startswith("haofuwu."):
            modules_by_name[model.__name__].add(model.__module__)
    assert len(found) > 100
    clashes = {name: sorted(modules) for name, modules in modules_by_name.items() if len(modules) > 1}
    assert not clashes, f"schemas sharing an OpenAPI name: {clashes}"
