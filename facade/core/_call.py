"""The one request path every facade operation goes through, sync and async, and the one constructor.

Vendor clients (``Fourthwall``, ``ShipBob`` and their async twins) subclass ``SyncClient``/``AsyncClient`` and
name their ``Vendor`` (base URLs, token endpoint, rate limit, generated package). Every operation, task-shaped
methods and the public escape hatch ``call`` alike, runs through::

    result = self._call("list_products", list_products.sync_detailed, page=0, size=100)
    result = await self._acall("list_products", list_products.asyncio_detailed, page=0, size=100)

which

1. derives ``ids`` (arguments named ``id``/``*_id``) unless given as ``ids={...}``, and refuses an id that
   cannot be a URL path segment (``''``, ``.``, ``..``, or one holding ``/``, ``?``, ``#``) before any request;
2. hands the attempt to the retry runner (``facade.retry``; ``max_retries=0`` runs each attempt once); the
   request budget (``facade.budget``) is an httpx transport wrapper, so every request on the wire is counted;
   inside it sit the size cap and deadline (``_limits``: ``max_response_bytes``, ``deadline``), so the
   deadline counts from the moment the budget grants the slot, never the wait for one;
3. calls the generated ``*_detailed`` function with ``client=self.generated`` (our httpx client: auth,
   timeouts, TLS, redirects, and no cookie jar: ``_http``) and the given arguments;
4. maps everything to the error tree in ``facade.errors``: httpx exceptions, non-2xx statuses (with the
   vendor's code/ProblemDetails), non-standard statuses (520), and any ``KeyError``/``TypeError``/
   ``ValueError`` the generated parser raises on a body that does not match the spec, and scalars of the
   wrong JSON type; in strict mode also undeclared enum values;
5. returns a ``CallResult``: the parsed model plus the status, the response headers (ShipBob's ``GET /order``
   paginates through a ``next-page`` header) and the httpx response.

The httpx response of the current attempt is captured with an event hook into a context variable
(per thread and per asyncio task), because the generated ``*_detailed`` functions return only status,
content and headers, and raise before returning when the status is outside ``HTTPStatus``.
"""

from __future__ import annotations

import copy
import functools
import inspect
import logging
import os
import ssl
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from http import HTTPStatus
from typing import Any, ClassVar, Generic, Protocol, Self, TypedDict, TypeVar

import attrs
import httpx

from ..auth import AuthLike, OAuthRefreshAuth, build_auth
from ..budget import RateLimit, RequestBudget, async_rate_limited, rate_limited
from ..config import NOT_GIVEN, ClientConfig, NotGiven, TimeoutTypes, check_url, make_timeout
from ..defaults import DEADLINE, MAX_RESPONSE_BYTES, MAX_RETRIES
from ..errors import ClientClosedError, FacadeError, InvalidArgumentError, ResponseTooLargeError
from ..retry import RetryPolicy, RetryRunner
from ._http import AsyncVendorHttpClient, VendorHttpClient
from ._limits import AsyncLimitedTransport, BodyTooLarge, LimitedTransport
from ._status import error_for_status, error_for_transport, invalid_response, is_standard_status
from ._strict import find_unknown_enum
from ._vendor import Vendor

__all__ = ["AsyncClient", "CallResult", "ClientOptions", "GeneratedResponse", "Runner", "SyncClient", "path_ids"]

_log = logging.getLogger("facade")

_T = TypeVar("_T")
_T_co = TypeVar("_T_co", covariant=True)
_R = TypeVar("_R")

# Exceptions the generated parsers raise on bodies that do not match the spec (and HTTPStatus(520)).
# RecursionError: a body nested thousands deep must be a typed error for that call, not a crash.
_PARSE_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError)

_current_response: ContextVar[httpx.Response | None] = ContextVar("facade_current_response", default=None)


def _remember_response(response: httpx.Response) -> None:
    _current_response.set(response)


