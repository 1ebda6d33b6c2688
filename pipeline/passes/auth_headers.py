"""Drop ``Authorization`` header parameters: authentication is the client's job, not each call's.

Vendors (ShipBob) declare ``Authorization`` as a required header parameter on every operation. The
generator turns it into a required ``authorization: str`` argument of every function, and the value
overrides whatever the configured client sends. The facade's ``httpx.Auth`` sets the header instead.
"""

from __future__ import annotations

from typing import Any

from pipeline.passes._context import PassContext, operations
from pipeline.passes.refs import resolve_pointer

_AUTH_HEADERS = {"authorization"}


def _is_auth_header(param: Any, doc: dict[str, Any]) -> bool:
    if isinstance(param, dict) and isinstance(param.get("$ref"), str):
        try:
            param = resolve_pointer(doc, param["$ref"])
        except KeyError:
            return False
    return (
        isinstance(param, dict) and param.get("in") == "header" and str(param.get("name", "")).lower() in _AUTH_HEADERS
    )


def drop_auth_header_parameters(doc: dict[str, Any], ctx: PassContext) -> None:
    dropped = 0
    holders: list[dict[str, Any]] = [item for item in (doc.get("paths") or {}).values() if isinstance(item, dict)]
    holders += [op for _, _, op in operations(doc)]
    for holder in holders:
        params = holder.get("parameters")
        if isinstance(params, list):
            kept = [p for p in params if not _is_auth_header(p, doc)]
            dropped += len(params) - len(kept)
            holder["parameters"] = kept
    if dropped:
        ctx.note(f"dropped {dropped} Authorization header parameter(s)")
