"""Give every operation an ``operationId`` that is a unique Python identifier.

Missing ids (ShipBob dated versions) are derived from method and path, kebab-case ids
(``get-product-inventory``) become snake_case. Both depend only on the operation itself, so adding
an operation elsewhere never renames an existing function.
"""

from __future__ import annotations

import keyword
import re
from typing import Any

from pipeline.passes._context import PassContext, operations


def _words(text: str) -> str:
    text = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", text)
    text = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", text)
    return re.sub(r"[^0-9A-Za-z]+", "_", text).strip("_").lower()


def snake(text: str) -> str:
    """``getProduct-Inventory`` -> ``get_product_inventory``; a valid, non-keyword identifier."""
    text = _words(text)
    if not text:
        return "operation"
    if text[0].isdigit():
        text = f"op_{text}"
    return f"{text}_" if keyword.iskeyword(text) else text


def id_from_path(method: str, path: str) -> str:
    """``post /1.0/order/{orderId}:cancel`` -> ``post_1_0_order_by_order_id_cancel``.

    Colons (custom verbs such as ``/product:moveVariants``) separate words like slashes do.
    """
    parts = []
    for segment in re.split(r"[/:]", path):
        if not segment:
            continue
        braced = re.fullmatch(r"\{(.+)\}", segment)
        parts.append(f"by_{_words(braced.group(1))}" if braced else _words(segment))
    return snake("_".join([method, *parts]))


def synthesize_operation_ids(doc: dict[str, Any], ctx: PassContext) -> None:
    seen: dict[str, str] = {}
    changed = 0
    for path, method, op in operations(doc):
        original = op.get("operationId")
        new = snake(original) if isinstance(original, str) and original.strip() else id_from_path(method, path)
        if new in seen:
            new = id_from_path(method, path)
        if new in seen:
            raise ctx.fail(f"operations {seen[new]} and {method.upper()} {path} both map to function {new!r}")
        seen[new] = f"{method.upper()} {path}"
        if new != original:
            op["operationId"] = new
            changed += 1
    if changed:
        ctx.note(f"normalized {changed} operationId(s)")
