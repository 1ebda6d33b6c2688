"""Spec-invalid 2xx bodies, fed through the facade's response handling, raise ``ResponseValidationError``.

Bodies start spec-valid (hypothesis-jsonschema, every JSON 2xx response of every vendored spec) and are
broken in one place: a required field dropped, a value of the wrong JSON type, or bytes that are not
JSON at all. The facade gets them from an ``httpx.MockTransport`` through its public ``call`` path, sync
and async; anything but ``ResponseValidationError`` (another exception, or no error) fails.

Sampling (the full specs have 107 JSON 2xx responses): every response gets non-JSON bodies; the two
mutation tests split the responses between them deterministically (even positions in ``CASES``, which is
sorted by spec order, get structural breaks, odd positions wrong-type scalars), so every response gets a
broken body of one kind. Each case draws ``EXAMPLES`` derandomized examples (the same on every run; ``SAMPLED`` in
``tests/support/openapi_cases.py``).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import facade
from tests.support.mutations import Mutation, mutations
from tests.support.openapi_cases import (
    SAMPLED,
    ResponseCase,
    call_arguments,
    operation_case_for,
    response_cases,
)

CASES = response_cases()

_SYNC: dict[str, Callable[[httpx.BaseTransport], Any]] = {
    "fourthwall": lambda t: facade.Fourthwall(facade.BasicAuth("u", "p"), transport=t, max_retries=0, rate_limit=None),
    "shipbob": lambda t: facade.ShipBob("pat", transport=t, max_retries=0, rate_limit=None),
}
_ASYNC: dict[str, Callable[[httpx.AsyncBaseTransport], Any]] = {
    "fourthwall": lambda t: facade.AsyncFourthwall(
        facade.BasicAuth("u", "p"), transport=t, max_retries=0, rate_limit=None
    ),
    "shipbob": lambda t: facade.AsyncShipBob("pat", transport=t, max_retries=0, rate_limit=None),
}


def errors_from_facade(case: ResponseCase, content: bytes) -> list[BaseException | None]:
    """What the sync and async facade raise when ``case``'s operation answers ``content`` (None: nothing)."""
    transport = httpx.MockTransport(
        lambda request: httpx.Response(case.status, content=content, headers={"content-type": "application/json"})
    )
    outcomes: list[BaseException | None] = []
    with _SYNC[case.vendor](transport) as client:
        try:
            args, kwargs = call_arguments(operation_case_for(case), case.module.sync_detailed)
            client.call(case.module.sync_detailed, *args, **kwargs)
            outcomes.append(None)
        except Exception as exc:
            outcomes.append(exc)

    async def run() -> None:
        async with _ASYNC[case.vendor](transport) as client:
            try:
                args, kwargs = call_arguments(operation_case_for(case), case.module.asyncio_detailed)
                await client.call(case.module.asyncio_detailed, *args, **kwargs)
                outcomes.append(None)
            except Exception as exc:
                outcomes.append(exc)

    asyncio.run(run())
    return outcomes


def assert_validation_errors(outcomes: list[BaseException | None], what: str) -> list[facade.ResponseValidationError]:
    for outcome in outcomes:
        assert outcome is not None, f"no error for a spec-invalid body ({what})"
        assert isinstance(outcome, facade.ResponseValidationError), f"{type(outcome).__name__}: {outcome} ({what})"
    return [o for o in outcomes if isinstance(o, facade.ResponseValidationError)]


def test_the_facade_serves_every_vendor_with_typed_responses() -> None:
    assert {case.vendor for case in CASES} == set(_SYNC) == set(_ASYNC)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
@SAMPLED
@given(data=st.data())
def test_non_json_bodies_raise_response_validation_error(case: ResponseCase, data: st.DataObject) -> None:
    valid = json.dumps(data.draw(case.bodies(), label="valid body")).encode()
    content = data.draw(
        st.one_of(
            st.just(valid[: max(1, len(valid) // 2)]),  # truncated mid-body
            st.sampled_from([b"", b"<html>502 Bad Gateway</html>", b"{", b"\xff\xfe\x00"]),
        ),
        label="content",
    )
    assume(content != valid)
    errors = assert_validation_errors(errors_from_facade(case, content), f"content {content[:40]!r}")
    for error in errors:
        assert error.status_code == case.status
        assert error.reason, "the error should say what was wrong with the body"
        assert case.operation_id in str(error)


_WHOLE_BODY = {
    dict: Mutation(kind="wrong-type", path=(), replacement="not an object", schema_type="object"),
    list: Mutation(kind="wrong-type", path=(), replacement={"not": "an array"}, schema_type="array"),
}


def _draw_mutation(case: ResponseCase, data: st.DataObject, keep: Callable[[Mutation], bool]) -> tuple[Any, Mutation]:
    body = data.draw(case.bodies(), label="valid body")
    candidates = [m for m in mutations(body, case.schema) if keep(m)]
    if not candidates and isinstance(body, dict | list):
        # nothing of this kind to break in this body (all optional, or only unions the mutations do not walk):
        # break the whole body instead, so the case still tests something instead of filtering for minutes
        candidates = [_WHOLE_BODY[type(body)]]
    assume(candidates)
    return body, data.draw(st.sampled_from(candidates), label="mutation")


@pytest.mark.parametrize("case", CASES[0::2], ids=lambda case: case.id)
@SAMPLED
@given(data=st.data())
def test_structurally_broken_bodies_raise_response_validation_error(case: ResponseCase, data: st.DataObject) -> None:
    body, mutation = _draw_mutation(case, data, lambda m: m.structural)
    broken = json.dumps(mutation.apply(body)).encode()
    errors = assert_validation_errors(errors_from_facade(case, broken), mutation.describe())
    if mutation.kind == "drop-required":
        assert all(repr(mutation.key) in str(error) for error in errors), "the error should name the missing field"


# The generated parsers type-check every scalar (pipeline/templates: types.FieldTypeError); the facade maps it.
@pytest.mark.parametrize("case", CASES[1::2], ids=lambda case: case.id)
@SAMPLED
@given(data=st.data())
def test_scalars_of_the_wrong_type_raise_response_validation_error(case: ResponseCase, data: st.DataObject) -> None:
    body, mutation = _draw_mutation(case, data, lambda m: not m.structural)
    broken = json.dumps(mutation.apply(body)).encode()
    errors = assert_validation_errors(errors_from_facade(case, broken), mutation.describe())
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in mutation.path).lstrip(".")
    named = f"field {where} should be" if where else "value should be"
    assert all(error.reason.startswith(named) for error in errors), f"{errors[0].reason!r} should name {where!r}"
