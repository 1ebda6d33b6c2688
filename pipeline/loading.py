"""Load OpenAPI YAML/JSON the way OpenAPI 3.1 means it (YAML 1.2 scalars), with errors that name the file.

PyYAML implements YAML 1.1, where ``2024-01-01T00:00:00Z`` becomes a ``datetime`` and ``yes``/``on`` become
booleans. Vendor specs carry both in examples and enums, and the generator (and JSON) cannot take a
``datetime``. So the loader keeps timestamps as strings and only ``true``/``false`` as booleans.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from pipeline.errors import PipelineError

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _OpenApiLoader(_BaseLoader):  # type: ignore[valid-type,misc]
    """SafeLoader with YAML 1.2 booleans and no timestamp resolution."""


_OpenApiLoader.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")
    ]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}
_OpenApiLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def parse_document(text: str | bytes, *, source: Path | str, vendor: str | None = None) -> dict[str, Any]:
    """Parse an OpenAPI document and check its top level; raise ``PipelineError`` naming ``source``."""
    try:
        data = yaml.load(text, Loader=_OpenApiLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.YAMLError as err:
        raise PipelineError(f"not valid YAML: {_one_line(err)}", vendor=vendor, file=source) from err
    except ValueError as err:  # e.g. undecodable bytes
        raise PipelineError(f"cannot be read as text: {err}", vendor=vendor, file=source) from err
    if not isinstance(data, dict):
        raise PipelineError(
            f"not an OpenAPI document: top level is {type(data).__name__}, expected a mapping",
            vendor=vendor,
            file=source,
        )
    version = data.get("openapi")
    if not isinstance(version, str) or not version.startswith("3."):
        raise PipelineError(f"not an OpenAPI 3.x document: 'openapi' is {version!r}", vendor=vendor, file=source)
    if not isinstance(data.get("paths"), dict):
        raise PipelineError("not an OpenAPI document: no 'paths' mapping", vendor=vendor, file=source)
    return data


def load_document(path: Path, *, vendor: str | None = None, display: Path | None = None) -> dict[str, Any]:
    """Read and parse ``path`` (see ``parse_document``)."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise PipelineError(f"cannot read: {err.strerror}", vendor=vendor, file=display or path) from err
    return parse_document(raw, source=display or path, vendor=vendor)


def load_data_file(path: Path, *, vendor: str | None = None, display: Path | None = None) -> Any:
    """Read one of our own YAML data files (config, overlay); a missing file is ``None``."""
    if not path.exists():
        return None
    try:
        return yaml.load(path.read_bytes(), Loader=_OpenApiLoader)  # noqa: S506
    except yaml.YAMLError as err:
        raise PipelineError(f"not valid YAML: {_one_line(err)}", vendor=vendor, file=display or path) from err


def _one_line(err: Exception) -> str:
    return " ".join(str(err).split())