async def _aremember_response(response: httpx.Response) -> None:
    _current_response.set(response)


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

        result = client._call("list_orders", op.sync_detailed, page=0, size=100)
        orders, next_page = result.parsed, result.headers.get("next-page")
    """

    parsed: _T | None
    status_code: int
    headers: httpx.Headers
    response: httpx.Response = attrs.field(repr=False)


class ClientOptions(TypedDict, total=False):
    """The constructor keywords every vendor client shares, sync and async (besides ``auth`` and ``transport``),
    for subclasses that add a keyword of their own (``ShipBob(channel_id=...)``)."""

    base_url: str | None
    environment: str
    token_url: str | None
    timeout: TimeoutTypes | NotGiven
    max_retries: int | NotGiven
    retry_policy: RetryPolicy | None
    rate_limit: RateLimit | RequestBudget | NotGiven | None
    strict: bool
    allow_insecure_http: bool
    verify: bool | str | ssl.SSLContext
    follow_redirects: bool
    headers: Mapping[str, str] | None
    max_response_bytes: int
    deadline: float | None


class Runner(Protocol):
    """Runs one operation attempt; retries implement this (``facade.retry.RetryRunner``).

    ``attempt`` makes exactly one HTTP exchange (plus any token refresh) and raises a ``FacadeError`` on
    failure; a runner may call it again.
    """

    def run(self, operation: str, attempt: Callable[[], _R]) -> _R: ...

    async def arun(self, operation: str, attempt: Callable[[], Awaitable[_R]]) -> _R: ...


# Operations are module-level generated functions, so a small cache holds them all; computing a signature on
# every call cost ~13 us, about 1.5% of a Fourthwall inventory call.
_signature = functools.lru_cache(maxsize=1024)(inspect.signature)


@attrs.frozen
class _Params:
    """What ``_request_ids`` needs of a plain signature (positional-or-keyword and keyword-only parameters only)."""

    positional: tuple[str, ...]  # in order
    names: frozenset[str]  # every parameter
    ids: tuple[tuple[str, int | None], ...]  # id-named parameters in signature order, with their positional index


_UNREADABLE = "unreadable"  # no signature: no ids (as when binding it fails)
_BIND = "bind"  # *args, **kwargs or positional-only parameters: bind the signature on each call


@functools.lru_cache(maxsize=1024)
def _params(fn: Callable[..., Any]) -> _Params | str:
    """``fn``'s parameter names, read once per function (binding its signature on each call cost ~50-80 us)."""
    try:
        parameters = list(_signature(fn).parameters.values())
    except (TypeError, ValueError):
        return _UNREADABLE
    plain = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
    if any(p.kind not in plain for p in parameters):
        return _BIND
    positional = tuple(p.name for p in parameters if p.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD)
    ids = tuple(
        (p.name, positional.index(p.name) if p.name in positional else None)
        for p in parameters
        if p.name == "id" or p.name.endswith("_id")
    )
    return _Params(positional=positional, names=frozenset(p.name for p in parameters), ids=ids)


_NOT_A_SEGMENT = frozenset({"", ".", ".."})


def _check_segment(name: str, value: str | int, operation: str) -> None:
    # The generated functions put ids into the URL path as they are: ".." would climb to another resource.
    if isinstance(value, str) and (value in _NOT_A_SEGMENT or any(c in value for c in "/?#")):
        raise InvalidArgumentError(
            f"{operation}: {name}={value!r} cannot be a URL path segment (empty, '.', '..', or holding '/', '?', "
            "'#'); no request was sent",
            operation=operation,
            ids={name: value},
        )


