"""Suite-wide test discipline: missing tools fail in CI, and hypothesis is deterministic there.

- With ``CI=true`` a test skipped for a missing tool fails instead (see ``tests/support/tools.py``):
  any skip whose reason starts with ``"missing tool"`` (write skips that way) or comes from
  ``pytest.importorskip``. On a developer machine those tests skip with a one-line reason.
- One fixture story for the clients: ``sandbox`` is one local sandbox playing both vendors (``facade.sandbox``)
  for the whole session; ``fourthwall`` and ``shipbob`` are ``tests.support.drivers.Driver`` s over a client of
  that sandbox, parametrized sync and async, so each test is written once and runs against both clients.
- Hypothesis profiles: ``ci`` (derandomized, no example database, so a CI run is reproducible) and
  ``dev`` (random, with the local database in ``.hypothesis/``); both keep example counts modest and
  turn off deadlines, because the suite must not assert timing. ``HYPOTHESIS_PROFILE`` overrides.
"""

from __future__ import annotations

import os
from collections.abc import Generator, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings

from tests.support.drivers import Driver, Mode, client_driven
from tests.support.tools import MISSING_TOOL, in_ci

_MISSING_TOOL_REASONS = (MISSING_TOOL, "could not import")

# Timing-based health checks would make results depend on machine load; correctness checks stay on.
_NOT_TIMING = [HealthCheck.too_slow]
# The explain phase traces every line of each failing example again: minutes on a shared 2-core machine.
_PHASES = [phase for phase in Phase if phase is not Phase.explain]
settings.register_profile(
    "ci",
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=_NOT_TIMING,
    phases=_PHASES,
)
settings.register_profile("dev", max_examples=25, deadline=None, suppress_health_check=_NOT_TIMING, phases=_PHASES)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if in_ci() else "dev"))


def _skip_reason(report: pytest.TestReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """In CI, turn a skip for a missing tool into a failure that names the tool."""
    report: pytest.TestReport = yield
    if report.skipped and not hasattr(report, "wasxfail") and in_ci():
        reason = _skip_reason(report)
        if reason.startswith(_MISSING_TOOL_REASONS):
            report.outcome = "failed"
            report.longrepr = f"{reason}; CI=true, so a missing tool is a failure, not a skip"
    return report


SANDBOX_SEED = 7
SANDBOX_SKUS = 60


@pytest.fixture(scope="session")
def sandbox() -> Iterator[Any]:
    """Both vendors on 127.0.0.1, from the seeded shop (no rate limits: tests that need them start their own)."""
    from facade.sandbox import Sandbox

    with Sandbox.start(seed=SANDBOX_SEED, skus=SANDBOX_SKUS) as running:
        yield running


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> Mode:
    """Which twin a client-driving test runs against."""
    mode: Mode = request.param
    return mode


@pytest.fixture
def fourthwall(sandbox: Any, mode: Mode) -> Iterator[Driver]:
    """A Fourthwall client of the sandbox (sync or async), behind a ``Driver``."""
    with client_driven("fourthwall", mode, environ=sandbox.environ(), rate_limit=None, max_retries=0) as driver:
        yield driver


@pytest.fixture
def shipbob(sandbox: Any, mode: Mode) -> Iterator[Driver]:
    """A ShipBob client of the sandbox (sync or async), behind a ``Driver``."""
    with client_driven("shipbob", mode, environ=sandbox.environ(), rate_limit=None, max_retries=0) as driver:
        yield driver


@pytest.fixture
def unused_port() -> int:
    """A port on 127.0.0.1 nothing listens on now (bound, then released): to be refused on, or to serve on."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port
