"""Vendor a new spec: fetch (URL) or copy (path), check it is OpenAPI, write it and its provenance atomically.

Every source is fetched and checked before anything is written, so a failed download or an invalid
file for any vendor leaves ``specs/`` exactly as it was. Each file is replaced with
``provenance.write_atomic`` (temporary file + ``os.replace``): never half-written.

The recorded source never holds credentials: user info in the URL is dropped and the values of
query parameters that look like secrets are redacted.

A URL source is recorded as the provenance ``source``. A local path is never recorded: the
maintainer states where the bytes really come from, per vendor, with ``--upstream VENDOR=URL``
(the vendor's published spec; required for a path) and optionally ``--copy VENDOR=TEXT`` (the
public copy the file was taken from, e.g. ``"github.com/owner/repo@COMMIT path/in/repo.yaml"``)
and ``--note VENDOR=TEXT``. Example::

    nox -s update_specs -- shipbob=https://.../openapi.yaml
    nox -s update_specs -- fourthwall=./downloads/fw.yaml \
        --upstream fourthwall=https://docs.fourthwall.com/... \
        --copy "fourthwall=github.com/Agash/Fourthwall.Client@80059f8 specs/fourthwall-platform-open-api.yaml"

In Python: ``update_specs(root, {"fourthwall": Source(location="fw.yaml", upstream="https://...")})``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import attrs
import httpx

from pipeline import provenance
from pipeline.errors import PipelineError
from pipeline.loading import parse_document
from pipeline.vendors import Vendor, vendors

TIMEOUT = httpx.Timeout(60.0, connect=10.0)
MAX_BYTES = 64 * 1024 * 1024  # the largest real vendor spec is a few MB; anything far bigger is not a spec
_SECRET_PARAM = re.compile(r"token|key|secret|sig|password|auth|credential", re.IGNORECASE)


@attrs.frozen(kw_only=True)
class Source:
    """Where to read a spec (``location``: URL or path) and what to record about its origin."""

    location: str
    upstream: str = ""
    copy: str = ""
    note: str = ""

    def recorded_source(self, vendor: str) -> str:
        """The provenance ``source``: the stated upstream, else the URL; a bare local path is refused."""
        if self.upstream:
            if not is_url(self.upstream):
                raise PipelineError(f"--upstream must be an http(s) URL, got {self.upstream!r}", vendor=vendor)
            return redact(self.upstream)
        if is_url(self.location):
            return redact(self.location)
        raise PipelineError(
            f"{self.location} is a local path: state the vendor's upstream URL with --upstream {vendor}=URL "
            f"(and the public copy it came from with --copy {vendor}=TEXT); a local path is not a provenance",
            vendor=vendor,
        )


@attrs.frozen(kw_only=True)
class Update:
    """One vendor's new spec, fetched and checked but not yet written."""

    vendor: Vendor
    source: str
    copy: str
    note: str
    data: bytes
    changed: bool


def is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def redact(source: str) -> str:
    """``source`` safe to record and print: no user info, secret-looking query values replaced."""
    if not is_url(source):
        return source
    parts = urlsplit(source)
    host = parts.hostname or ""
    netloc = f"{host}:{parts.port}" if parts.port else host
    query = urlencode(
        [(k, "REDACTED" if _SECRET_PARAM.search(k) else v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    )
    return urlunsplit((parts.scheme, netloc, parts.path, query, ""))


def fetch(source: str, *, vendor: str) -> bytes:
    """The bytes at ``source`` (an http(s) URL or a file path); ``PipelineError`` naming what failed."""
    shown = redact(source)
    if not is_url(source):
        try:
            return Path(source).expanduser().read_bytes()
        except OSError as err:
            raise PipelineError(f"cannot read {shown}: {err.strerror}", vendor=vendor) from err
    try:
        with httpx.Client(timeout=TIMEOUT, follow_redirects=True) as client, client.stream("GET", source) as response:
            if response.status_code != 200:
                raise PipelineError(f"download of {shown} failed: HTTP {response.status_code}", vendor=vendor)
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > MAX_BYTES:
                    raise PipelineError(f"download of {shown} is larger than {MAX_BYTES} bytes", vendor=vendor)
                chunks.append(chunk)
            return b"".join(chunks)
    except httpx.HTTPError as err:
        raise PipelineError(f"download of {shown} failed: {type(err).__name__}", vendor=vendor) from err


def parse_assignments(items: list[str], *, what: str = "URL-OR-PATH") -> dict[str, str]:
    """``["shipbob=URL", ...]`` -> ``{"shipbob": "URL"}``; ``PipelineError`` on a malformed item."""
    sources: dict[str, str] = {}
    for item in items:
        name, sep, source = item.partition("=")
        if not sep or not name or not source:
            raise PipelineError(f"expected VENDOR={what}, got {item!r}")
        sources[name] = source
    return sources


def parse_sources(
    items: list[str], *, upstream: Sequence[str] = (), copy: Sequence[str] = (), note: Sequence[str] = ()
) -> dict[str, Source]:
    """The CLI's ``VENDOR=SRC`` items and ``--upstream/--copy/--note VENDOR=...`` options as ``Source``s."""
    locations = parse_assignments(items)
    extras = {
        "upstream": parse_assignments(list(upstream), what="URL"),
        "copy": parse_assignments(list(copy), what="TEXT"),
        "note": parse_assignments(list(note), what="TEXT"),
    }
    for option, values in extras.items():
        stray = sorted(set(values) - set(locations))
        if stray:
            raise PipelineError(f"--{option} names {', '.join(stray)}, which is not being updated")
    return {
        name: Source(location=location, **{option: values.get(name, "") for option, values in extras.items()})
        for name, location in locations.items()
    }


def check_update(vendor: Vendor, source: Source | str) -> Update:
    """Fetch ``source`` and check it parses as OpenAPI 3.x."""
    if isinstance(source, str):
        source = Source(location=source)
    data = fetch(source.location, vendor=vendor.name)
    recorded = source.recorded_source(vendor.name)
    parse_document(data, source=redact(source.location), vendor=vendor.name)
    current = vendor.spec.read_bytes() if vendor.spec.exists() else None
    return Update(
        vendor=vendor, source=recorded, copy=source.copy, note=source.note, data=data, changed=current != data
    )


def update_specs(root: Path, sources: Mapping[str, Source | str], *, today: dt.date | None = None) -> list[Update]:
    """Vendor every ``{vendor: source}``; nothing is written unless all of them fetched and parsed."""
    selected = {vendor.name: vendor for vendor in vendors(root, list(sources))}
    updates = [check_update(selected[name], source) for name, source in sources.items()]
    for update in updates:
        record = provenance.new_record(
            update.vendor, source=update.source, copy=update.copy, note=update.note, data=update.data, today=today
        )
        provenance.write_atomic(update.vendor.spec, update.data)
        provenance.write_atomic(update.vendor.provenance, record.to_json().encode())
    return updates
