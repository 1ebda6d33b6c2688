"""Generic passes that make any vendor spec generator-safe.

Each pass is a function ``(doc, ctx) -> None`` that edits the parsed document in place and records
what it changed in ``ctx.notes``. A pass knows problems, never particular schema names: per-vendor
choices come from ``specs/<vendor>.config.yaml`` (``ctx.options``) and per-vendor facts from overlays.
The order matters and is fixed by ``PASSES``:

- ``refs``: every ``$ref`` resolves (else stop, naming it); ``ref_keys``: encoded refs and keys with
  ``/ ~ %`` made plain; ``component_aliases``: components that are only a ``$ref`` are resolved.
- ``parameters``: parameters described by ``content`` get a string schema.
- ``schema_types``: ``type: int`` typos, one-element type arrays, arrays without items, numeric
  parameters typed as strings.
- ``media_types``: one JSON (or binary) media type per body and response.
- ``auth_headers``: ``Authorization`` header parameters dropped (the client authenticates).
- ``operation_ids``: missing, kebab-case or colliding ids (colon custom verbs included); ``tags``: ASCII.
- ``properties``: ``required`` without a property, properties sharing a Python name (``$type``/``type``).
- ``compositions``: ``const`` narrowing inside ``allOf``; ``allof_bases``: untyped ``allOf`` bases typed as
  objects, properties beside ``allOf`` moved into a member; ``unions``: subtypes before their bases;
  ``nullable_refs``: ``X | None`` across ``$ref``.
- ``enums``: member names for any value, odd enums reduced; ``model_names``: class names from keys,
  stable under spec growth, with inline names kept apart from component names.

Each problem has a small spec in ``tests/specs/`` and a test in ``tests/pipeline/test_real_world.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pipeline.passes._context import PassContext
from pipeline.passes.allof_bases import fold_allof_siblings, type_allof_bases
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
from pipeline.passes.single_unions import unwrap_single_unions
from pipeline.passes.tags import fold_tags
from pipeline.passes.unions import order_union_members

Pass = Callable[[dict[str, Any], PassContext], None]

PASSES: tuple[Pass, ...] = (
    check_references,
    canonical_component_refs,
    resolve_component_aliases,
    unwrap_single_unions,
    give_parameters_schemas,
    fix_schema_types,
    normalize_media_types,
    drop_auth_header_parameters,
    synthesize_operation_ids,
    fold_tags,
    repair_properties,
    relax_allof_consts,
    type_allof_bases,
    fold_allof_siblings,
    order_union_members,
    carry_nullable_refs,
    name_enum_members,
    assign_model_names,
)

__all__ = ["PASSES", "Pass", "PassContext"]
