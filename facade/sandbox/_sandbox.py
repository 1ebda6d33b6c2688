"""Start and stop the sandbox: both fake vendors on 127.0.0.1, in threads or in a separate process.

In threads (tests, demo)::

    with Sandbox.start(seed=7, skus=40) as sb:
        client = httpx.Client(base_url=sb.shipbob_url, headers={"Authorization": f"Bearer {sb.shipbob_token}"})
        client.get("/2026-01/inventory-level")
        assert sb.requests.count(vendor="shipbob") == 1

In a separate process (rate-limit tests and benchmarks that measure arrival times without sharing the client's
GIL), started and stopped by PID::

    with Sandbox.spawn(seed=7, skus=2000, rate_limits=RateLimits.documented(time_scale=0.05)) as proc:
        os.environ.update(proc.environ())
        ...
        arrivals = [r.arrived for r in proc.requests()]  # time.monotonic() of the server process

Any limits, and a latency (each response held that long: requests stay in flight), go to either::

    limits = RateLimits(fourthwall=Limit(requests=20, window=1.0))
    with Sandbox.spawn(skus=1, rate_limits=limits, latency=0.02) as proc:
        ...
"""

from __future__ import annotations

import abc
import hashlib
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Mapping
from types import TracebackType
from typing import IO, Self

import attrs
from attrs import define, field, frozen

from ._fourthwall import MAX_PAGE_SIZE as FOURTHWALL_MAX_PAGE_SIZE
from ._fourthwall import FourthwallApp
from ._http import ADMIN_PREFIX, HTTPServerThread, RequestLog, RequestRecord, serve, validate_latency
from ._limits import Limit, RateLimits, TokenStore
from ._shipbob import ShipBobApp
from ._shop import FOURTHWALL_CHANNEL_ID, Shop

__all__ = ["Credentials", "Sandbox", "SandboxProcess"]

_FOURTHWALL_TOKEN_PATH = "/open-api/v1.0/platform/token"  # noqa: S105  (a path, not a secret)
_SHIPBOB_TOKEN_PATH = "/connect/token"  # noqa: S105


def _secret(seed: int, what: str) -> str:
    """A test credential, stable for a seed (so printed ``export`` lines stay valid across restarts)."""
    return hashlib.blake2b(f"facade-sandbox:{seed}:{what}".encode(), digest_size=12).hexdigest()


@frozen(kw_only=True)
class Credentials:
    """Every credential the sandbox accepts, for one seed."""

    fourthwall_username: str
    fourthwall_password: str
    fourthwall_client_id: str
    fourthwall_client_secret: str
    fourthwall_refresh_token: str  # the first one; each refresh rotates it
    shipbob_token: str  # Personal Access Token
    shipbob_client_id: str
    shipbob_client_secret: str
    shipbob_refresh_token: str

    @classmethod
    def for_seed(cls, seed: int) -> Credentials:
        return cls(
            fourthwall_username="sandbox-open-api-user",
            fourthwall_password=_secret(seed, "fw-password"),
            fourthwall_client_id="app_sandbox_" + _secret(seed, "fw-client")[:8],
            fourthwall_client_secret=_secret(seed, "fw-secret"),
            fourthwall_refresh_token="rt-" + _secret(seed, "fw-refresh"),
            shipbob_token="pat-" + _secret(seed, "sb-pat"),
            shipbob_client_id="sandbox-" + _secret(seed, "sb-client")[:8],
            shipbob_client_secret=_secret(seed, "sb-secret"),
            shipbob_refresh_token="rt-" + _secret(seed, "sb-refresh"),
        )