def _request_ids(
    operation: str, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> dict[str, object]:
    params = _params(fn)
    if params is _UNREADABLE:
        return {}
    if not isinstance(params, _Params):
        return _bound_ids(operation, fn, args, kwargs)
    # What `bind_partial` accepts, read directly: no more positionals than positional parameters, every keyword
    # a parameter that no positional argument already filled.
    positional = params.positional
    if len(args) > len(positional) or any(
        name not in params.names or name in positional[: len(args)] for name in kwargs
    ):
        return {}
    ids: dict[str, object] = {}
    for name, index in params.ids:
        if index is not None and index < len(args):
            value = args[index]
        elif name in kwargs:
            value = kwargs[name]
        else:
            continue
        if isinstance(value, str | int) and not isinstance(value, bool):
            _check_segment(name, value, operation)
            ids[name] = value
    return ids


def _bound_ids(
    operation: str, fn: Callable[..., Any], args: tuple[Any, ...], kwargs: Mapping[str, Any]
) -> dict[str, object]:
    try:
        bound = _signature(fn).bind_partial(*args, **kwargs)
    except (TypeError, ValueError):
        return {}
    return path_ids(operation, bound.arguments)


def path_ids(operation: str, arguments: Mapping[str, object]) -> dict[str, object]:
    """The id-named ``arguments`` (``id``, ``*_id``) holding text or a number, each checked as a URL path segment
    (``InvalidArgumentError`` naming ``operation`` and the id, before any request): the ``ids`` errors carry.

    Example::

        path_ids("get_product", {"product_id": "p1", "size": 100})  # {'product_id': 'p1'}
    """
    ids: dict[str, object] = {}
    for name, value in arguments.items():
        if (name == "id" or name.endswith("_id")) and isinstance(value, str | int) and not isinstance(value, bool):
            _check_segment(name, value, operation)
            ids[name] = value
    return ids


def _operation_name(fn: Callable[..., Any]) -> str:
    # Generated operations live one per module, named after the operation: .../get_product_inventory.py
    return str(getattr(fn, "__module__", "") or getattr(fn, "__name__", "operation")).rsplit(".", 1)[-1]


class _ClientBase:
    """Construction, settings and response handling shared by the sync and async clients."""

    vendor: ClassVar[Vendor]
    _generated: Any
    _config: ClientConfig
    _auth: httpx.Auth
    _runner: Runner

    def _setup(
        self,
        auth: AuthLike,
        *,
        base_url: str | None,
        environment: str,
        token_url: str | None,
        timeout: TimeoutTypes | NotGiven,
        max_retries: int | NotGiven,
        retry_policy: RetryPolicy | None,
        rate_limit: RateLimit | RequestBudget | NotGiven | None,
        strict: bool,
        allow_insecure_http: bool,
        verify: bool | str | ssl.SSLContext,
        follow_redirects: bool,
        headers: Mapping[str, str] | None,
        max_response_bytes: int,
        deadline: float | None,
    ) -> None:
        vendor = self.vendor
        label = vendor.label
        base = check_url(
            base_url or vendor.base_url(environment), what=f"{label} base_url", allow_insecure_http=allow_insecure_http
        )
        tokens = check_url(
            token_url or vendor.token_url(environment, base),
            what=f"{label} token_url",
            allow_insecure_http=allow_insecure_http,
        )
        policy = retry_policy or RetryPolicy()
        if not isinstance(max_retries, NotGiven):
            policy = attrs.evolve(policy, max_retries=max_retries)
        elif retry_policy is None:
            policy = attrs.evolve(policy, max_retries=MAX_RETRIES)
        self._config = ClientConfig(
            base_url=base,
            timeout=make_timeout(timeout),
            max_retries=policy.max_retries,
            retry_policy=policy,
            rate_limit=vendor.rate_limit if isinstance(rate_limit, NotGiven) else rate_limit,
            strict=strict,
            allow_insecure_http=allow_insecure_http,
            verify=verify,
            follow_redirects=follow_redirects,
            headers=tuple({**vendor.headers, **(headers or {})}.items()),
            max_response_bytes=max_response_bytes,
            deadline=deadline,
        )
        self._auth = build_auth(auth, token_url=tokens)
        self._runner = RetryRunner(policy)

    def _generated_client(self) -> Any:
        # token="": authentication is our httpx.Auth on the shared httpx client, not the generated default header.
        # raise_on_unexpected_status=False: the call path maps every status itself.
        config = self._config
        return self.vendor.generated_client()(
            base_url=config.base_url,
            token="",
            timeout=config.timeout,
            verify_ssl=config.verify,
            follow_redirects=config.follow_redirects,
            raise_on_unexpected_status=False,
        )

    def _http_options(self) -> dict[str, Any]:
        config = self._config
        return {
            "base_url": config.base_url,
            "auth": self._auth,
            "timeout": config.timeout,
            "verify": config.verify,
            "follow_redirects": config.follow_redirects,
            "headers": dict(config.headers),
        }

    @classmethod
    def _env_kwargs(cls, environ: Mapping[str, str] | None, options: Mapping[str, Any]) -> dict[str, Any]:
        return {**cls.vendor.settings_from_env(os.environ if environ is None else environ), **options}

    def with_options(
        self, *, max_retries: int | NotGiven = NOT_GIVEN, retry_policy: RetryPolicy | NotGiven = NOT_GIVEN
    ) -> Self:
        """A view of this client with other retry settings, for one call or a batch of them.

        The view shares the client's connection pool, auth and rate-limit budget (closing either closes both).
        A ``retry_policy`` brings its own ``max_retries`` unless ``max_retries`` is also given.

        Example::

            products = fw.with_options(max_retries=0).call(list_products.sync_detailed, size=100)
        """
        policy = self._config.retry_policy if isinstance(retry_policy, NotGiven) else retry_policy
        if not isinstance(max_retries, NotGiven):
            policy = attrs.evolve(policy, max_retries=max_retries)
        view = copy.copy(self)
        view._config = self._config.with_changes(retry_policy=policy, max_retries=policy.max_retries)
        view._runner = RetryRunner(policy)
        return view

    @property
    def config(self) -> ClientConfig:
        """The frozen settings this client was built with."""
        return self._config

    @property
    def generated(self) -> Any:
        """The configured generated client (same httpx client: auth, timeouts, TLS), for operations the facade
        does not wrap; prefer ``call(op.sync_detailed, ...)`` to also get typed errors."""
        return self._generated

    def _check_open(self, http: httpx.Client | httpx.AsyncClient, operation: str) -> None:
        if http.is_closed:
            raise ClientClosedError(
                f"{operation}: this {type(self).__name__} was closed (its `with` block ended); create a new client",
                operation=operation,
            )

    def _translate(self, operation: str, exc: Exception, ids: Mapping[str, object]) -> BaseException:
        """The typed error for an exception raised by a generated function, or ``exc`` itself if it is ours."""
        if isinstance(exc, FacadeError):
            return exc
        if isinstance(exc, BodyTooLarge):
            return ResponseTooLargeError(
                f"{operation}: the response body (HTTP {exc.status_code}) is larger than max_response_bytes="
                f"{exc.limit}; reading stopped there",
                reason=f"body larger than {exc.limit} bytes",
                limit=exc.limit,
                operation=operation,
                status_code=exc.status_code,
                ids=ids,
                request=exc.request,
            )
        if isinstance(exc, httpx.HTTPError):
            return error_for_transport(exc, operation=operation, ids=ids)
        response = _current_response.get()
        # UnexpectedStatus: each generated package has its own (raise_on_unexpected_status=True on
        # `client.generated`), for a status its operation does not declare.
        unexpected = type(exc).__name__ == "UnexpectedStatus"
        if response is not None and (unexpected or isinstance(exc, _PARSE_ERRORS)):
            if not is_standard_status(response.status_code) or not response.is_success:
                return error_for_status(response, operation=operation, ids=ids)
            # The generated parsers type-check every value (types.FieldTypeError: "field results[3].quantity
            # should be int, got str"), so a body that parsed holds what the spec declares.
            reason: BaseException | str = exc
            if unexpected:
                reason = f"undeclared HTTP status {response.status_code}"
            elif isinstance(exc, RecursionError):
                reason = "body is nested too deeply"
            elif isinstance(exc, TypeError) and isinstance(getattr(exc, "path", None), list):
                reason = str(exc)  # a FieldTypeError (one class per generated package): its text says it all
            return invalid_response(response, reason, operation=operation, ids=ids)
        return exc  # raised before any response: a wrong argument, the caller's bug; let it through

    def _finish(self, operation: str, result: GeneratedResponse[_T], ids: Mapping[str, object]) -> CallResult[_T]:
        response = _current_response.get()
        if response is None:  # only if someone bypassed our httpx client; build what we can
            response = httpx.Response(int(result.status_code))
        _log.debug("%s -> HTTP %s", operation, response.status_code)
        if not response.is_success:
            raise error_for_status(response, operation=operation, ids=ids)
        parsed = result.parsed
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


class SyncClient(_ClientBase):
    """Base of the sync vendor clients: owns one ``httpx.Client`` and the call path.

    ``auth`` is a token string, an ``httpx.Auth`` (``BasicAuth``, ``BearerAuth``) or an ``OAuthApp``
    (``facade.auth``). The keywords are the same for every vendor client, sync and async.

    Example::

        with Fourthwall(auth=BasicAuth("user", "pass")) as fw:
            shop = fw.call(get_current_shop.sync_detailed)
    """

    _http: httpx.Client

    def __init__(
        self,
        auth: AuthLike,
        *,
        base_url: str | None = None,
        environment: str = "production",
        token_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        retry_policy: RetryPolicy | None = None,
        rate_limit: RateLimit | RequestBudget | NotGiven | None = NOT_GIVEN,
        strict: bool = False,
        allow_insecure_http: bool = False,
        verify: bool | str | ssl.SSLContext = True,
        follow_redirects: bool = True,
        headers: Mapping[str, str] | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        deadline: float | None = DEADLINE,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self._setup(
            auth,
            base_url=base_url,
            environment=environment,
            token_url=token_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            rate_limit=rate_limit,
            strict=strict,
            allow_insecure_http=allow_insecure_http,
            verify=verify,
            follow_redirects=follow_redirects,
            headers=headers,
            max_response_bytes=max_response_bytes,
            deadline=deadline,
        )
        config = self._config
        # The budget is the outer layer: the deadline starts once the slot is granted, not while waiting for it.
        limited = LimitedTransport(
            transport or httpx.HTTPTransport(verify=verify),
            max_bytes=config.max_response_bytes,
            deadline=config.deadline,
        )
        self._http = VendorHttpClient(
            **self._http_options(),
            transport=rate_limited(limited, config.rate_limit) or limited,
            event_hooks={"response": [_remember_response]},
        )
        if isinstance(self._auth, OAuthRefreshAuth):
            self._auth.bind(self._http)  # refreshes never follow redirects (facade.auth)
        self._generated = self._generated_client()
        self._generated.set_httpx_client(self._http)

    @classmethod
    def from_env(cls, *, environ: Mapping[str, str] | None = None, **options: Any) -> Self:
        """Build a client from the vendor's environment variables; ``options`` go to the constructor.

        Example::

            fw = Fourthwall.from_env(timeout=10.0)
        """
        return cls(**cls._env_kwargs(environ, options))

    def call(self, fn: Callable[..., GeneratedResponse[_T]], /, *args: Any, **kwargs: Any) -> _T | None:
        """Run any generated ``sync_detailed`` operation with this client's auth, errors and retries.

        Example::

            from fourthwall_client.api.products import get_product
            product = fw.call(get_product.sync_detailed, "prod-1")
        """
        return self._call(_operation_name(fn), fn, *args, **kwargs).parsed

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
        found = _request_ids(operation, fn, args, kwargs) if ids is None else dict(ids)
        return self._runner.run(operation, lambda: self._attempt(operation, fn, args, kwargs, found))

    def _attempt(
        self,
        operation: str,
        fn: Callable[..., GeneratedResponse[_T]],
        args: tuple[Any, ...],
        kwargs: Mapping[str, Any],
        ids: Mapping[str, object],
    ) -> CallResult[_T]:
        self._check_open(self._http, operation)
        token = _current_response.set(None)
        try:
            try:
                result = fn(*args, client=self._generated, **kwargs)
            except Exception as exc:
                mapped = self._translate(operation, exc, ids)
                if mapped is exc:
                    raise
                raise mapped from exc
            return self._finish(operation, result, ids)
        finally:
            _current_response.reset(token)

    def close(self) -> None:
        """Close the underlying httpx client (``with`` does this for you)."""
        self._http.close()

    def __enter__(self) -> Self:
        self._http.__enter__()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._http.__exit__(*exc_info)  # type: ignore[arg-type]


class AsyncClient(_ClientBase):
    """Base of the async vendor clients: owns one ``httpx.AsyncClient`` and the call path (``SyncClient``'s twin).

    Example::

        async with AsyncShipBob(auth="pat") as sb:
            levels = await sb.call(get_inventory_levels.asyncio_detailed, page_size=250)
    """

    _http: httpx.AsyncClient

    def __init__(
        self,
        auth: AuthLike,
        *,
        base_url: str | None = None,
        environment: str = "production",
        token_url: str | None = None,
        timeout: TimeoutTypes | NotGiven = NOT_GIVEN,
        max_retries: int | NotGiven = NOT_GIVEN,
        retry_policy: RetryPolicy | None = None,
        rate_limit: RateLimit | RequestBudget | NotGiven | None = NOT_GIVEN,
        strict: bool = False,
        allow_insecure_http: bool = False,
        verify: bool | str | ssl.SSLContext = True,
        follow_redirects: bool = True,
        headers: Mapping[str, str] | None = None,
        max_response_bytes: int = MAX_RESPONSE_BYTES,
        deadline: float | None = DEADLINE,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self._setup(
            auth,
            base_url=base_url,
            environment=environment,
            token_url=token_url,
            timeout=timeout,
            max_retries=max_retries,
            retry_policy=retry_policy,
            rate_limit=rate_limit,
            strict=strict,
            allow_insecure_http=allow_insecure_http,
            verify=verify,
            follow_redirects=follow_redirects,
            headers=headers,
            max_response_bytes=max_response_bytes,
            deadline=deadline,
        )
        config = self._config
        limited = AsyncLimitedTransport(
            transport or httpx.AsyncHTTPTransport(verify=verify),
            max_bytes=config.max_response_bytes,
            deadline=config.deadline,
        )
        self._http = AsyncVendorHttpClient(
            **self._http_options(),
            transport=async_rate_limited(limited, config.rate_limit) or limited,  # budget outside, as in SyncClient
            event_hooks={"response": [_aremember_response]},
        )
        if isinstance(self._auth, OAuthRefreshAuth):
            self._auth.bind(self._http)  # refreshes never follow redirects, and survive cancellation
        self._generated = self._generated_client()
        self._generated.set_async_httpx_client(self._http)

    @classmethod
    def from_env(cls, *, environ: Mapping[str, str] | None = None, **options: Any) -> Self:
        """Build a client from the vendor's environment variables; ``options`` go to the constructor.

        Example::

            sb = AsyncShipBob.from_env(strict=True)
        """
        return cls(**cls._env_kwargs(environ, options))

    async def call(
        self, fn: Callable[..., Awaitable[GeneratedResponse[_T]]], /, *args: Any, **kwargs: Any
    ) -> _T | None:
        """Run any generated ``asyncio_detailed`` operation with this client's auth, errors and retries.

        Example::

            product = await fw.call(get_product.asyncio_detailed, "prod-1")
        """
        return (await self._acall(_operation_name(fn), fn, *args, **kwargs)).parsed

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
        found = _request_ids(operation, fn, args, kwargs) if ids is None else dict(ids)
        return await self._runner.arun(operation, lambda: self._aattempt(operation, fn, args, kwargs, found))

    async def _aattempt(
        self,
        operation: str,
        fn: Callable[..., Awaitable[GeneratedResponse[_T]]],
        args: tuple[Any, ...],
        kwargs: Mapping[str, Any],
        ids: Mapping[str, object],
    ) -> CallResult[_T]:
        self._check_open(self._http, operation)
        token = _current_response.set(None)
        try:
            try:
                result = await fn(*args, client=self._generated, **kwargs)
            except Exception as exc:
                mapped = self._translate(operation, exc, ids)
                if mapped is exc:
                    raise
                raise mapped from exc
            return self._finish(operation, result, ids)
        finally:
            _current_response.reset(token)

    async def aclose(self) -> None:
        """Close the underlying httpx client (``async with`` does this for you)."""
        await self._http.aclose()

    async def __aenter__(self) -> Self:
        await self._http.__aenter__()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self._http.__aexit__(*exc_info)  # type: ignore[arg-type]
