"""Every status and bad-body case maps to its typed error, sync and async; nothing raw escapes the facade."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from facade.errors import (
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
from tests.support.drivers import FOURTHWALL_PROBE_PAGE as FW_PAGE
from tests.support.drivers import Mode, Responder, call_mocked, client_driven

MODES: list[Mode] = ["sync", "async"]
SB_ORDER = {"id": 7, "reference_id": "ref-7", "status": "Fulfilled"}


def call_fourthwall(mode: Mode, responder: Responder, *args: Any, strict: bool = False, **kwargs: Any) -> Any:
    return call_mocked("fourthwall", mode, responder, *args, strict=strict, **kwargs)


def call_shipbob(mode: Mode, responder: Responder, *args: Any, strict: bool = False, **kwargs: Any) -> Any:
    return call_mocked("shipbob", mode, responder, *args, strict=strict, **kwargs)


CALLERS = {"fourthwall": call_fourthwall, "shipbob": call_shipbob}


def answer(
    status: int, body: Any = None, *, raw: bytes | None = None, headers: dict[str, str] | None = None
) -> Responder:
    def responder(request: httpx.Request) -> httpx.Response:
        if raw is not None:
            return httpx.Response(status, content=raw, headers=headers)
        if body is None:
            return httpx.Response(status, headers=headers)
        return httpx.Response(status, json=body, headers=headers)

    return responder


# --- successes (the baseline the error cases differ from) -----------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_fourthwall_page_parses(mode: Mode) -> None:
    page = call_fourthwall(mode, answer(200, FW_PAGE))
    assert page.total == 1
    assert page.results[0].quantity == 3


@pytest.mark.parametrize("mode", MODES)
def test_shipbob_order_parses(mode: Mode) -> None:
    order = call_shipbob(mode, answer(200, SB_ORDER))
    assert order.id == 7


# --- status codes ----------------------------------------------------------------------------------------------

STATUS_CASES = [
    pytest.param(
        "fourthwall",
        answer(404, {"code": "OFFER_NOT_FOUND_BY_SHOP_ID_AND_ID_ERROR", "offerId": "prod-1"}),
        NotFoundError,
        {"code": "OFFER_NOT_FOUND_BY_SHOP_ID_AND_ID_ERROR", "ids": {"product_id": "prod-1"}},
        id="fw-404-code",
    ),
    pytest.param(
        "shipbob",
        answer(404, {"type": "https://tools.ietf.org/html/rfc7231#section-6.5.4", "title": "Not Found", "status": 404}),
        NotFoundError,
        {"problem": {"type": "https://tools.ietf.org/html/rfc7231#section-6.5.4", "title": "Not Found", "status": 404}},
        id="sb-404-problem",
    ),
    pytest.param(
        "shipbob",
        answer(400, {"productId": ["The value 'x' is not valid."]}),
        BadRequestError,
        {"field_errors": {"productId": ("The value 'x' is not valid.",)}, "ids": {"order_id": 42}},
        id="sb-400-field-errors",
    ),
    pytest.param("shipbob", answer(401, {"message": "bad token"}), AuthenticationError, {}, id="sb-401"),
    pytest.param("fourthwall", answer(401), AuthenticationError, {}, id="fw-401-empty"),
    pytest.param("shipbob", answer(403, {"title": "Forbidden"}), PermissionDeniedError, {}, id="sb-403"),
    pytest.param("fourthwall", answer(403, raw=b"<html>nope</html>"), PermissionDeniedError, {}, id="fw-403-html"),
    pytest.param(
        "shipbob",
        answer(429, raw=b"", headers={"x-retry-after": "7", "x-remaining-calls": "0"}),
        RateLimitError,
        {"retry_after": 7.0},
        id="sb-429-x-retry-after",
    ),
    pytest.param(
        "fourthwall",
        answer(429, {"code": "OPEN_API_TOO_MANY_REQUESTS"}, headers={"Retry-After": "2"}),
        RateLimitError,
        {"retry_after": 2.0, "code": "OPEN_API_TOO_MANY_REQUESTS"},
        id="fw-429-code",
    ),
    pytest.param("fourthwall", answer(500, {"code": "INTERNAL"}), ServerError, {"code": "INTERNAL"}, id="fw-500"),
    pytest.param("shipbob", answer(503, raw=b"upstream down"), ServerError, {}, id="sb-503"),
    pytest.param("fourthwall", answer(520, raw=b"cloudflare"), NonStandardStatusError, {}, id="fw-520"),
    pytest.param("shipbob", answer(520), NonStandardStatusError, {}, id="sb-520"),
    pytest.param("fourthwall", answer(418, {"code": "TEAPOT"}), APIStatusError, {"code": "TEAPOT"}, id="fw-418"),
    pytest.param("shipbob", answer(409, raw=b"{not json"), APIStatusError, {}, id="sb-409-bad-json"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("vendor", "responder", "error_type", "expected"), STATUS_CASES)
def test_status_maps_to_typed_error(
    mode: Mode, vendor: str, responder: Responder, error_type: type[FacadeError], expected: dict[str, Any]
) -> None:
    with pytest.raises(FacadeError) as caught:
        CALLERS[vendor](mode, responder)
    error = caught.value
    assert type(error) is error_type
    assert caught.value.response is not None
    assert error.status_code == caught.value.response.status_code
    assert error.operation in {"get_product_inventory", "get_2026_01_order_by_order_id"}
    assert error.request is not None and error.request.method == "GET"
    assert f"HTTP {error.status_code}" in str(error)
    for name, value in expected.items():
        assert getattr(error, name) == value, name


@pytest.mark.parametrize("mode", MODES)
def test_non_standard_status_is_both_a_validation_and_a_server_error(mode: Mode) -> None:
    with pytest.raises(NonStandardStatusError) as caught:
        call_fourthwall(mode, answer(520))
    assert isinstance(caught.value, ResponseValidationError)
    assert isinstance(caught.value, ServerError)
    assert caught.value.reason == "non-standard HTTP status 520"


@pytest.mark.parametrize("mode", MODES)
def test_error_message_names_operation_code_and_ids(mode: Mode) -> None:
    with pytest.raises(NotFoundError) as caught:
        call_fourthwall(mode, answer(404, {"code": "OFFER_NOT_FOUND_BY_SHOP_ID_AND_ID_ERROR"}), "prod-9")
    assert str(caught.value) == (
        "get_product_inventory failed: HTTP 404 Not Found (OFFER_NOT_FOUND_BY_SHOP_ID_AND_ID_ERROR) "
        "[product_id='prod-9']"
    )


# --- bodies that do not match the spec --------------------------------------------------------------------------

BAD_BODIES = [
    pytest.param("fourthwall", answer(200, raw=b'{"results": ['), "not valid JSON", id="fw-truncated-json"),
    pytest.param("shipbob", answer(200, raw=b"<html>maintenance</html>"), "not valid JSON", id="sb-html"),
    pytest.param(
        "fourthwall",
        answer(200, {**FW_PAGE, "results": [{k: v for k, v in FW_PAGE["results"][0].items() if k != "quantity"}]}),
        "required field 'quantity' is missing",
        id="fw-missing-field",
    ),
    pytest.param("fourthwall", answer(200, {"total": 0}), "required field 'results' is missing", id="fw-no-results"),
    pytest.param(
        "fourthwall",
        answer(200, {**FW_PAGE, "results": [{**FW_PAGE["results"][0], "variantId": 12}]}),
        "field results[0].variantId should be UUID, got int",
        id="fw-wrong-type-uuid",
    ),
    pytest.param(
        "fourthwall",
        answer(200, {**FW_PAGE, "results": [{**FW_PAGE["results"][0], "createdAt": "yesterday"}]}),
        "field results[0].createdAt should be datetime.datetime, got str (Invalid isoformat string: 'yesterday')",
        id="fw-bad-datetime",
    ),
    pytest.param(
        "fourthwall",
        answer(200, ["not", "an", "object"]),
        "value should be StockPage, got list",
        id="fw-array-not-object",
    ),
    pytest.param("shipbob", answer(200, [1, 2]), "value should be OrderViewModel, got list", id="sb-array-not-object"),
    pytest.param(
        "shipbob",
        answer(200, {"id": 1, "status": 5}),
        "field status should be OrderStatus, got int",
        id="sb-enum-wrong-type",
    ),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("vendor", "responder", "reason_part"), BAD_BODIES)
def test_bad_body_maps_to_response_validation_error(
    mode: Mode, vendor: str, responder: Responder, reason_part: str
) -> None:
    with pytest.raises(ResponseValidationError) as caught:
        CALLERS[vendor](mode, responder)
    error = caught.value
    assert type(error) is ResponseValidationError
    assert error.status_code == 200
    assert reason_part in error.reason
    assert error.reason in str(error)
    assert isinstance(error.__cause__, KeyError | TypeError | ValueError | AttributeError)


@pytest.mark.parametrize("mode", MODES)
def test_unknown_enum_value_is_kept_by_default(mode: Mode) -> None:
    order = call_shipbob(mode, answer(200, {"id": 1, "status": "Teleported"}))
    assert order.status.value == "Teleported"


@pytest.mark.parametrize("mode", MODES)
def test_unknown_enum_value_fails_in_strict_mode_naming_field_and_value(mode: Mode) -> None:
    with pytest.raises(ResponseValidationError) as caught:
        call_shipbob(mode, answer(200, {**SB_ORDER, "status": "Teleported"}), strict=True)
    assert caught.value.reason == "unknown enum value 'Teleported' for field body.status (OrderStatus)"
    assert caught.value.ids == {"order_id": 42}


@pytest.mark.parametrize("mode", MODES)
def test_strict_mode_accepts_declared_enum_values(mode: Mode) -> None:
    order = call_shipbob(mode, answer(200, SB_ORDER), strict=True)
    assert order.status.value == "Fulfilled"


@pytest.mark.parametrize("mode", MODES)
def test_enum_parser_value_error_maps_to_response_validation_error(mode: Mode, monkeypatch: pytest.MonkeyPatch) -> None:
    # An intolerant generated enum (one the templates did not reach) raises ValueError inside the parser.
    from shipbob_client.models import order_status

    def refuse(cls: type[order_status.OrderStatus], value: object) -> None:
        return None

    monkeypatch.setattr(order_status.OrderStatus, "_missing_", classmethod(refuse))
    with pytest.raises(ResponseValidationError) as caught:
        call_shipbob(mode, answer(200, {"id": 1, "status": "Teleported"}))
    assert (
        caught.value.reason == "field status should be OrderStatus, got str ('Teleported' is not a valid OrderStatus)"
    )


# --- transport failures -----------------------------------------------------------------------------------------


def raising(exc_type: type[httpx.TransportError]) -> Responder:
    def responder(request: httpx.Request) -> httpx.Response:
        raise exc_type("simulated", request=request)

    return responder


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("exc_type", "error_type"),
    [
        (httpx.ConnectError, APIConnectionError),
        (httpx.ReadError, APIConnectionError),
        (httpx.RemoteProtocolError, APIConnectionError),
        (httpx.ConnectTimeout, APITimeoutError),
        (httpx.ReadTimeout, APITimeoutError),
        (httpx.PoolTimeout, APITimeoutError),
    ],
)
def test_transport_errors_map_to_connection_errors(
    mode: Mode, exc_type: type[httpx.TransportError], error_type: type[APIConnectionError]
) -> None:
    with pytest.raises(APIConnectionError) as caught:
        call_shipbob(mode, raising(exc_type))
    assert type(caught.value) is error_type
    assert isinstance(caught.value.__cause__, exc_type)
    assert caught.value.request is not None
    assert caught.value.ids == {"order_id": 42}


@pytest.mark.parametrize("mode", MODES)
def test_connection_refused_on_a_real_socket(mode: Mode, unused_port: int) -> None:
    from fourthwall_client.api.products_offers import get_product_inventory as op

    base_url = f"http://127.0.0.1:{unused_port}"
    options: dict[str, Any] = {"auth": "tok", "base_url": base_url, "max_retries": 0, "rate_limit": None}
    with pytest.raises(APIConnectionError) as caught, client_driven("fourthwall", mode, **options) as fourthwall:
        fourthwall.call(op, "p1")
    assert type(caught.value) is APIConnectionError
    assert "ConnectError" in str(caught.value)


# --- what is not the API's fault passes through -----------------------------------------------------------------


@pytest.mark.parametrize("mode", MODES)
def test_wrong_arguments_are_the_callers_bug_and_pass_through(mode: Mode) -> None:
    with pytest.raises(TypeError):
        call_fourthwall(mode, answer(200, FW_PAGE), "p1", no_such_argument=1)


def test_mapping_functions_are_pure() -> None:
    # An internal piece on purpose: the mapping functions are pure and tested without a client.
    from facade.core._status import error_for_status, parse_error_body
    from facade.retry import parse_retry_after

    body = parse_error_body(json.dumps({"errors": {"Limit": ["must be <= 250"]}, "title": "One or more"}).encode())
    assert body.field_errors == {"Limit": ("must be <= 250",)}
    assert parse_error_body(b"\xff\xfe").data is None
    assert parse_retry_after(httpx.Headers({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), now=1445412470.0) == 10.0
    assert parse_retry_after(httpx.Headers({"Retry-After": "soon"})) is None
    assert parse_retry_after(httpx.Headers({"x-retry-after": "nan"})) is None
    error = error_for_status(httpx.Response(404), operation="op")
    assert isinstance(error, NotFoundError) and error.request is None


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("status", "error_type"), [(418, APIStatusError), (201, ResponseValidationError)])
def test_generator_unexpected_status_never_escapes(mode: Mode, status: int, error_type: type[FacadeError]) -> None:
    from fourthwall_client.api.products_offers import get_product_inventory as op

    transport = httpx.MockTransport(lambda request: httpx.Response(status, json={"code": "X"}))
    options: dict[str, Any] = {"auth": "t", "max_retries": 0, "rate_limit": None, "transport": transport}
    with pytest.raises(FacadeError) as caught, client_driven("fourthwall", mode, **options) as fourthwall:
        fourthwall.client.generated.raise_on_unexpected_status = True
        fourthwall.call(op, "p1")
    assert type(caught.value) is error_type
    assert type(caught.value.__cause__).__name__ == "UnexpectedStatus"
    assert caught.value.status_code == status