def _environ(credentials: Credentials, fourthwall_url: str, shipbob_url: str, *, oauth: bool) -> dict[str, str]:
    env = {
        "FOURTHWALL_BASE_URL": fourthwall_url,
        "SHIPBOB_BASE_URL": shipbob_url,
        "SHIPBOB_CHANNEL_ID": str(FOURTHWALL_CHANNEL_ID),
    }
    if oauth:
        env.update(
            {
                "FOURTHWALL_CLIENT_ID": credentials.fourthwall_client_id,
                "FOURTHWALL_CLIENT_SECRET": credentials.fourthwall_client_secret,
                "FOURTHWALL_REFRESH_TOKEN": credentials.fourthwall_refresh_token,
                "SHIPBOB_CLIENT_ID": credentials.shipbob_client_id,
                "SHIPBOB_CLIENT_SECRET": credentials.shipbob_client_secret,
                "SHIPBOB_REFRESH_TOKEN": credentials.shipbob_refresh_token,
                "SHIPBOB_TOKEN_URL": shipbob_url + _SHIPBOB_TOKEN_PATH,
            }
        )
    else:
        env.update(
            {
                "FOURTHWALL_USERNAME": credentials.fourthwall_username,
                "FOURTHWALL_PASSWORD": credentials.fourthwall_password,
                "SHIPBOB_TOKEN": credentials.shipbob_token,
            }
        )
    return env


class _Running(abc.ABC):
    """What a running sandbox gives clients, in threads (``Sandbox``) or in a child process (``SandboxProcess``):
    its credentials, and a context manager that stops it."""

    __slots__ = ()

    @property
    @abc.abstractmethod
    def credentials(self) -> Credentials: ...

    @abc.abstractmethod
    def stop(self) -> object: ...

    @property
    def fourthwall_credentials(self) -> tuple[str, str]:
        """(username, password) of the shop's Open API user (HTTP Basic)."""
        return self.credentials.fourthwall_username, self.credentials.fourthwall_password

    @property
    def shipbob_token(self) -> str:
        """The Personal Access Token (``Authorization: Bearer``)."""
        return self.credentials.shipbob_token

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


@define(kw_only=True)
class SandboxProcess(_Running):
    """A sandbox serving from a child process (``python -m facade.sandbox serve``), stopped by PID."""

    pid: int
    seed: int
    skus: int
    environment: dict[str, str]
    rate_limits: RateLimits | None = None
    latency: float = 0.0
    _process: subprocess.Popen[str]
    _drains: tuple[threading.Thread, ...] = ()
    _shop: Shop | None = None

    @classmethod
    def start(
        cls,
        *,
        seed: int = 7,
        skus: int = 40,
        rate_limits: RateLimits | None = None,
        latency: float = 0.0,
        env: Mapping[str, str] | None = None,
        timeout: float = 60.0,
    ) -> SandboxProcess:
        """Run ``python -m facade.sandbox serve`` in a child process and wait until it prints its URLs.

        ``rate_limits`` and ``latency`` as for ``Sandbox.start`` (any limits: the documented ones, scaled, or
        others, such as ``RateLimits(fourthwall=Limit(requests=20, window=1.0))``).
        """
        latency = validate_latency(latency)
        command = [sys.executable, "-m", "facade.sandbox", "serve", "--seed", str(seed), "--skus", str(skus)]
        command += _limit_arguments(rate_limits)
        if latency:
            command += ["--latency", repr(latency)]
        process = subprocess.Popen(
            command,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=dict(os.environ if env is None else env),
        )
        assert process.stdout is not None
        environment: dict[str, str] = {}
        deadline = time.monotonic() + timeout
        ready = False
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            if line.startswith("export "):
                name, _, value = line[len("export ") :].strip().partition("=")
                environment[name] = value.strip("'")
            elif line.startswith("# ready"):
                ready = True
                break
        if not ready:
            process.kill()
            _, stderr = process.communicate(timeout=10)
            raise RuntimeError(f"sandbox process did not start (exit {process.returncode}): {stderr.strip()[-2000:]}")
        drains = tuple(
            threading.Thread(target=_drain, args=(stream,), daemon=True)
            for stream in (process.stdout, process.stderr)
            if stream is not None
        )
        for drain in drains:
            drain.start()
        return cls(
            pid=process.pid,
            seed=seed,
            skus=skus,
            environment=environment,
            rate_limits=rate_limits,
            latency=latency,
            process=process,
            drains=drains,
        )

    @property
    def fourthwall_url(self) -> str:
        return self.environment["FOURTHWALL_BASE_URL"]

    @property
    def shipbob_url(self) -> str:
        return self.environment["SHIPBOB_BASE_URL"]

    @property
    def credentials(self) -> Credentials:
        return Credentials.for_seed(self.seed)

    @property
    def shop(self) -> Shop:
        """The same shop the child serves (regenerated here: generation is deterministic)."""
        if self._shop is None:
            self._shop = Shop.generate(seed=self.seed, skus=self.skus)
        return self._shop

    def environ(self) -> dict[str, str]:
        """The environment variables the facade's ``from_env`` reads (Open API user and PAT)."""
        return dict(self.environment)

    def requests(self) -> tuple[RequestRecord, ...]:
        """Every request both servers logged so far, in arrival order (``arrived``: the child's monotonic clock)."""
        records: list[RequestRecord] = []
        for base in (self.fourthwall_url, self.shipbob_url):
            with urllib.request.urlopen(base + ADMIN_PREFIX + "requests", timeout=10) as answer:  # noqa: S310
                records.extend(RequestRecord.from_json(r) for r in json.load(answer))
        return tuple(sorted(records, key=lambda r: r.arrived))

    def clear_requests(self) -> None:
        for base in (self.fourthwall_url, self.shipbob_url):
            request = urllib.request.Request(base + ADMIN_PREFIX + "requests", method="DELETE")  # noqa: S310
            with urllib.request.urlopen(request, timeout=10):  # noqa: S310  (loopback, our own server)
                pass

    def alive(self) -> bool:
        return self._process.poll() is None

    def stop(self, timeout: float = 10.0) -> int:
        """SIGTERM the child by PID, wait for it (SIGKILL after ``timeout``); returns its exit status."""
        if self._process.poll() is None:
            os.kill(self.pid, signal.SIGTERM)
            try:
                self._process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                os.kill(self.pid, signal.SIGKILL)
                self._process.wait(timeout=timeout)
        for drain in self._drains:
            drain.join(timeout=timeout)
        return self._process.returncode


