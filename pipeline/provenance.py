"""Provenance records: where a vendored spec came from, its sha256, and the date it was vendored.

``source`` is the vendor's upstream (the URL the vendor publishes the spec at, or the URL it was
downloaded from); ``copy`` names the public copy the bytes were taken from when they did not come
from the vendor directly (e.g. ``"github.com/Agash/Fourthwall.Client@80059f8 specs/x.yaml"``).

``specs/<vendor>.provenance.json`` is checked before every build, so a spec edited by hand (or
replaced without ``nox -s update_specs``) is caught instead of silently generating from it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import attrs

from pipeline.errors import PipelineError
from pipeline.vendors import Vendor


@attrs.frozen(kw_only=True)
class Provenance:
    spec: str
    source: str
    sha256: str
    vendored: str
    copy: str = ""
    note: str = ""

    def to_json(self) -> str:
        record = attrs.asdict(self)
        for optional in ("copy", "note"):
            if not record[optional]:
                del record[optional]
        return json.dumps(record, indent=2) + "\n"


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read(vendor: Vendor) -> Provenance:
    path = vendor.provenance
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
        return Provenance(
            **{k: data[k] for k in ("spec", "source", "sha256", "vendored")},
            copy=data.get("copy", ""),
            note=data.get("note", ""),
        )
    except FileNotFoundError as err:
        raise PipelineError("missing provenance record", vendor=vendor.name, file=vendor.rel(path)) from err
    except (ValueError, KeyError, TypeError) as err:
        raise PipelineError(
            f"bad provenance record (needs spec, source, sha256, vendored): {err!r}",
            vendor=vendor.name,
            file=vendor.rel(path),
        ) from err


def check(vendor: Vendor, spec_bytes: bytes) -> Provenance:
    """The provenance record, after checking it matches the vendored bytes."""
    record = read(vendor)
    actual = sha256_of(spec_bytes)
    if record.sha256 != actual:
        raise PipelineError(
            f"sha256 is {actual} but {vendor.rel(vendor.provenance)} records {record.sha256}: the vendored spec "
            "was changed without updating its provenance; use `nox -s update_specs` to vendor a new spec",
            vendor=vendor.name,
            file=vendor.rel(vendor.spec),
        )
    return record


def new_record(
    vendor: Vendor, *, source: str, data: bytes, copy: str = "", note: str = "", today: dt.date | None = None
) -> Provenance:
    day = (today or dt.datetime.now(dt.UTC).date()).isoformat()
    return Provenance(spec=vendor.spec.name, source=source, sha256=sha256_of(data), vendored=day, copy=copy, note=note)


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and ``os.replace``: never a half-written file."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
