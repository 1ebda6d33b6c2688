"""Compare JSON as the wire means it: a model's ``to_dict()`` against the body it was parsed from.

The generated models re-serialize ``date-time`` strings with ``datetime.isoformat()``, so
``1965-07-10T06:58:11.0Z`` comes back as ``1965-07-10T06:58:11+00:00``: the same instant, other text.
Everything else must match exactly.

    assert not json_differences(model.to_dict(), body)
"""

from __future__ import annotations

import datetime

from dateutil.parser import isoparse

__all__ = ["json_differences"]


def _instant(text: str) -> datetime.datetime | None:
    try:
        return isoparse(text)
    except (ValueError, OverflowError):
        return None


def json_differences(actual: object, expected: object, path: str = "$") -> list[str]:
    """Where ``actual`` and ``expected`` differ (JSONPath-ish locations); empty when they match."""
    if isinstance(actual, dict) and isinstance(expected, dict):
        problems = [f"{path}: unexpected key {k!r}" for k in actual.keys() - expected.keys()]
        problems += [f"{path}: missing key {k!r}" for k in expected.keys() - actual.keys()]
        for key in actual.keys() & expected.keys():
            problems += json_differences(actual[key], expected[key], f"{path}.{key}")
        return problems
    if isinstance(actual, list) and isinstance(expected, list):
        if len(actual) != len(expected):
            return [f"{path}: {len(actual)} items, expected {len(expected)}"]
        return [
            p
            for i, (a, e) in enumerate(zip(actual, expected, strict=True))
            for p in json_differences(a, e, f"{path}[{i}]")
        ]
    if isinstance(actual, str) and isinstance(expected, str) and actual != expected:
        a, e = _instant(actual), _instant(expected)
        if a is not None and a == e:
            return []
    # bool is an int in Python: compare types too, so True never passes for 1.
    if type(actual) is not type(expected) and not (_is_number(actual) and _is_number(expected)):
        return [f"{path}: {actual!r} ({type(actual).__name__}), expected {expected!r} ({type(expected).__name__})"]
    return [] if actual == expected else [f"{path}: {actual!r}, expected {expected!r}"]


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
