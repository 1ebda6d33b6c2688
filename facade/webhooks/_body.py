"""The raw request body: checked to be bytes before any check reads it, and decoded as JSON after.

Both vendors sign the exact bytes they sent, so a ``str`` (decoded, maybe re-encoded) is refused outright, and a
signed body that is not JSON is ``UNPARSEABLE_BODY``, never a bare ``json`` exception::

    payload = json_body(raw_body(body))
"""

from __future__ import annotations

from typing import Any

from .._json import TooDeepError, load_json
from ..defaults import MAX_JSON_DEPTH
from ._errors import Reason, WebhookVerificationError

__all__ = ["json_body", "raw_body"]


def raw_body(body: object) -> bytes | bytearray:
    """``body`` itself when it is the raw request bytes; ``TypeError`` otherwise (a ``str`` is already decoded)."""
    if not isinstance(body, bytes | bytearray):
        raise TypeError("body must be the raw request bytes, before any decoding")
    return body


def json_body(body: bytes | bytearray) -> Any:
    """The decoded JSON of a (verified) body; ``WebhookVerificationError(UNPARSEABLE_BODY)`` if it is not JSON,
    or is nested deeper than ``facade.defaults.MAX_JSON_DEPTH`` (``facade._json.load_json``, as for error bodies:
    a 2 KB body of 1,000 nested arrays would exhaust the decoder's recursion limit)."""
    try:
        return load_json(body)
    except TooDeepError:
        raise WebhookVerificationError(
            Reason.UNPARSEABLE_BODY, f"body is JSON nested deeper than {MAX_JSON_DEPTH} levels"
        ) from None
    except ValueError:  # not JSON, or not UTF-8
        raise WebhookVerificationError(Reason.UNPARSEABLE_BODY, "body is not JSON") from None
