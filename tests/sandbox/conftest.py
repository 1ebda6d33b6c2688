"""Fixtures for the sandbox tests: the vendored specs, a running sandbox, and an environment for child processes.

The sandbox shares no code with the facade, so these tests import ``facade.sandbox`` even while the rest of
``facade`` is being restructured: if ``import facade`` fails, a bare ``facade`` package (no ``__init__`` code) is
registered so that ``facade.sandbox`` still imports, here and in the child processes the tests start.
"""

from __future__ import annotations

import importlib
import subprocess
import sys
import types
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.paths import REPO

# The ShipBob 2026-01 listings the sandbox pages by ``PageSize`` (paths below ``/2026-01``).
SHIPBOB_PAGE_SIZE_LISTINGS = (
    "inventory-level",
    "inventory-level/locations",
    "inventory-level/lots",
    "inventory",
    "product",
)
_BARE_PACKAGE = f"""
import sys, types
try:
    import facade  # noqa: F401
except Exception:
    for name in [m for m in sys.modules if m == "facade" or m.startswith("facade.")]:
        del sys.modules[name]
    package = types.ModuleType("facade")
    package.__path__ = [{str(REPO / "facade")!r}]
    sys.modules["facade"] = package
"""


def _ensure_importable() -> None:
    try:
        importlib.import_module("facade")
    except Exception:
        for name in [m for m in sys.modules if m == "facade" or m.startswith("facade.")]:
            del sys.modules[name]
        package = types.ModuleType("facade")
        package.__path__ = [str(REPO / "facade")]
        sys.modules["facade"] = package


_ensure_importable()

from facade.sandbox import Sandbox  # noqa: E402

from ._openapi import SpecValidator  # noqa: E402


def _spec_path(vendored: list[str], shared: str, marker: str) -> Path:
    """The vendored full spec if specs/ has it (it contains ``marker``), else the shared copy it is made from."""
    for name in vendored:
        path = REPO / "specs" / name
        if path.exists() and marker in path.read_text(encoding="utf-8"):
            return path
    return REPO.parent / "shared" / "vendor-specs" / shared


FOURTHWALL_SPEC = _spec_path(["fourthwall.yaml"], "fourthwall-open-api-2026-04-24.yaml", "/open-api/v1.0/products")
SHIPBOB_SPEC = _spec_path(["shipbob.json", "shipbob.yaml"], "shipbob-2026-01.json", "/2026-01/inventory-level")


@pytest.fixture(scope="session")
def fourthwall_spec() -> SpecValidator:
    if not FOURTHWALL_SPEC.exists():
        pytest.fail(f"Fourthwall spec not found at {FOURTHWALL_SPEC}")
    return SpecValidator.load(FOURTHWALL_SPEC)


@pytest.fixture(scope="session")
def shipbob_spec() -> SpecValidator:
    if not SHIPBOB_SPEC.exists():
        pytest.fail(f"ShipBob spec not found at {SHIPBOB_SPEC}")
    return SpecValidator.load(SHIPBOB_SPEC, relax_one_of=True)


@pytest.fixture(scope="module")
def sandbox() -> Iterator[Sandbox]:
    with Sandbox.start(seed=7, skus=60) as sb:
        yield sb


@pytest.fixture(scope="session")
def child_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """Environment for ``python -m facade.sandbox`` children (with the bare-package shim while facade is broken)."""
    import os

    env = dict(os.environ)
    paths = [str(REPO)]
    probe = subprocess.run([sys.executable, "-c", "import facade"], cwd=REPO, capture_output=True, check=False)
    if probe.returncode != 0:
        shim = tmp_path_factory.mktemp("shim")
        (shim / "sitecustomize.py").write_text(_BARE_PACKAGE, encoding="utf-8")
        paths.insert(0, str(shim))
    env["PYTHONPATH"] = os.pathsep.join([*paths, env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    return env
