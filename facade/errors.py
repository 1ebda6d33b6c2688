"""The facade's one error tree: every failure a caller can see is a ``FacadeError``.

::

    FacadeError
    ├── ConfigurationError            bad arguments or environment (missing variables, http:// refused)
    │   └── ClientClosedError         a call on a client whose ``with`` block has ended
    ├── InvalidArgumentError          an argument the facade refuses to send (an id that is not a path segment)
    ├── BudgetUnavailableError        the shared request budget (Redis) is unreachable or too slow: nothing sent
    ├── APIConnectionError            the request never got an HTTP answer (DNS, refused, reset, TLS)
    │   └── APITimeoutError           ... because a timeout expired
    ├── APIStatusError                the API answered with an error status
    │   ├── BadRequestError           400 (``field_errors`` holds ShipBob's {field: [messages]})
    │   ├── AuthenticationError       401
    │   │   └── TokenRefreshError     the OAuth token endpoint refused the refresh
    │   │       └── TokenRefreshRedirectError  ... answered with a redirect (never followed)
    │   ├── PermissionDeniedError     403
    │   ├── NotFoundError             404
    │   ├── RateLimitError            429 (``retry_after`` in seconds, from the vendor's header)
    │   └── ServerError               5xx
    │       └── NonStandardStatusError  (also a ResponseValidationError) e.g. 520
    ├── TokenHandoverError            ``on_tokens`` raised; the new tokens are kept and handed over again
    ├── PaginationError               a listing could not be followed safely (``reason`` names the guard)
    └── ResponseValidationError       the body or status does not match the spec (bad JSON, missing
        │                             field, wrong type, unknown enum value in strict mode)
        └── ResponseTooLargeError     the body is larger than ``max_response_bytes`` (after decompression)

Each error carries what a caller needs to react or report: ``operation``, ``status_code``, the vendor's
``code`` (Fourthwall) or ``problem`` (ShipBob ProblemDetails), ``field_errors``, ``ids`` (e.g. product_id),
``request`` and ``response``. Messages name what was wrong and never contain credentials::

    try:
        fw.call(get_product_inventory.sync_detailed, "missing")
    except NotFoundError as exc:
        print(exc.code, exc.ids)  # OFFER_NOT_FOUND_BY_SHOP_ID_AND_ID_ERROR {'product_id': 'missing'}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, TypeAlias

import httpx

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "BudgetUnavailableError",
    "ClientClosedError",
    "ConfigurationError",
    "FacadeError",
    "InvalidArgumentError",
    "NonStandardStatusError",
    "NotFoundError",
    "PaginationError",
    "PaginationReason",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "ResponseValidationError",
    "ServerError",
    "TokenHandoverError",
    "TokenRefreshError",
    "TokenRefreshRedirectError",
]


class FacadeError(Exception):
    """Root of every error the facade raises; catch it to handle any failure of a facade call.

    Example::

        try:
            client.call(op.sync_detailed, 1)
        except FacadeError as exc:
            log.warning("inventory failed: %s (status %s)", exc, exc.status_code)
    """

    def __init__(
        self,
        message: str,
        *,
        operation: str | None = None,
        status_code: int | None = None,
        code: str | None = None,
        problem: Mapping[str, Any] | None = None,
        field_errors: Mapping[str, tuple[str, ...]] | None = None,
        ids: Mapping[str, object] | None = None,
        request: httpx.Request | None = None,
        response: httpx.Response | None = None,
        body: Any = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.operation = operation
        self.status_code = status_code
        self.code = code
        self.problem = dict(problem) if problem is not None else None
        self.field_errors = dict(field_errors) if field_errors is not None else None
        self.ids = dict(ids) if ids is not None else {}
        self.request = request
        self.response = response
        # The decoded JSON error body, for vendor context fields we do not model; never part of the message.
        self.body = body

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class ConfigurationError(FacadeError):
    """The client was configured wrongly: a missing environment variable, an http:// URL, conflicting auth.

    Example::

        with pytest.raises(ConfigurationError, match="FOURTHWALL_PASSWORD"):
            Fourthwall.from_env(environ={"FOURTHWALL_USERNAME": "shop"})
    """


class ClientClosedError(ConfigurationError):
    """A call on a client that was closed (its ``with`` block ended, or ``close()`` was called).

    Example::

        with ShipBob(auth="pat") as sb:
            ...
        sb.stock()  # ClientClosedError: create a new client
    """


class InvalidArgumentError(FacadeError):
    """An argument the facade refuses to send, checked before any request: e.g. a product id of ``..``, which
    would make the URL name another resource. ``ids`` holds the offending argument.

    Example::

        except InvalidArgumentError as exc:
            print(exc.ids)  # {'product_id': '..'}
    """


class BudgetUnavailableError(FacadeError):
    """The shared request budget (Redis) could not be reached or answered too slowly; the request was not sent.

    Retrying later is safe: nothing went to the vendor. ``where`` names the Redis server (no password). Raised by
    ``RequestBudget.redis(...)`` budgets (``facade.budget``), which re-exports it.

    Example::

        try:
            fw.call(get_current_shop.sync_detailed)
        except BudgetUnavailableError as exc:
            log.warning("rate-limit store down, try later: %s", exc)
    """

    def __init__(self, message: str, *, where: str) -> None:
        super().__init__(message)
        self.where = where


class APIConnectionError(FacadeError):
    """No HTTP response arrived: connection refused or reset, DNS or TLS failure, protocol error.

    Example::

        except APIConnectionError as exc:
            print("network problem on", exc.operation)
    """


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout expired (the client's ``timeout=``).

    Example::

        except APITimeoutError:
            print("vendor too slow, try later")
    """