@define(kw_only=True)
class Sandbox(_Running):
    """Both fake vendors running in this process; use ``Sandbox.start`` (a context manager)."""

    shop: Shop
    credentials: Credentials
    requests: RequestLog
    rate_limits: RateLimits | None
    latency: float
    fourthwall_tokens: TokenStore
    shipbob_tokens: TokenStore
    _servers: tuple[HTTPServerThread, HTTPServerThread]
    _stopped: bool = field(default=False)

    @classmethod
    def start(
        cls,
        *,
        seed: int = 7,
        skus: int = 40,
        shop: Shop | None = None,
        rate_limits: RateLimits | None = None,
        port_fourthwall: int = 0,
        port_shipbob: int = 0,
        token_ttl: float = 300.0,
        fourthwall_max_page_size: int = FOURTHWALL_MAX_PAGE_SIZE,
        latency: float = 0.0,
    ) -> Sandbox:
        """Serve the shop of ``seed``/``skus`` (or ``shop``) on 127.0.0.1, ephemeral ports unless given.

        ``rate_limits=None`` (the default) turns rate limiting off; ``RateLimits.documented(time_scale=0.01)``
        enforces the vendors' limits on a window a hundred times shorter. Access tokens from the token
        endpoints live ``token_ttl`` seconds. Fourthwall's spec states no page-size maximum:
        ``fourthwall_max_page_size`` is where larger ``size`` values are clamped (100 by default). ``latency``
        holds every vendor response that many seconds after it was handled and logged (requests in flight; 0, the
        default: none); ``stop()`` cuts holds short and drops the held responses.
        """
        latency = validate_latency(latency)
        shop = shop if shop is not None else Shop.generate(seed=seed, skus=skus)
        credentials = Credentials.for_seed(shop.seed)
        log = RequestLog()
        fw_tokens = TokenStore(
            client_id=credentials.fourthwall_client_id,
            client_secret=credentials.fourthwall_client_secret,
            refresh_token=credentials.fourthwall_refresh_token,
            ttl=token_ttl,
        )
        sb_tokens = TokenStore(
            client_id=credentials.shipbob_client_id,
            client_secret=credentials.shipbob_client_secret,
            refresh_token=credentials.shipbob_refresh_token,
            ttl=token_ttl,
        )
        limits = rate_limits
        fourthwall = FourthwallApp(
            shop=shop,
            username=credentials.fourthwall_username,
            password=credentials.fourthwall_password,
            tokens=fw_tokens,
            limit=None if limits is None else limits.fourthwall,
            max_page_size=fourthwall_max_page_size,
        )
        shipbob = ShipBobApp(
            shop=shop,
            token=credentials.shipbob_token,
            tokens=sb_tokens,
            limit=None if limits is None else limits.shipbob,
            time_scale=1.0 if limits is None else limits.time_scale,
        )
        fw_server = serve(fourthwall, log, port=port_fourthwall, latency=latency)
        try:
            sb_server = serve(shipbob, log, port=port_shipbob, latency=latency)
        except BaseException:
            fw_server.stop()
            raise
        return cls(
            shop=shop,
            credentials=credentials,
            requests=log,
            rate_limits=limits,
            latency=latency,
            fourthwall_tokens=fw_tokens,
            shipbob_tokens=sb_tokens,
            servers=(fw_server, sb_server),
        )

    #: ``Sandbox.spawn(...)`` is ``SandboxProcess.start(...)``: the same shop served from a child process.
    spawn = staticmethod(SandboxProcess.start)

    # -- what clients need ---------------------------------------------------------------------------------------

    @property
    def fourthwall_url(self) -> str:
        """Base URL of the fake Fourthwall (paths start with ``/open-api/v1.0``)."""
        return self._servers[0].url

    @property
    def shipbob_url(self) -> str:
        """Base URL of the fake ShipBob (paths start with ``/2026-01``)."""
        return self._servers[1].url

    @property
    def fourthwall_token_url(self) -> str:
        return self.fourthwall_url + _FOURTHWALL_TOKEN_PATH

    @property
    def shipbob_token_url(self) -> str:
        return self.shipbob_url + _SHIPBOB_TOKEN_PATH

    def environ(self, *, oauth: bool = False) -> dict[str, str]:
        """The environment variables ``Fourthwall.from_env``/``ShipBob.from_env`` read, pointing here.

        ``oauth=True`` gives the OAuth app variables (client id, secret, the current refresh token) instead of
        the Open API user and the PAT, plus ``SHIPBOB_TOKEN_URL`` (ShipBob's token endpoint is on another host).
        """
        credentials = self.credentials
        if oauth:  # the refresh tokens valid now (they rotate on every refresh)
            credentials = attrs.evolve(
                credentials,
                fourthwall_refresh_token=self.fourthwall_tokens.refresh_token,
                shipbob_refresh_token=self.shipbob_tokens.refresh_token,
            )
        return _environ(credentials, self.fourthwall_url, self.shipbob_url, oauth=oauth)

    # -- lifecycle -----------------------------------------------------------------------------------------------

    def stop(self) -> None:
        """Shut both servers down and join their threads (idempotent)."""
        if self._stopped:
            return
        self._stopped = True
        for server in self._servers:
            server.stop()


def _limit_arguments(rate_limits: RateLimits | None) -> list[str]:
    """The ``serve`` options that make a child enforce ``rate_limits`` exactly."""
    if rate_limits is None:
        return []
    arguments = ["--time-scale", repr(rate_limits.time_scale)]
    if rate_limits == RateLimits.documented(time_scale=rate_limits.time_scale):
        return ["--rate-limits", *arguments]
    for vendor, limit in (("fourthwall", rate_limits.fourthwall), ("shipbob", rate_limits.shipbob)):
        if limit is not None:
            Limit.parse(str(limit))  # ValueError now rather than a usage error from the child
            arguments += [f"--{vendor}-limit", str(limit)]
    return arguments


def _drain(stream: IO[str]) -> None:
    """Keep reading a pipe of the child so it never blocks on a full one."""
    for _ in stream:
        pass
    stream.close()
