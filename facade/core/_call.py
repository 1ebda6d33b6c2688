"""The one request path every facade operation goes through, sync and async.

Vendor clients (``Fourthwall``, ``ShipBob`` and their async twins) subclass ``SyncClient``/``AsyncClient``.
Every operation, task-shaped methods and the public escape hatch ``call`` alike, runs through::

    result = self._call("get_product_inventory", get_product_inventory.sync_detailed, product_id, page=0)
    result = await self._acall("get_product_inventory", get_product_inventory.asyncio_detailed, product_id)

which

1. derives ``ids`` (arguments named ``id``/``*_id``) unless given as ``ids={...}``;
2. hands the attempt to ``self._runner`` (``Runner.run``/``Runner.arun``): the seam where retries wrap the
   attempt (``facade._retry.RetryRunner``, built from ``config.max_retries``/``config.retry_policy``;
   ``max_retries=0`` runs each attempt once); the request budget is an httpx transport wrapper (``facade._ratelimit``);
3. calls the generated ``*_detailed`` function with ``client=self.generated`` (our httpx client: auth,
   timeouts, TLS, redirects) and the given arguments;
4. maps everything to the error tree in ``facade._errors``: httpx exceptions, non-2xx statuses (with the
   vendor's code/ProblemDetails), non-standard statuses (520), and any ``KeyError``/``TypeError``/
   ``ValueError`` the generated parser raises on a body that does not match the spec, and scalars of the
   wrong JSON type, which the generated parsers assign unchecked (``facade._typecheck``); in strict mode also
   undeclared enum values;
5. returns a ``CallResult``: the parsed model plus the status, the response headers (ShipBob paginates
   through ``Page-Number``/``Total-Pages``/``Next-Page`` headers) and the httpx response.

The httpx response of the current attempt is captured with an event hook into a context variable
(per thread and per asyncio task), because the generated ``*_detailed`` functions return only status,
content and headers, and raise before returning when the status is outside ``HTTPStatus``.

Errors raised by a ``Runner`` attempt carry ``request`` (with its method, for idempotency decisions) and,
for status errors, ``response``.
"""

from __future__ import annotations

import copy
import functools
import inspect
import logging
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from http import HTTPStatus
from typing import Any, Generic, Protocol, Self, TypeVar

import attrs
import httpx

from ._config import NOT_GIVEN, ClientConfig, NotGiven
from ._errors import FacadeError
from ._mapping import error_for_status, error_for_transport, invalid_response, is_standard_status
from ._ratelimit import async_rate_limited, rate_limited
from ._retry import RetryPolicy, RetryRunner
from ._strict import find_unknown_enum
from ._typecheck import find_type_mismatch

__all__ = [
    "AsyncClient",
    "CallResult",
    "GeneratedResponse",
    "Runner",
    "SyncClient",
    "configured_generated_client",
]

_log = logging.getLogger("facade")

_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)
_R = TypeVar("_R")
_G = TypeVar("_G")
_GC = TypeVar("_GC")

# Exceptions the generated parsers raise on bodies that do not match the spec (and HTTPStatus(520)).
_PARSE_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError)

_current_response: ContextVar[httpx.Response | None] = ContextVar("facade_current_response", default=None)


def _remember_response(response: httpx.Response) -> None:
    _current_response.set(response)


async def _aremember_response(response: httpx.Response) -> None:
    _current_response.set(response)


class _SyncGenerated(Protocol):
    def set_httpx_client(self, client: httpx.Client) -> Any: ...


class _AsyncGenerated(Protocol):
    def set_async_httpx_client(self, async_client: httpx.AsyncClient) -> Any: ...


_GS = TypeVar("_GS", bound=_SyncGenerated)
_GA = TypeVar("_GA", bound=_AsyncGenerated)


class GeneratedResponse(Protocol[_T_co]):
    """What a generated ``*_detailed`` function returns (each generated package has its own ``Response``)."""

    @property
    def status_code(self) -> HTTPStatus: ...

    @property
    def parsed(self) -> _T_co | None: ...


@attrs.frozen(kw_only=True)
class CallResult(Generic[_T]):
    """A successful call: the parsed model, status, response headers and the httpx response.

    Example::

        result = client._call("get_product_inventory", op.sync_detailed, "prod-1", page=0, size=50)
        page, total_pages = result.parsed, result.headers.get("Total-Pages")
    """

    parsed: _T | None
    status_code: int
    headers: httpx.Headers
    response: httpx.Response = attrs.field(repr=False)