class APIStatusError(FacadeError):
    """The API answered with a non-success status; subclasses name the common ones.

    Example::

        except APIStatusError as exc:
            print(exc.status_code, exc.code or exc.problem)
    """


class BadRequestError(APIStatusError):
    """HTTP 400: the request was invalid; ``field_errors`` maps field names to messages when the vendor says.

    Example::

        except BadRequestError as exc:
            print(exc.field_errors)  # {'productId': ('must be positive',)}
    """


class AuthenticationError(APIStatusError):
    """HTTP 401: credentials missing, wrong, expired or revoked.

    Example::

        except AuthenticationError:
            print("check FOURTHWALL_USERNAME/FOURTHWALL_PASSWORD")
    """


class TokenRefreshError(AuthenticationError):
    """The OAuth token endpoint refused a refresh (e.g. ``invalid_grant``: the refresh token was revoked or
    already rotated); ``code`` holds the OAuth error code. The app must re-authorize.

    Example::

        except TokenRefreshError as exc:
            print(exc.code)  # invalid_grant
    """


class TokenRefreshRedirectError(TokenRefreshError):
    """The OAuth token endpoint answered with a redirect (3xx). It is never followed: following it would send
    the client secret and refresh token to another URL. ``location`` is the redirect target's origin only.

    Example::

        except TokenRefreshRedirectError as exc:
            print(exc.status_code, exc.location)  # 307 https://elsewhere.example
    """

    def __init__(self, message: str, *, location: str | None = None, **context: Any) -> None:
        super().__init__(message, **context)
        self.location = location


class TokenHandoverError(FacadeError):
    """``on_tokens`` raised while receiving rotated tokens (e.g. the vault was down).

    The tokens are never lost: the client keeps using them, ``tokens`` carries them (its repr redacts them) so
    the app can store them itself, and the client hands them to ``on_tokens`` again before its next request
    (raising this error again while the handover keeps failing). The callback's exception is ``__cause__``.

    Example::

        except TokenHandoverError as exc:
            vault.put("refresh_token", exc.tokens.refresh_token.get_secret_value())
    """

    def __init__(self, message: str, *, tokens: Any, **context: Any) -> None:
        super().__init__(message, **context)
        self.tokens = tokens


class PermissionDeniedError(APIStatusError):
    """HTTP 403: authenticated, but not allowed (missing scope, wrong channel).

    Example::

        except PermissionDeniedError as exc:
            print(exc.problem)
    """


class NotFoundError(APIStatusError):
    """HTTP 404: the resource does not exist (``ids`` says which one was asked for).

    Example::

        except NotFoundError as exc:
            print("no such product", exc.ids.get("product_id"))
    """


class RateLimitError(APIStatusError):
    """HTTP 429: over the vendor's rate limit; ``retry_after`` is the vendor's wait hint in seconds, or None.

    Example::

        except RateLimitError as exc:
            time.sleep(exc.retry_after or 1.0)
    """

    def __init__(self, message: str, *, retry_after: float | None = None, **context: Any) -> None:
        super().__init__(message, **context)
        self.retry_after = retry_after


class ServerError(APIStatusError):
    """HTTP 5xx: the vendor failed; usually worth retrying an idempotent call.

    Example::

        except ServerError as exc:
            print("vendor down:", exc.status_code)
    """


class ResponseValidationError(FacadeError):
    """The response does not match the spec: invalid JSON, missing required field, wrong type, unknown enum
    value (strict mode) or a status code outside the HTTP standard. ``reason`` is a short explanation.

    Example::

        except ResponseValidationError as exc:
            print(exc.operation, exc.status_code, exc.reason)
    """

    def __init__(self, message: str, *, reason: str = "", **context: Any) -> None:
        super().__init__(message, **context)
        self.reason = reason


class NonStandardStatusError(ResponseValidationError, ServerError):
    """A 5xx status outside the HTTP standard (Cloudflare's 520-527): the spec cannot describe it, and retry
    policy treats it like any other server error.

    Example::

        except ServerError as exc:  # also catches NonStandardStatusError
            print(exc.status_code)  # 520
    """


class ResponseTooLargeError(ResponseValidationError):
    """The response body is larger than the client's ``max_response_bytes`` (counted after decompression, so a
    gzip bomb stops at the cap); reading stopped there. ``limit`` is the cap in bytes.

    Example::

        except ResponseTooLargeError as exc:
            print(exc.operation, exc.limit)
    """

    def __init__(self, message: str, *, limit: int, **context: Any) -> None:
        super().__init__(message, **context)
        self.limit = limit


PaginationReason: TypeAlias = Literal[
    "wrong_page",
    "repeated_page",
    "page_count_changed",
    "next_loop",
    "foreign_next",
    "too_many_pages",
    "duplicate_item",
    "empty_page",
    "missing_items",
    "unfollowable_next",
]


class PaginationError(FacadeError):
    """A listing could not be followed safely: `reason` names the guard, `label` the listing, `pages` the count.

    `operation` is the listing's label and `ids` what it was for (e.g. `{"product_id": "p1"}`).

    Example::

        try:
            levels = list(pages)
        except PaginationError as error:
            log.warning("%s stopped: %s", error.label, error.reason)
    """

    def __init__(
        self,
        message: str,
        *,
        reason: PaginationReason,
        label: str,
        pages: int,
        ids: Mapping[str, object] | None = None,
    ) -> None:
        super().__init__(f"{label}: {message} (after {pages} page(s))", operation=label, ids=ids)
        self.reason: PaginationReason = reason
        self.label = label
        self.pages = pages
