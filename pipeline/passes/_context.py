from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs

from pipeline.errors import PipelineError

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


@attrs.define(kw_only=True)
class PassContext:
    """What a pass may know besides the document: who it is for and the vendor's options."""

    vendor: str
    file: Path
    options: dict[str, Any] = attrs.field(factory=dict)
    notes: list[str] = attrs.field(factory=list)
    # schema key -> model name: read from specs/<vendor>.names.json (kept), and what model_names assigned
    recorded_names: dict[str, str] = attrs.field(factory=dict)
    assigned_names: dict[str, str] = attrs.field(factory=dict)

    def fail(self, problem: str) -> PipelineError:
        return PipelineError(problem, vendor=self.vendor, file=self.file)

    def note(self, message: str) -> None:
        self.notes.append(message)


def operations(doc: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Every ``(path, method, operation)`` of the document, in document order."""
    for path, item in (doc.get("paths") or {}).items():
        if not isinstance(item, dict):
            continue
        for method in HTTP_METHODS:
            op = item.get(method)
            if isinstance(op, dict):
                yield path, method, op