class Runner(Protocol):
    """Runs one operation attempt; retries and rate limiting implement this (see ``facade._retry``).

    ``attempt`` makes exactly one HTTP exchange (plus any token refresh) and raises a ``FacadeError`` on
    failure; a runner may call it again.

    Example::

        class OnceRunner:
            def run(self, operation, attempt): return attempt()
            async def arun(self, operation, attempt): return await attempt()
    """

    def run(self, operation: str, attempt: Callable[[], _R]) -> _R: ...

    async def arun(self, operation: str, attempt: Callable[[], Awaitable[_R]]) -> _R: ...


# Operations are module-level generated functions, so a small cache holds them all; computing a signature on
# every call cost ~13 us, about 1.5% of a Fourthwall inventory call.
_signature = functools.lru_cache(maxsize=512)(inspect.signature)


def _derive_ids(fn: Callable[..., Any], args: tuple[Any, ...], kwargs: Mapping[str, Any]) -> dict[str, object]:
    try:
        bound = _signature(fn).bind_partial(*args, **kwargs)
    except (TypeError, ValueError):
        return {}
    return {
        name: value
        for name, value in bound.arguments.items()
        if (name == "id" or name.endswith("_id")) and isinstance(value, str | int)
    }


def configured_generated_client(client_class: Callable[..., _GC], config: ClientConfig) -> _GC:
    """A generated ``AuthenticatedClient`` (either vendor's) set up from ``config``, for ``set_httpx_client``.

    ``token=""``: authentication is our ``httpx.Auth`` on the shared httpx client, not the generated default
    header. ``raise_on_unexpected_status=False``: the call path maps every status itself.

    Example::

        generated = configured_generated_client(AuthenticatedClient, config)
    """
    return client_class(
        base_url=config.base_url,
        token="",
        timeout=config.timeout,
        verify_ssl=config.verify,
        follow_redirects=config.follow_redirects,
        raise_on_unexpected_status=False,
    )


def _retry_runner(config: ClientConfig) -> Runner:
    # The client's max_retries is the public knob; the policy brings the backoff and the Retry-After cap.
    return RetryRunner(attrs.evolve(config.retry_policy, max_retries=config.max_retries))


def _operation_name(fn: Callable[..., Any]) -> str:
    # Generated operations live one per module, named after the operation: .../get_product_inventory.py
    return str(getattr(fn, "__module__", "") or getattr(fn, "__name__", "operation")).rsplit(".", 1)[-1]


class _ClientBase(Generic[_G]):
    """State and response handling shared by the sync and async clients."""

    _generated: _G
    _config: ClientConfig
    _auth: httpx.Auth | None
    _runner: Runner

    def _init_base(self, *, config: ClientConfig, auth: httpx.Auth | None) -> None:
        self._config = config
        self._auth = auth
        self._runner = _retry_runner(config)

    def with_options(
        self, *, max_retries: int | NotGiven = NOT_GIVEN, retry_policy: RetryPolicy | NotGiven = NOT_GIVEN
    ) -> Self:
        """A view of this client with other retry settings, for one call or a batch of them.

        The view shares the client's connection pool, auth and rate-limit budget (closing either closes both).
        A ``retry_policy`` brings its own ``max_retries`` unless ``max_retries`` is also given.

        Example::

            page = fw.with_options(max_retries=0).call(get_product_inventory.sync_detailed, "prod-1")
        """
        if isinstance(max_retries, NotGiven) and not isinstance(retry_policy, NotGiven):
            max_retries = retry_policy.max_retries
        changes = {"max_retries": max_retries, "retry_policy": retry_policy}
        view = copy.copy(self)
        view._config = self._config.with_changes(**{k: v for k, v in changes.items() if v is not NOT_GIVEN})
        view._runner = _retry_runner(view._config)
        return view

    @property
    def config(self) -> ClientConfig:
        """The frozen settings this client was built with."""
        return self._config

    @property
    def generated(self) -> _G:
        """The configured generated client (same httpx client: auth, timeouts, TLS), for operations the facade
        does not wrap; prefer ``call(op.sync_detailed, ...)`` to also get typed errors."""
        return self._generated

    def _http_options(self, config: ClientConfig, headers: Mapping[str, str]) -> dict[str, Any]:
        return {
            "base_url": config.base_url,
            "auth": self._auth,
            "timeout": config.timeout,
            "verify": config.verify,
            "follow_redirects": config.follow_redirects,
            "headers": {**dict(config.headers), **headers},
        }

    def _unexpected_status(self, operation: str, exc: Exception, ids: Mapping[str, object]) -> FacadeError | None:
        # The generator's errors.UnexpectedStatus (one class per generated package, hence the name check) is
        # raised only if someone sets generated.raise_on_unexpected_status; it must not escape either.
        response = _current_response.get()
        if type(exc).__name__ != "UnexpectedStatus" or response is None:
            return None
        if response.is_success:
            reason = f"status {response.status_code} is not documented for this operation"
            return invalid_response(response, reason, operation=operation, ids=ids)
        return error_for_status(response, operation=operation, ids=ids)

    def _parse_failure(self, operation: str, exc: Exception, ids: Mapping[str, object]) -> FacadeError | None:
        response = _current_response.get()
        if response is None:
            return None  # raised before any response: a wrong argument, the caller's bug; let it through
        if not is_standard_status(response.status_code) or not response.is_success:
            return error_for_status(response, operation=operation, ids=ids)
        return invalid_response(response, exc, operation=operation, ids=ids)

    def _finish(self, operation: str, result: GeneratedResponse[_T], ids: Mapping[str, object]) -> CallResult[_T]:
        response = _current_response.get()
        if response is None:  # only if someone bypassed our httpx client; build what we can
            response = httpx.Response(int(result.status_code))
        _log.debug("%s -> HTTP %s", operation, response.status_code)
        if not response.is_success:
            raise error_for_status(response, operation=operation, ids=ids)
        parsed = result.parsed
        mismatch = find_type_mismatch(parsed)
        if mismatch is not None:
            field_path, expected, actual = mismatch
            reason = f"field {field_path} should be {expected}, got {actual}"
            raise invalid_response(response, reason, operation=operation, ids=ids)
        if self._config.strict:
            found = find_unknown_enum(parsed)
            if found is not None:
                path, value, enum_name = found
                raise invalid_response(
                    response,
                    f"unknown enum value {value!r} for field {path} ({enum_name})",
                    operation=operation,
                    ids=ids,
                )
        return CallResult(parsed=parsed, status_code=response.status_code, headers=response.headers, response=response)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self._config.base_url!r}, auth={self._auth!r})"


