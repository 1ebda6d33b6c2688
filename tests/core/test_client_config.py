"""Configuration: from_env for every auth mode, clear errors naming variables and arguments, frozen config,
timeouts applied, the escape hatch to the generated client, and a cheap ``import facade``."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import threading
from typing import Any

import attrs
import httpx
import pytest

from facade import AsyncFourthwall, AsyncShipBob, Fourthwall, RateLimit, ShipBob
from facade.auth import BasicAuth, BearerAuth, OAuthRefreshAuth
from facade.config import ClientConfig
from facade.errors import APITimeoutError, ConfigurationError, NotFoundError
from tests.support.drivers import Mode, client_driven
from tests.support.local_http import LocalServer, Reply, Seen

FW_PAGE = {"results": [], "total": 0, "page": 0, "size": 20, "totalPages": 0}


# --- from_env ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", [Fourthwall, AsyncFourthwall])
@pytest.mark.parametrize(
    ("environ", "auth_type"),
    [
        ({"FOURTHWALL_USERNAME": "u", "FOURTHWALL_PASSWORD": "p"}, BasicAuth),
        ({"FOURTHWALL_ACCESS_TOKEN": "t"}, BearerAuth),
        (
            {"FOURTHWALL_CLIENT_ID": "c", "FOURTHWALL_CLIENT_SECRET": "s", "FOURTHWALL_REFRESH_TOKEN": "r"},
            OAuthRefreshAuth,
        ),
    ],
)
def test_fourthwall_from_env_picks_the_auth_mode(
    cls: type[Fourthwall] | type[AsyncFourthwall], environ: dict[str, str], auth_type: type
) -> None:
    client = cls.from_env(environ={**environ, "FOURTHWALL_BASE_URL": "http://127.0.0.1:9"})
    assert f"auth={auth_type.__name__}(" in repr(client)
    assert client.config.base_url == "http://127.0.0.1:9"


@pytest.mark.parametrize("cls", [ShipBob, AsyncShipBob])
def test_shipbob_from_env_reads_token_channel_and_environment(cls: type[ShipBob] | type[AsyncShipBob]) -> None:
    client = cls.from_env(
        environ={"SHIPBOB_TOKEN": "pat", "SHIPBOB_CHANNEL_ID": "321", "SHIPBOB_ENVIRONMENT": "sandbox"}
    )
    assert "auth=BearerAuth(" in repr(client)
    assert client.config.base_url == "https://sandbox-api.shipbob.com"
    assert dict(client.config.headers)["shipbob_channel_id"] == "321"


def test_shipbob_from_env_oauth_mode_and_os_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"SHIPBOB_CLIENT_ID": "c", "SHIPBOB_CLIENT_SECRET": "s", "SHIPBOB_REFRESH_TOKEN": "r"}.items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("SHIPBOB_TOKEN", raising=False)
    monkeypatch.delenv("SHIPBOB_ENVIRONMENT", raising=False)
    client = ShipBob.from_env(timeout=3.0)
    assert "auth=OAuthRefreshAuth(token_url='https://auth.shipbob.com/connect/token'" in repr(client)
    assert client.config.timeout == httpx.Timeout(3.0)


@pytest.mark.parametrize(
    ("cls", "environ", "names"),
    [
        (
            Fourthwall,
            {},
            [
                "FOURTHWALL_USERNAME",
                "FOURTHWALL_PASSWORD",
                "FOURTHWALL_ACCESS_TOKEN",
                "FOURTHWALL_CLIENT_ID",
                "FOURTHWALL_CLIENT_SECRET",
                "FOURTHWALL_REFRESH_TOKEN",
            ],
        ),
        (Fourthwall, {"FOURTHWALL_USERNAME": "u"}, ["FOURTHWALL_PASSWORD"]),
        (Fourthwall, {"FOURTHWALL_USERNAME": "u", "FOURTHWALL_PASSWORD": " "}, ["FOURTHWALL_PASSWORD"]),
        (Fourthwall, {"FOURTHWALL_CLIENT_ID": "c"}, ["FOURTHWALL_CLIENT_SECRET, FOURTHWALL_REFRESH_TOKEN"]),
        (
            Fourthwall,
            {"FOURTHWALL_USERNAME": "u", "FOURTHWALL_PASSWORD": "p", "FOURTHWALL_ACCESS_TOKEN": "t"},
            ["FOURTHWALL_ACCESS_TOKEN", "only one"],
        ),
        (AsyncShipBob, {}, ["SHIPBOB_TOKEN", "SHIPBOB_CLIENT_ID", "SHIPBOB_CLIENT_SECRET", "SHIPBOB_REFRESH_TOKEN"]),
        (AsyncShipBob, {"SHIPBOB_CLIENT_SECRET": "s"}, ["SHIPBOB_CLIENT_ID, SHIPBOB_REFRESH_TOKEN"]),
        (AsyncShipBob, {"SHIPBOB_TOKEN": "t", "SHIPBOB_ENVIRONMENT": "staging"}, ["SHIPBOB_ENVIRONMENT", "'staging'"]),
        (AsyncShipBob, {"SHIPBOB_TOKEN": "t", "SHIPBOB_CHANNEL_ID": "abc"}, ["SHIPBOB_CHANNEL_ID"]),
    ],
)
def test_from_env_errors_name_the_variables(
    cls: type[Fourthwall] | type[AsyncShipBob], environ: dict[str, str], names: list[str]
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        cls.from_env(environ=environ)
    for name in names:
        assert name in str(caught.value)


# --- constructor arguments ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_retries": -1}, "max_retries must be a whole number >= 0"),
        ({"max_response_bytes": 0}, "max_response_bytes must be a whole number > 0"),
        ({"deadline": -1.0}, "deadline must be a number > 0"),
        ({"base_url": "http://api.example.test"}, "plain http://"),
        ({"rate_limit": RateLimit(requests=1, per_seconds=1)}, None),
    ],
)
def test_fourthwall_constructor_validates_arguments(kwargs: dict[str, Any], message: str | None) -> None:
    if message is None:
        assert Fourthwall(auth="t", **kwargs).config.rate_limit == RateLimit(requests=1, per_seconds=1)
        return
    with pytest.raises(ConfigurationError, match=message):
        Fourthwall(auth="t", **kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"environment": "staging"}, "one of 'production', 'sandbox', got 'staging'"),
        ({"channel_id": "12a"}, "channel_id must be a number"),
    ],
)
def test_shipbob_constructor_validates_arguments(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigurationError, match=message):
        ShipBob(auth="t", **kwargs)


def test_rate_limit_validation_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="per_seconds"):
        RateLimit(requests=10, per_seconds=0)


def test_vendor_defaults_are_the_documented_ones() -> None:
    fw, sb = Fourthwall(auth="t"), ShipBob(auth="t")
    assert fw.config.base_url == "https://api.fourthwall.com"
    assert sb.config.base_url == "https://api.shipbob.com"
    assert fw.config.rate_limit == RateLimit(requests=100, per_seconds=10.0)
    assert sb.config.rate_limit == RateLimit(requests=150, per_seconds=60.0)
    assert fw.config.timeout == httpx.Timeout(30.0, connect=10.0)
    assert fw.generated.get_httpx_client().timeout == httpx.Timeout(30.0, connect=10.0)
    assert Fourthwall(auth="t", timeout=None).generated.get_httpx_client().timeout == httpx.Timeout(None)
    assert fw.config.max_response_bytes == 64 * 1024 * 1024
    assert fw.config.deadline is None


def test_config_is_frozen_and_changes_return_a_copy() -> None:
    config = ClientConfig(base_url="https://x.test")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        config.strict = True  # type: ignore[misc]
    stricter = config.with_changes(strict=True)
    assert (config.strict, stricter.strict) == (False, True)
    with pytest.raises(ConfigurationError):
        config.with_changes(max_retries=-2)


# --- timeouts are applied ------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", ["sync", "async"])
def test_timeout_is_applied_and_maps_to_api_timeout_error(mode: Mode) -> None:
    from fourthwall_client.api.products_offers import get_product_inventory as op

    release = threading.Event()

    def stall(request: Seen) -> Reply:
        release.wait(5)  # bounded: the test releases it right after the client gave up
        return Reply(200, FW_PAGE)

    with LocalServer(stall) as server:
        options: dict[str, Any] = {
            "auth": "t",
            "base_url": server.url,
            "timeout": 0.2,
            "max_retries": 0,
            "rate_limit": None,
        }
        try:
            with pytest.raises(APITimeoutError) as caught, client_driven("fourthwall", mode, **options) as fourthwall:
                fourthwall.call(op, "p1")
        finally:
            release.set()
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert caught.value.operation == "get_product_inventory"


# --- escape hatch -------------------------------------------------------------------------------------------


def test_generated_client_shares_the_configured_httpx_client() -> None:
    from fourthwall_client.api.products_offers import get_product_inventory as op

    seen: list[httpx.Request] = []

    def responder(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json=FW_PAGE)

    with Fourthwall(auth=BasicAuth("u", "p"), transport=httpx.MockTransport(responder)) as fw:
        page = op.sync(product_id="p1", client=fw.generated)  # plain generated call: same auth and base URL
    assert page is not None and page.total == 0
    assert seen[0].headers["Authorization"].startswith("Basic ")
    assert str(seen[0].url).startswith("https://api.fourthwall.com/open-api/v1.0/products/p1/inventory")


def test_async_escape_hatch_maps_errors() -> None:
    from shipbob_client.api.orders import get_2026_01_order_by_order_id as op

    async def main() -> None:
        transport = httpx.MockTransport(lambda request: httpx.Response(404, json={"title": "Not Found"}))
        async with AsyncShipBob(auth="t", transport=transport, max_retries=0) as sb:
            await sb.call(op.asyncio_detailed, order_id=77)

    with pytest.raises(NotFoundError) as caught:
        asyncio.run(main())
    assert caught.value.ids == {"order_id": 77}
    assert caught.value.problem == {"title": "Not Found"}


def test_call_result_carries_headers_for_header_paginated_vendors() -> None:
    from shipbob_client.api.locations import get_2026_01_location as op

    transport = httpx.MockTransport(
        lambda request: httpx.Response(200, json=[], headers={"next-page": "/2026-01/location?page=2"})
    )
    with ShipBob(auth="t", transport=transport) as sb:
        result = sb._call("locations", op.sync_detailed)
    assert (result.parsed, result.status_code, result.headers["next-page"]) == ([], 200, "/2026-01/location?page=2")
    assert result.response.request.url.path == "/2026-01/location"


# --- import cost ---------------------------------------------------------------------------------------------


def test_importing_facade_does_not_import_the_generated_packages() -> None:
    code = (
        "import sys, facade; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('fourthwall_client', 'shipbob_client')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
