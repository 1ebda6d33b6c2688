"""A webhook secret as given: the text the vendor's dashboard shows, as a ``str`` or a ``Secret``.

Bytes are refused rather than guessed at (a raw HMAC key? the UTF-8 of the dashboard text?): decode them yourself,
so the choice is visible where the secret is loaded::

    secret = webhook_secret(os.environ["FOURTHWALL_WEBHOOK_SECRET"], vendor="Fourthwall")
"""

from __future__ import annotations

from facade import ConfigurationError, Secret

__all__ = ["webhook_secret"]


def webhook_secret(value: object, *, vendor: str) -> Secret:
    """``value`` held as a ``Secret``; ``ConfigurationError`` naming the ``secret`` argument (never its value) when
    it is neither a ``str`` nor a ``Secret``, or is empty."""
    text = value.get_secret_value() if isinstance(value, Secret) else value
    if not isinstance(text, str):
        raise ConfigurationError(
            f"{vendor} webhook secret= must be a str or Secret (the text the vendor shows), got {type(text).__name__}"
        )
    secret = Secret(text)
    if not secret:
        raise ConfigurationError(f"{vendor} webhook secret= is empty")
    return secret
