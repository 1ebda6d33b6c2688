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
from pipeline.passes.component_aliases import resolve_component_aliases
from pipeline.passes.compositions import relax_allof_consts
from pipeline.passes.enums import name_enum_members
from pipeline.passes.media_types import normalize_media_types
from pipeline.passes.model_names import assign_model_names
from pipeline.passes.nullable_refs import carry_nullable_refs
from pipeline.passes.operation_ids import synthesize_operation_ids
from pipeline.passes.parameters import give_parameters_schemas
from pipeline.passes.properties import repair_properties
from pipeline.passes.ref_keys import canonical_component_refs
from pipeline.passes.refs import check_references
from pipeline.passes.schema_types import fix_schema_types
from pipeline.passes.tags import fold_tags

Pass = Callable[[dict[str, Any], PassContext], None]

PASSES: tuple[Pass, ...] = (
    check_references,
    canonical_component_refs,
    resolve_component_aliases,
    give_parameters_schemas,
    fix_schema_types,
    normalize_media_types,
    drop_auth_header_parameters,
    synthesize_operation_ids,
    fold_tags,
    repair_properties,
    relax_allof_consts,
    carry_nullable_refs,
    name_enum_members,
    assign_model_names,
)

__all__ = ["PASSES", "Pass", "PassContext"]
