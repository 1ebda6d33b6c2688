"""Suite-wide test discipline: no skip passes in CI, and hypothesis is deterministic there.

- With ``CI=true`` every skip fails instead, naming its reason: a test's (``pytest.skip``, ``skipif``,
  ``importorskip``, an empty parametrization) and a whole module's (``importorskip`` or
  ``pytest.skip(allow_module_level=True)`` at import, which fails its collection). CI is supposed to
  have every tool (see ``tests/support/tools.py``), so a skip there is a broken setup or lost coverage.
  No skip is allowed in CI: the suite has none that is legitimate there, so there is no allow-list.
  On a developer machine a test skips for a missing tool with a one-line reason (write skips that way:
  ``tests.support.tools.missing_tool``).
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


def _skip_reason(report: pytest.TestReport | pytest.CollectReport) -> str:
    longrepr = report.longrepr
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        return str(longrepr[2]).removeprefix("Skipped: ")
    return str(longrepr)


def _fail_in_ci(report: pytest.TestReport | pytest.CollectReport) -> None:
    """Under ``CI=true``, turn a skipped ``report`` into a failure that names the skip's reason."""
    if report.skipped and not hasattr(report, "wasxfail") and in_ci():
        reason = _skip_reason(report)
        tool = reason.startswith(_MISSING_TOOL_REASONS)
        rule = "a missing tool is a failure, not a skip" if tool else "a skip is a failure (no test may skip in CI)"
        report.outcome = "failed"
        report.longrepr = f"{reason}; CI=true, so {rule}"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """In CI, turn a skipped test into a failure that names the reason."""
    report: pytest.TestReport = yield
    _fail_in_ci(report)
    return report


@pytest.hookimpl(wrapper=True)
def pytest_make_collect_report(
    collector: pytest.Collector,
) -> Generator[None, pytest.CollectReport, pytest.CollectReport]:
    """In CI, a module skipped while importing (``importorskip`` at module level) fails its collection."""
    report: pytest.CollectReport = yield
    _fail_in_ci(report)
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
