"""The schema says null where an answer can hold null: every field of our serializers whose
source is a nullable column (or reached through a nullable relation) is nullable in the schema."""

from __future__ import annotations

import pytest
from django.db import models
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

import cchc.api_urls  # noqa: F401 (every serializer imported)


def _subclasses(cls) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        found += [sub, *_subclasses(sub)]
    return found


def model_serializers() -> list[type[serializers.ModelSerializer]]:
    return sorted(
        {s for s in _subclasses(serializers.ModelSerializer) if s.__module__.startswith("cchc.")},
        key=lambda s: s.__qualname__,
    )


def column_is_nullable(model: type[models.Model], source_attrs: list[str]) -> bool | None:
    """Whether the dotted source can be null; None when it is not a chain of columns."""
    for attr in source_attrs:
        try:
            column = model._meta.get_field(attr)
        except Exception:
            return None
        if column.null:
            return True
        if not column.is_relation:
            return False
        model = column.related_model
    return False


@pytest.fixture(scope="module")
def components() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)["components"]["schemas"]


def nullable_fields() -> list[tuple[str, str]]:
    pairs = []
    for serializer_class in model_serializers():
        serializer = serializer_class()
        model = serializer_class.Meta.model
        for name, field in serializer.fields.items():
            if isinstance(field, serializers.ListSerializer | serializers.ManyRelatedField):
                continue
            if column_is_nullable(model, field.source_attrs):
                pairs.append((serializer_class.__name__.removesuffix("Serializer"), name))
    return pairs


def test_the_known_nullable_fields_are_found():
    found = set(nullable_fields())
    for pair in [
        ("Dossier", "assignee"),
        ("Dossier", "handling_unit"),
        ("DossierDetail", "department"),
        ("Unit", "parent"),
        ("Unit", "merged_into"),
    ]:
        assert pair in found


@pytest.mark.parametrize("component,name", nullable_fields())
def test_nullable_column_is_nullable_in_the_schema(components, component, name):
    schema = components[component]["properties"][name]
    assert schema.get("nullable") is True, (component, name, schema)
