"""Strict mode: find enum values in a parsed model that the spec does not list.

Generated enums are tolerant (an unknown value from the vendor is kept, not a crash), which keeps old clients
working when a vendor adds a value. A client created with ``strict=True`` calls ``find_unknown_enum`` on every
parsed body and raises ``ResponseValidationError`` naming the field and the value::

    found = find_unknown_enum(parsed_page)
    if found:
        path, value, enum_name = found  # ("body.results[3].packaging_attribute", "Glass", "PackagingAttribute")
"""

from __future__ import annotations

import enum
from collections.abc import Iterator, Mapping
from typing import Any, Final

import attrs

__all__ = ["find_unknown_enum"]

# Generated models nest a few levels deep; the bound only guards against a pathological self-referencing body.
_MAX_DEPTH: Final = 64


def _is_declared(value: enum.Enum) -> bool:
    # A tolerant enum's ``_missing_`` makes pseudo-members; only the declared ones appear when iterating.
    return any(value is member for member in type(value))


def _children(parsed: Any, path: str) -> Iterator[tuple[str, Any]]:
    """The (path, value) pairs one level below ``parsed``: attrs fields, list items, mapping values."""
    if attrs.has(type(parsed)):
        for field in attrs.fields(type(parsed)):
            # additional_properties holds unmodelled keys: name them as if they were fields.
            sub = path if field.name == "additional_properties" else f"{path}.{field.name}"
            yield sub, getattr(parsed, field.name)
    elif isinstance(parsed, list | tuple):
        for index, item in enumerate(parsed):
            yield f"{path}[{index}]", item
    elif isinstance(parsed, Mapping):
        for key, item in parsed.items():
            yield f"{path}.{key}", item


def find_unknown_enum(parsed: Any, path: str = "body", _depth: int = 0) -> tuple[str, object, str] | None:
    """Return ``(field path, value, enum class name)`` of the first undeclared enum value, or None.

    Walks attrs models (including ``additional_properties``), lists, tuples and dicts.

    Example::

        assert find_unknown_enum([]) is None
    """
    if isinstance(parsed, enum.Enum):
        return None if _is_declared(parsed) else (path, parsed.value, type(parsed).__name__)
    if _depth >= _MAX_DEPTH:
        return None
    for sub, value in _children(parsed, path):
        found = find_unknown_enum(value, sub, _depth + 1)
        if found is not None:
            return found
    return None
