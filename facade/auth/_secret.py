"""A credential holder whose repr and str never show the value.

Credentials (passwords, tokens, client secrets) are wrapped as soon as they enter the facade, so a stray
``print(client)``, a log line or an exception message cannot leak them::

    secret = Secret("s3cr3t")
    assert "s3cr3t" not in repr(secret)
    assert secret.get_secret_value() == "s3cr3t"
"""

from __future__ import annotations

import hmac
from collections.abc import Iterable
from typing import Any, Final

__all__ = ["Secret", "redact", "redact_data"]

_MASK: Final = "**********"


class Secret:
    """A string credential, redacted in ``repr``/``str``; read it with ``get_secret_value()``.

    Example::

        token = Secret("pat_123")
        headers = {"Authorization": f"Bearer {token.get_secret_value()}"}
    """

    __slots__ = ("_value",)

    def __init__(self, value: str | Secret) -> None:
        # Wrapping a Secret again is harmless: callers may pass either form.
        self._value: str = value.get_secret_value() if isinstance(value, Secret) else value

    def get_secret_value(self) -> str:
        """Return the wrapped value; call it only where the value is sent or stored on purpose."""
        return self._value

    def __repr__(self) -> str:
        return f"Secret('{_MASK}')"

    def __str__(self) -> str:
        return _MASK

    def __eq__(self, other: object) -> bool:
        # Constant-time: comparing tokens must not leak how many leading characters matched.
        if not isinstance(other, Secret):
            return NotImplemented
        return hmac.compare_digest(self._value.encode(), other._value.encode())

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)

    def __reduce__(self) -> tuple[object, ...]:
        # Pickling would copy the value into whatever store the pickle lands in; refuse it.
        raise TypeError("Secret values cannot be pickled")


# Shorter pieces are not worth hiding (and replacing them would mangle ordinary words).
_MIN_SECRET_CHARS: Final = 6


def redact(text: str, secrets: Iterable[str | Secret | None]) -> str:
    """``text`` with every credential in ``secrets`` replaced by ``[redacted]``, longest first.

    The one redaction the facade applies wherever a server may quote credentials back (error bodies, token
    endpoint refusals). Redact before shortening a text, so that no prefix of a credential survives a cut.

    Example::

        assert redact("bad token tok-123456", [Secret("tok-123456")]) == "bad token [redacted]"
    """
    values = {s.get_secret_value() if isinstance(s, Secret) else s for s in secrets if s is not None}
    for value in sorted((v for v in values if len(v) >= _MIN_SECRET_CHARS), key=len, reverse=True):
        text = text.replace(value, "[redacted]")
    return text


def redact_data(data: Any, secrets: Iterable[str | Secret | None]) -> Any:
    """``data`` (decoded JSON: dicts, lists, strings, numbers) with ``redact`` applied to every string in it,
    keys included; for error bodies a server may have echoed credentials into.

    Example::

        assert redact_data({"detail": ["tok-123456"]}, ["tok-123456"]) == {"detail": ["[redacted]"]}
    """
    hide = tuple(secrets)
    if isinstance(data, str):
        return redact(data, hide)
    if isinstance(data, dict):
        return {redact_data(k, hide): redact_data(v, hide) for k, v in data.items()}
    if isinstance(data, list | tuple):
        return type(data)(redact_data(v, hide) for v in data)
    return data