class SyncClient(_ClientBase[_GS]):
    """Base of the sync vendor clients: owns one ``httpx.Client`` and the call path.

    Example::

        with Fourthwall(username="u", password="p") as fw:
            page = fw.call(get_product_inventory.sync_detailed, "prod-1")
    """

    _http: httpx.Client

    def _init_http(
        self,
        *,
        config: ClientConfig,
        auth: httpx.Auth | None,
        headers: Mapping[str, str],
        transport: httpx.BaseTransport | None,
        make_generated: Callable[[], _GS],
    ) -> None:
        self._init_base(config=config, auth=auth)
        self._http = httpx.Client(
            **self._http_options(config, headers),
            transport=rate_limited(transport, config.rate_limit, verify=config.verify),
            event_hooks={"response": [_remember_response]},
        )
        generated = make_generated()
        generated.set_httpx_client(self._http)
        self._generated = generated

    def call(self, fn: Callable[..., GeneratedResponse[_T]], /, *args: Any, **kwargs: Any) -> _T | None:
        """Run any generated ``sync_detailed`` operation with this client's auth, errors and retries.

        Example::

            from fourthwall_client.api.products_offers import get_product_inventory
            page = fw.call(get_product_inventory.sync_detailed, "prod-1", page=0, size=50)
        """
        operation = _operation_name(fn)
        return self._run(operation, fn, args, kwargs, _derive_ids(fn, args, kwargs)).parsed

    def _call(
        self,
        operation: str,
        fn: Callable[..., GeneratedResponse[_T]],
        /,
        *args: Any,
        ids: Mapping[str, object] | None = None,
        **kwargs: Any,
    ) -> CallResult[_T]:
        """Internal call path for facade methods (see the module docstring)."""
        return self._run(operation, fn, args, kwargs, _derive_ids(fn, args, kwargs) if ids is None else dict(ids))

    def _run(
        self,
        operation: str,
        fn: Callable[..., GeneratedResponse[_T]],
        args: tuple[Any, ...],
        kwargs: Mapping[str, Any],
        ids: Mapping[str, object],
    ) -> CallResult[_T]:
        def attempt() -> CallResult[_T]:
            return self._attempt(operation, fn, args, kwargs, ids)

        return self._runner.run(operation, attempt)

    def _attempt(
        self,
        operation: str,
        fn: Callable[..., GeneratedResponse[_T]],
        args: tuple[Any, ...],
        kwargs: Mapping[str, Any],
        ids: Mapping[str, object],
    ) -> CallResult[_T]:
        response_token = _current_response.set(None)
        try:
            try:
                result = fn(*args, client=self._generated, **kwargs)
            except FacadeError:
                raise
            except httpx.HTTPError as exc:
                raise error_for_transport(exc, operation=operation, ids=ids) from exc
            except _PARSE_ERRORS as exc:
                mapped = self._parse_failure(operation, exc, ids)
                if mapped is None:
                    raise
                raise mapped from exc
            except Exception as exc:
                mapped = self._unexpected_status(operation, exc, ids)
                if mapped is None:
                    raise
                raise mapped from exc
            return self._finish(operation, result, ids)
        finally:
            _current_response.reset(response_token)

    def close(self) -> None:
        """Close the underlying httpx client (``with`` does this for you)."""
        self._http.close()

    def __enter__(self) -> Self:
        self._http.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._http.__exit__(*exc_info)  # type: ignore[arg-type]


