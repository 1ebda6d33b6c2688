"""JSON a server sent (error bodies, token responses, webhook deliveries), read so that no shape can crash us.

``json.loads`` raises ``RecursionError`` on a body nested about 1,000 deep (2 KB is enough), and a body a little
shallower parses but then breaks whatever walks it recursively (``redact_data``, ``repr``). ``load_json`` turns
both into ``TooDeepError``, a ``ValueError`` like every other unreadable body, so callers that already treat bad
JSON as "no usable body" need nothing more::

    try:
        data = load_json(response.content)
    except ValueError:  # not JSON, not UTF-8, or nested deeper than MAX_JSON_DEPTH
        data = None
"""

from __future__ import annotations

import json
from typing import Any

from .defaults import MAX_JSON_DEPTH

__all__ = ["MAX_JSON_DEPTH", "TooDeepError", "load_json"]


class TooDeepError(ValueError):
    """A JSON body nested deeper than ``MAX_JSON_DEPTH`` (or too deep for ``json.loads`` itself)."""


def _too_deep(data: Any) -> bool:
    # Iterative on purpose: a recursive walk is what this check protects against.
    stack: list[tuple[Any, int]] = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        children = value.values() if isinstance(value, dict) else value
        if depth > MAX_JSON_DEPTH:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False


def load_json(content: bytes | bytearray | str) -> Any:
    """``json.loads(content)``; raises ``ValueError`` and nothing else: ``json.JSONDecodeError``,
    ``UnicodeDecodeError`` (bytes that are not UTF-8) or ``TooDeepError``.

    Example::

        load_json(b'{"error": "invalid_grant"}')  # {'error': 'invalid_grant'}
        load_json(b"[" * 1000 + b"]" * 1000)       # raises TooDeepError
    """
    try:
        data = json.loads(content)
    except RecursionError:
        raise TooDeepError(f"JSON nested too deeply (more than {MAX_JSON_DEPTH} levels)") from None
    if isinstance(data, dict | list) and _too_deep(data):
        raise TooDeepError(f"JSON nested too deeply (more than {MAX_JSON_DEPTH} levels)")
    return data
