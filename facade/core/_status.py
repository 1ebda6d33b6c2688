"""Turn an HTTP outcome into the facade's typed errors: status codes, vendor error bodies, httpx exceptions.

Pure functions of a response or exception, so each mapping is testable without a client::

    error = error_for_status(response, operation="get_product_inventory", ids={"product_id": "p1"})
    assert isinstance(error, NotFoundError)
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from http import HTTPStatus
from typing import Any

import attrs
import httpx

from .._json import load_json
from ..auth import redact, redact_data
from ..defaults import MAX_ERROR_REASON_CHARS
from ..errors import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    FacadeError,
    NonStandardStatusError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
)
from ..retry import parse_retry_after

__all__ = [
    "ErrorBody",
    "credentials_in",
    "error_for_status",
    "error_for_transport",
    "invalid_response",
    "is_standard_status",
    "parse_error_body",
    "request_of",
]

_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    429: RateLimitError,
}
_PROBLEM_KEYS = ("type", "title", "status", "detail", "instance")


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_ERROR_REASON_CHARS else text[: MAX_ERROR_REASON_CHARS - 3] + "..."


def is_standard_status(status_code: int) -> bool:
    """True if ``status_code`` is in the HTTP standard (``http.HTTPStatus``); 520 is not."""
    try:
        HTTPStatus(status_code)
    except ValueError:
        return False
    return True


@attrs.frozen(kw_only=True)
class ErrorBody:
    """What a vendor error body told us, parsed defensively: anything unexpected is simply absent.

    Example::

        body = parse_error_body(b'{"code": "OFFER_NOT_FOUND_BY_SHOP_ID_AND_ID_ERROR", "offerId": "p1"}')
        assert body.code == "OFFER_NOT_FOUND_BY_SHOP_ID_AND_ID_ERROR"
    """

    data: Any = None
    code: str | None = None
    problem: Mapping[str, Any] | None = None
    field_errors: Mapping[str, tuple[str, ...]] | None = None

    def summary(self, *, hide: tuple[str, ...] = ()) -> str:
        """A short human phrase for the error message: code, problem title/detail or field errors.

        Each string in ``hide`` (our own credentials, should a server quote them back) becomes ``[redacted]``,
        before shortening, so that no prefix of a credential survives either.
        """
        parts: list[str] = []
        if self.code:
            parts.append(self.code)
        if self.problem:
            for key in ("title", "detail"):
                value = self.problem.get(key)
                if isinstance(value, str) and value:
                    parts.append(value)
        if self.field_errors:
            parts.append("; ".join(f"{name}: {', '.join(msgs)}" for name, msgs in self.field_errors.items()))
        text = " - ".join(parts)
        text = redact(text, hide)
        return _short(text) if parts else ""


def credentials_in(request: httpx.Request | None) -> tuple[str, ...]:
    """The credential strings ``request`` carries, longest first: the Authorization value, its token and, for
    Basic, the decoded ``user:password`` and the password; for redacting text a server sends back.

    Example::

        credentials_in(httpx.Request("GET", "https://x", headers={"Authorization": "Bearer tok-123456"}))
        # ('Bearer tok-123456', 'tok-123456')
    """
    value = request.headers.get("Authorization") if request is not None else None
    if not value:
        return ()
    found = {value}
    scheme, _, token = value.partition(" ")
    found.add(token)
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(token, validate=True).decode()
        except (ValueError, UnicodeDecodeError):
            decoded = ""
        found.update({decoded, decoded.partition(":")[2]})
    return tuple(sorted((s for s in found if s), key=len, reverse=True))


def parse_error_body(content: bytes) -> ErrorBody:
    """Read Fourthwall ``{"code": ...}``, ShipBob ProblemDetails or ShipBob ``{field: [messages]}``.

    Never raises: a body that is not JSON, JSON nested deeper than ``facade.defaults.MAX_JSON_DEPTH`` (a
    1,000-deep body would raise ``RecursionError``), or JSON of another shape gives an empty ``ErrorBody``.
    """
    try:
        data: Any = load_json(content) if content else None
    except ValueError:  # not JSON, not UTF-8, or nested too deeply
        return ErrorBody()
    if not isinstance(data, dict):
        return ErrorBody(data=data)
    code = data.get("code") if isinstance(data.get("code"), str) else None
    problem = {key: data[key] for key in _PROBLEM_KEYS if key in data} or None
    field_errors: dict[str, tuple[str, ...]] | None = None
    if (
        problem is None
        and data
        and all(isinstance(v, list) and all(isinstance(m, str) for m in v) for v in data.values())
    ):
        field_errors = {str(k): tuple(v) for k, v in data.items()}
    # ASP.NET validation problems nest the same {field: [messages]} map under "errors".
    errors = data.get("errors")
    if field_errors is None and isinstance(errors, dict):
        field_errors = {
            str(k): tuple(m for m in v if isinstance(m, str)) for k, v in errors.items() if isinstance(v, list)
        } or None
    return ErrorBody(data=data, code=code, problem=problem, field_errors=field_errors)


def request_of(response: httpx.Response) -> httpx.Request | None:
    """The request behind ``response``, or None for a response built by hand (no ``RuntimeError``)."""
    try:
        return response.request
    except RuntimeError:
        return None


def _ids_phrase(ids: Mapping[str, object]) -> str:
    return f" [{', '.join(f'{k}={v!r}' for k, v in ids.items())}]" if ids else ""


def error_for_status(
    response: httpx.Response, *, operation: str, ids: Mapping[str, object] | None = None
) -> FacadeError:
    """The typed error for a non-2xx ``response`` (the body must already be read).

    Example::

        error = error_for_status(httpx.Response(429, headers={"x-retry-after": "3"}), operation="op")
        assert isinstance(error, RateLimitError) and error.retry_after == 3.0
    """
    ids = dict(ids or {})
    status = response.status_code
    request = request_of(response)
    hide = credentials_in(request)
    # A server may echo our credentials back: every part of the body the error exposes is redacted (the raw
    # ``exc.response`` is the one exception, as it is httpx's own object).
    body = parse_error_body(response.content)
    context: dict[str, Any] = {
        "operation": operation,
        "status_code": status,
        "code": redact(body.code, hide) if body.code is not None else None,
        "problem": redact_data(body.problem, hide),
        "field_errors": redact_data(body.field_errors, hide),
        "ids": ids,
        "request": request,
        "response": response,
        "body": redact_data(body.data, hide),
    }
    summary = body.summary(hide=hide)
    phrase = f"HTTP {status}"
    if is_standard_status(status):
        phrase += f" {HTTPStatus(status).phrase}"
    message = f"{operation} failed: {phrase}{f' ({summary})' if summary else ''}{_ids_phrase(ids)}"
    if not is_standard_status(status):
        reason = f"non-standard HTTP status {status}"
        if status >= 500:
            return NonStandardStatusError(message, reason=reason, **context)
        return ResponseValidationError(message, reason=reason, **context)
    if status == 429:
        return RateLimitError(message, retry_after=parse_retry_after(response.headers), **context)
    if status >= 500:
        return ServerError(message, **context)
    return _STATUS_CLASSES.get(status, APIStatusError)(message, **context)


def invalid_response(
    response: httpx.Response, exc: BaseException | str, *, operation: str, ids: Mapping[str, object] | None = None
) -> ResponseValidationError:
    """A ``ResponseValidationError`` for a 2xx body the generated parser (or strict check) rejected.

    Example::

        error = invalid_response(httpx.Response(200, content=b"{"), ValueError("bad"), operation="op")
        assert error.status_code == 200
    """
    ids = dict(ids or {})
    if isinstance(exc, str):
        reason = exc
    elif isinstance(exc, KeyError):
        reason = f"required field {exc.args[0]!r} is missing" if exc.args else "a required field is missing"
    elif isinstance(exc, json.JSONDecodeError):
        reason = f"body is not valid JSON ({exc.msg} at position {exc.pos})"
    else:
        reason = f"{type(exc).__name__}: {exc}"
    reason = _short(reason)
    return ResponseValidationError(
        f"{operation} returned a response that does not match the spec: HTTP {response.status_code}, "
        f"{reason}{_ids_phrase(ids)}",
        reason=reason,
        operation=operation,
        status_code=response.status_code,
        ids=ids,
        request=request_of(response),
        response=response,
    )


def error_for_transport(
    exc: httpx.HTTPError, *, operation: str, ids: Mapping[str, object] | None = None
) -> FacadeError:
    """The typed error for an httpx exception raised before a usable response arrived.

    Example::

        error = error_for_transport(httpx.ConnectTimeout("timed out"), operation="op")
        assert isinstance(error, APITimeoutError)
    """
    ids = dict(ids or {})
    request: httpx.Request | None
    try:
        request = exc.request
    except RuntimeError:  # httpx raises this when the exception was created without a request
        request = None
    where = f" to {request.url.copy_with(query=None)}" if request is not None else ""
    context: dict[str, Any] = {"operation": operation, "ids": ids, "request": request}
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(f"{operation} timed out{where} ({type(exc).__name__}){_ids_phrase(ids)}", **context)
    if isinstance(exc, httpx.DecodingError):
        reason = f"response content could not be decoded ({type(exc).__name__})"
        return ResponseValidationError(f"{operation}: {reason}{_ids_phrase(ids)}", reason=reason, **context)
    detail = _short(str(exc)) or type(exc).__name__
    return APIConnectionError(
        f"{operation} could not get a response{where}: {type(exc).__name__}: {detail}{_ids_phrase(ids)}", **context
    )
