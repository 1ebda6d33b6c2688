"""The retry policy (what is retried, how long we wait) and the tenacity loop around it, without a network."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
import tenacity

from facade.errors import (
    APIConnectionError,
    APITimeoutError,
    NonStandardStatusError,
    NotFoundError,
    RateLimitError,
    ResponseValidationError,
    ServerError,
)
from facade.retry import RetryPolicy, RetryRunner, RetryWait, acall_with_retries, call_with_retries, retry_reason

URL = "https://api.example.test/open-api/v1.0/products/p1/inventory"


def status_error(cls: Any, status: int, method: str = "GET", headers: Any = None) -> Any:
    request = httpx.Request(method, URL)
    response = httpx.Response(status, headers=headers or {}, request=request)
    return cls(f"HTTP {status}", status_code=status, request=request, response=response)


def transport_error(exc_cls: Any, method: str = "GET", wrap: Any = APIConnectionError) -> Any:
    request = httpx.Request(method, URL)
    cause = exc_cls("boom", request=request)
    try:
        raise wrap("no response", request=request) from cause
    except wrap as exc:
        return exc


@pytest.mark.parametrize(
    ("error", "method", "retried"),
    [
        (status_error(ServerError, 500), "GET", True),
        (status_error(ServerError, 502), "GET", True),
        (status_error(ServerError, 503), "PUT", True),
        (status_error(ServerError, 504), "DELETE", True),
        (status_error(NonStandardStatusError, 520), "GET", True),
        (status_error(RateLimitError, 429), "GET", True),
        (status_error(ServerError, 408), "GET", True),
        (status_error(ServerError, 501), "GET", False),
        (status_error(ServerError, 505), "GET", False),
        (status_error(NotFoundError, 404), "GET", False),
        (status_error(ServerError, 503, method="POST"), "POST", False),
        (status_error(RateLimitError, 429, method="POST"), "POST", False),
        (transport_error(httpx.ReadError), "GET", True),
        (transport_error(httpx.RemoteProtocolError), "GET", True),
        (transport_error(httpx.ReadTimeout, wrap=APITimeoutError), "GET", True),
        (transport_error(httpx.ReadError, method="POST"), "POST", False),
        (transport_error(httpx.ReadTimeout, method="POST", wrap=APITimeoutError), "POST", False),
        (transport_error(httpx.ConnectError, method="POST"), "POST", True),
        (transport_error(httpx.ConnectTimeout, method="POST", wrap=APITimeoutError), "POST", True),
        (transport_error(httpx.PoolTimeout, method="POST", wrap=APITimeoutError), "POST", True),
        (transport_error(httpx.UnsupportedProtocol), "GET", False),
        (ResponseValidationError("bad json", status_code=200, request=httpx.Request("GET", URL)), "GET", False),
        (ValueError("a bug"), "GET", False),
    ],
    ids=lambda v: v if isinstance(v, str | bool) else f"{type(v).__name__}:{getattr(v, 'status_code', '')}",
)
def test_policy_retries_only_what_is_safe_and_transient(error: BaseException, method: str, retried: bool) -> None:
    # The method is read from the request the error carries, as the call path does.
    assert (retry_reason(error) is not None) is retried
    assert (retry_reason(error, method=method) is not None) is retried


def test_unknown_method_counts_as_not_idempotent() -> None:
    error = ServerError("HTTP 503", status_code=503)  # no request attached
    assert retry_reason(error) is None
    assert retry_reason(error, method="get") == "status 503"
    bare = httpx.ReadError("reset")  # an httpx error built without a request: its .request raises
    assert retry_reason(bare) is None
    assert retry_reason(bare, method="GET") == "ReadError"


def wait_for(error: BaseException, *, attempt: int = 1, **policy: Any) -> float:
    state = tenacity.RetryCallState(retry_object=tenacity.Retrying(), fn=None, args=(), kwargs={})
    state.attempt_number = attempt
    state.set_exception((type(error), error, None))
    return RetryWait(RetryPolicy(**policy))(state)


def test_wait_honours_shipbob_x_retry_after_and_standard_retry_after() -> None:
    assert wait_for(status_error(RateLimitError, 429, headers={"x-retry-after": "7"})) == 7.0
    assert wait_for(status_error(ServerError, 503, headers={"Retry-After": "3"})) == 3.0


def test_wait_honours_an_http_date() -> None:
    when = datetime.now(UTC) + timedelta(seconds=30)
    wait = wait_for(status_error(ServerError, 503, headers={"Retry-After": format_datetime(when, usegmt=True)}))
    assert 25.0 <= wait <= 30.0


def test_wait_caps_the_server_hint() -> None:
    error = status_error(RateLimitError, 429, headers={"Retry-After": "3600"})
    assert wait_for(error, retry_after_max=45.0) == 45.0


def test_wait_ignores_garbage_hints_and_backs_off_exponentially_with_bounded_jitter() -> None:
    error = status_error(ServerError, 503, headers={"Retry-After": "soon"})
    for attempt, base in [(1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0)]:
        wait = wait_for(error, attempt=attempt, backoff_initial=0.5, backoff_jitter=0.25, backoff_max=3.0)
        assert min(base, 3.0) <= wait <= min(base + 0.25, 3.0)


def flaky(failures: list[BaseException]) -> tuple[Any, list[int]]:
    """A callable failing with each of ``failures`` in turn, then returning "ok"; counts its calls."""
    calls: list[int] = []

    def fn() -> str:
        calls.append(1)
        if len(calls) <= len(failures):
            raise failures[len(calls) - 1]
        return "ok"

    return fn, calls


FAST = RetryPolicy(max_retries=2, backoff_initial=0.001, backoff_max=0.002, backoff_jitter=0.001, retry_after_max=0.01)


def test_recovers_after_transient_failures() -> None:
    fn, calls = flaky([status_error(ServerError, 503), transport_error(httpx.ReadError)])
    assert call_with_retries(fn, policy=FAST, operation="inventory") == "ok"
    assert len(calls) == 3


def test_gives_up_after_max_retries_with_the_last_error() -> None:
    errors = [status_error(ServerError, 500), status_error(ServerError, 502), status_error(ServerError, 504)]
    fn, calls = flaky([*errors, status_error(ServerError, 503)])
    with pytest.raises(ServerError) as raised:
        call_with_retries(fn, policy=FAST, operation="inventory")
    assert raised.value is errors[2]
    assert len(calls) == 3


def test_zero_retries_means_one_attempt() -> None:
    fn, calls = flaky([status_error(ServerError, 503)])
    with pytest.raises(ServerError):
        call_with_retries(fn, policy=RetryPolicy(max_retries=0), operation="inventory")
    assert len(calls) == 1


def test_a_post_that_may_have_been_processed_is_not_retried() -> None:
    fn, calls = flaky([status_error(ServerError, 503, method="POST")])
    with pytest.raises(ServerError):
        call_with_retries(fn, policy=FAST, operation="create_order")
    assert len(calls) == 1


def test_decisions_are_logged_at_debug_without_messages_or_headers(caplog: pytest.LogCaptureFixture) -> None:
    secret = "sk-live-DO-NOT-LOG"
    request = httpx.Request("GET", URL, headers={"Authorization": f"Bearer {secret}"})
    response = httpx.Response(503, headers={"Retry-After": "0"}, request=request)
    failing = ServerError(f"upstream said {secret}", status_code=503, request=request, response=response)
    fn, _ = flaky([failing, failing, failing])
    caplog.set_level(logging.DEBUG, logger="facade.retry")
    with pytest.raises(ServerError):
        call_with_retries(fn, policy=FAST, operation="get_product_inventory")
    messages = [r.getMessage() for r in caplog.records if r.name == "facade.retry"]
    assert all(r.levelno == logging.DEBUG for r in caplog.records if r.name == "facade.retry")
    assert sum("retrying in" in m for m in messages) == 2
    assert any("giving up after 3 attempt(s)" in m for m in messages)
    assert all("GET get_product_inventory" in m for m in messages)
    assert not any(secret in m for m in messages)


def test_async_twin_retries_the_same_way() -> None:
    fn_calls = []

    async def fn() -> str:
        fn_calls.append(1)
        if len(fn_calls) < 3:
            raise status_error(RateLimitError, 429, headers={"x-retry-after": "0"})
        return "ok"

    assert asyncio.run(acall_with_retries(fn, policy=FAST, operation="inventory")) == "ok"
    assert len(fn_calls) == 3


def test_runner_matches_the_call_path_protocol() -> None:
    runner = RetryRunner(FAST)
    fn, calls = flaky([status_error(ServerError, 502)])
    assert runner.run("inventory", fn) == "ok"
    assert len(calls) == 2

    async def once() -> int:
        return 42

    assert asyncio.run(runner.arun("inventory", once)) == 42


def test_the_async_runner_awaits_a_lambda_returning_a_coroutine() -> None:
    """Old behaviour: tenacity 9.2 awaits only coroutine *functions*; the call path passes a lambda, so every
    async facade call returned an un-awaited coroutine ('coroutine' object has no attribute 'parsed')."""

    async def once() -> int:
        return 42

    assert asyncio.run(RetryRunner(FAST).arun("inventory", lambda: once())) == 42  # noqa: PLW0108 (the lambda is the point)


def test_a_redirect_loop_is_deterministic_and_not_retried() -> None:
    """Old behaviour: TooManyRedirects behind an APIConnectionError was retried like a reset."""
    error = transport_error(httpx.TooManyRedirects)
    assert retry_reason(error, method="GET") is None
    assert retry_reason(httpx.TooManyRedirects("loop", request=httpx.Request("GET", URL)), method="GET") is None


@pytest.mark.parametrize(
    "field", ["max_retries", "backoff_initial", "backoff_max", "backoff_jitter", "retry_after_max"]
)
def test_negative_settings_are_configuration_errors(field: str) -> None:
    """Old behaviour: attrs' ValueError; now the facade's one number check (ConfigurationError naming it)."""
    from facade.errors import ConfigurationError

    with pytest.raises(ConfigurationError, match=field):
        RetryPolicy(**{field: -1})
