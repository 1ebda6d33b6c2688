"""Fixtures for the contract tests: one Prism per vendored spec, started once per session.

Without Node or without ``node_modules/.bin/prism`` (installed by ``npm ci``, which the nox ``tests``
session runs) these tests skip on a developer machine and fail in CI (see ``tests/conftest.py``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.paths import REPO
from tests.support.prism import PrismServer
from tests.support.prism_traffic import PrismTraffic
from tests.support.tools import require_executable, require_file

PRISM_BIN = REPO / "node_modules" / ".bin" / "prism"


@pytest.fixture(scope="session")
def prism_binary() -> Path:
    """The pinned Prism CLI; skips (fails in CI) without Node or without ``npm ci`` having run."""
    require_executable("node", hint="install Node.js 20.16+ to run the contract tests")
    return require_file("prism", PRISM_BIN, hint="run `npm ci` in the project root; `nox -s tests` does")


def _serve(binary: Path, vendor: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismServer]:
    # The RAW vendored spec, not the prepared one: the contract is what the vendor publishes
    # (the prepared spec drops ShipBob's Authorization header parameter, which Prism should check).
    spec = REPO / "specs" / f"{vendor}.yaml"
    with PrismServer.start(binary, spec=spec, log_dir=tmp_path_factory.mktemp(f"prism-{vendor}")) as server:
        yield server


@pytest.fixture(scope="session")
def fourthwall_prism(prism_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismServer]:
    """Prism serving ``specs/fourthwall.yaml`` (paths start ``/open-api/v1.0/``)."""
    yield from _serve(prism_binary, "fourthwall", tmp_path_factory)


@pytest.fixture(scope="session")
def shipbob_prism(prism_binary: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[PrismServer]:
    """Prism serving ``specs/shipbob.yaml`` (paths start ``/1.0/``)."""
    yield from _serve(prism_binary, "shipbob", tmp_path_factory)


@pytest.fixture
def traffic() -> PrismTraffic:
    """Records each exchange with Prism; set ``traffic.prefer`` to steer its answer."""
    return PrismTraffic()
