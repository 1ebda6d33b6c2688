"""Generic passes that make any vendor spec generator-safe.

Each pass is a function ``(doc, ctx) -> None`` that edits the parsed document in place and records
what it changed in ``ctx.notes``. A pass knows problems, never particular schema names: per-vendor
choices come from ``specs/<vendor>.config.yaml`` (``ctx.options``) and per-vendor facts from overlays.
The order matters and is fixed by ``PASSES``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.passes._context import PassContext
from pipeline.passes.auth_headers import drop_auth_header_parameters
from pipeline.passes.model_names import assign_model_names
from pipeline.passes.operation_ids import synthesize_operation_ids
from pipeline.passes.refs import check_references

Pass = Callable[[dict[str, Any], PassContext], None]

PASSES: tuple[Pass, ...] = (
    check_references,
    drop_auth_header_parameters,
    synthesize_operation_ids,
    assign_model_names,
)

__all__ = ["PASSES", "Pass", "PassContext"]
