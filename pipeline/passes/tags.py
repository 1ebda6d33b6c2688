"""Fold operation tags to ASCII: the generator makes a sub-package of each tag (``api/<tag>/``).

A tag such as ``Bestellungen ü`` would become the package ``api/bestellungen_ü``: importable, but a
non-ASCII module path in every import and file name. Tags only group operations, so ``ü`` -> ``u``.

Example: ``tags: ["Bestellungen ü"]`` -> ``tags: ["Bestellungen u"]`` -> ``api.bestellungen_u``.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from pipeline.passes._context import PassContext, operations


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode() or "default"


def fold_tags(doc: dict[str, Any], ctx: PassContext) -> None:
    changed = 0
    for _, _, op in operations(doc):
        tags = op.get("tags")
        if isinstance(tags, list):
            folded = [ascii_fold(str(tag)) if not str(tag).isascii() else tag for tag in tags]
            changed += folded != tags
            op["tags"] = folded
    for tag in doc.get("tags") or []:
        if isinstance(tag, dict) and not str(tag.get("name", "")).isascii():
            tag["name"] = ascii_fold(str(tag["name"]))
    if changed:
        ctx.note(f"folded the tags of {changed} operation(s) to ASCII")
