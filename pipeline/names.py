"""The committed record of model names: ``specs/<vendor>.names.json``, schema key -> Python class name.

A vendor spec update adds schemas whose names collide with existing ones (Fourthwall 2026-03-17 ->
2026-04-24 renamed four unchanged schemas, ``EntireOrder`` among them, under key-only naming). With
this record a schema keeps the name it was first given for as long as its key exists; only the new
schema falls back to a more qualified name. ``generate`` rewrites the record (sorted, one key a line,
so a review shows exactly which names were added or dropped) and ``check`` fails when it is stale.
The names are still computed from the repository's files only: the spec, the config and this record.

Example: ``{"com.fourthwall.openapi.model.StockV1": "StockV1", ...}``; delete an entry (or the
file) to let the pipeline name that schema afresh.
"""

from __future__ import annotations

import json
from typing import Any

from pipeline.errors import PipelineError
from pipeline.vendors import Vendor

_COMMENT = "Model names assigned so far (schema key -> class name); kept by `nox -s generate`, see pipeline/names.py."


def read(vendor: Vendor) -> dict[str, str]:
    """The recorded names, or ``{}`` when there is no record yet."""
    try:
        data: Any = json.loads(vendor.names.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except ValueError as err:
        raise PipelineError(f"not valid JSON: {err}", vendor=vendor.name, file=vendor.rel(vendor.names)) from err
    names = data.get("names") if isinstance(data, dict) else None
    if not isinstance(names, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in names.items()):
        raise PipelineError(
            "needs a `names` mapping of schema key to class name", vendor=vendor.name, file=vendor.rel(vendor.names)
        )
    return dict(names)


def render(names: dict[str, str]) -> str:
    """The record's text: deterministic (keys sorted), one entry a line."""
    return json.dumps({"comment": _COMMENT, "names": dict(sorted(names.items()))}, indent=1, ensure_ascii=False) + "\n"
