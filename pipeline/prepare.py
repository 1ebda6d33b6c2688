"""Vendored spec -> prepared spec: provenance check, generic passes, vendor overlay, final checks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs

from pipeline import names, provenance
from pipeline.coverage import declared_shapes
from pipeline.errors import PipelineError
from pipeline.loading import load_data_file, parse_document
from pipeline.overlay import apply_overlay
from pipeline.passes import PASSES, PassContext
from pipeline.passes.refs import check_references
from pipeline.vendors import Vendor


@attrs.frozen(kw_only=True)
class Prepared:
    vendor: Vendor
    document: dict[str, Any]
    generator_config: dict[str, Any]
    notes: tuple[str, ...]
    # schema key -> model name, as assigned (the content of specs/<vendor>.names.json after generate)
    names: dict[str, str] = attrs.field(factory=dict)
    # (path, method, status) of the 2xx JSON responses whose schema declares a shape in the vendored spec:
    # they must come out typed even when a pass reduced the schema (see pipeline.coverage)
    declared_shapes: frozenset[tuple[str, str, str]] = frozenset()

    def to_json(self) -> str:
        """The prepared spec as it is handed to the generator (deterministic, reviewable)."""
        return json.dumps(self.document, indent=2, ensure_ascii=False) + "\n"


def load_config(vendor: Vendor) -> tuple[dict[str, Any], dict[str, Any]]:
    """``(generator options, prepare options)`` from ``specs/<vendor>.config.yaml``."""
    data = load_data_file(vendor.config, vendor=vendor.name, display=vendor.rel(vendor.config))
    if data is None and not vendor.registered:
        return vendor.default_generator_options(), {}
    if data is None:
        raise PipelineError("missing vendor config", vendor=vendor.name, file=vendor.rel(vendor.config))
    if not isinstance(data, dict) or not isinstance(data.get("generator"), dict):
        raise PipelineError("needs a `generator:` mapping", vendor=vendor.name, file=vendor.rel(vendor.config))
    return data["generator"], data.get("prepare") or {}


def prepare(vendor: Vendor, *, check_provenance: bool = True) -> Prepared:
    spec_file = vendor.rel(vendor.spec)
    try:
        raw = vendor.spec.read_bytes()
    except OSError as err:
        raise PipelineError(f"cannot read: {err.strerror}", vendor=vendor.name, file=spec_file) from err
    if check_provenance and vendor.registered:
        provenance.check(vendor, raw)
    doc = parse_document(raw, source=spec_file, vendor=vendor.name)
    generator_options, prepare_options = load_config(vendor)
    declared = declared_shapes(doc)
    ctx = PassContext(vendor=vendor.name, file=spec_file, options=prepare_options, recorded_names=names.read(vendor))
    for step in PASSES:
        try:
            step(doc, ctx)
        except PipelineError:
            raise
        except Exception as err:  # a shape no pass expected: still name the spec and the pass
            raise ctx.fail(f"pass {step.__name__} could not handle the spec: {type(err).__name__}: {err}") from err
    overlay = load_data_file(vendor.overlay, vendor=vendor.name, display=vendor.rel(vendor.overlay))
    if overlay is not None:
        ctx.notes.extend(apply_overlay(doc, overlay, vendor=vendor.name, file=vendor.rel(vendor.overlay)))
        check_references(doc, attrs.evolve(ctx, file=vendor.rel(vendor.overlay)))
    return Prepared(
        vendor=vendor,
        document=doc,
        generator_config=generator_options,
        notes=tuple(ctx.notes),
        names=dict(ctx.assigned_names),
        declared_shapes=declared,
    )


def write_prepared(prepared: Prepared, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    out = directory / f"{prepared.vendor.name}.prepared.json"
    out.write_text(prepared.to_json(), encoding="utf-8")
    return out