class AsyncClient(_ClientBase[_GA]):
    """Base of the async vendor clients: owns one ``httpx.AsyncClient`` and the call path.

    Example::

        async with AsyncShipBob(token="pat") as sb:
            items = await sb.call(get_a_list_of_inventory_items_by_product_id.asyncio_detailed, 42)
    """

    _http: httpx.AsyncClient

    def _init_http(
        self,
        *,
        config: ClientConfig,
        auth: httpx.Auth | None,
        headers: Mapping[str, str],
        transport: httpx.AsyncBaseTransport | None,
        make_generated: Callable[[], _GA],
    ) -> None:
        self._init_base(config=config, auth=auth)
        self._http = httpx.AsyncClient(
            **self._http_options(config, headers),
            transport=async_rate_limited(transport, config.rate_limit, verify=config.verify),
            event_hooks={"response": [_aremember_response]},
        )
        generated = make_generated()
        generated.set_async_httpx_client(self._http)
        self._generated = generated

    async def call(
        self, fn: Callable[..., Awaitable[GeneratedResponse[_T]]], /, *args: Any, **kwargs: Any
    ) -> _T | None:
        """Run any generated ``asyncio_detailed`` operation with this client's auth, errors and retries.

        Example::

            page = await fw.call(get_product_inventory.asyncio_detailed, "prod-1", page=0)
        """
        operation = _operation_name(fn)
        return (await self._arun(operation, fn, args, kwargs, _derive_ids(fn, args, kwargs))).parsed

    async def _acall(
        self,
        operation: str,
        fn: Callable[..., Awaitable[GeneratedResponse[_T]]],
        /,
        *args: Any,
        ids: Mapping[str, object] | None = None,
        **kwargs: Any,
    ) -> CallResult[_T]:
        """Internal call path for facade methods (see the module docstring)."""
        ids = _derive_ids(fn, args, kwargs) if ids is None else dict(ids)
        return await self._arun(operation, fn, args, kwargs, ids)

    async def _arun(
        self,
        operation: str,
        fn: Callable[..., Awaitable[GeneratedResponse[_T]]],
        args: tuple[Any, ...],
        kwargs: Mapping[str, Any],
        ids: Mapping[str, object],
    ) -> CallResult[_T]:
        async def attempt() -> CallResult[_T]:
            return await self._aattempt(operation, fn, args, kwargs, ids)

        return await self._runner.arun(operation, attempt)

    async def _aattempt(
        self,
        operation: str,
        fn: Callable[..., Awaitable[GeneratedResponse[_T]]],
        args: tuple[Any, ...],
        kwargs: Mapping[str, Any],
        ids: Mapping[str, object],
    ) -> CallResult[_T]:
        response_token = _current_response.set(None)
        try:
            try:
                result = await fn(*args, client=self._generated, **kwargs)
            except FacadeError:
                raise
            except httpx.HTTPError as exc:
                raise error_for_transport(exc, operation=operation, ids=ids) from exc
            except _PARSE_ERRORS as exc:
                mapped = self._parse_failure(operation, exc, ids)
                if mapped is None:
                    raise
                raise mapped from exc
            except Exception as exc:
                mapped = self._unexpected_status(operation, exc, ids)
                if mapped is None:
                    raise
                raise mapped from exc
            return self._finish(operation, result, ids)
        finally:
            _current_response.reset(response_token)

    async def aclose(self) -> None:
        """Close the underlying httpx client (``async with`` does this for you)."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        await self._http.__aenter__()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._http.__aexit__(*exc_info)  # type: ignore[arg-type]
