"""``import facade`` loads nothing heavy (issue 12): each exported name imports its module on first use (PEP 562).

Every check runs in a fresh interpreter, since this process imported the whole package long ago. No timings here
(they belong to ``python -m tests.bench --only import``): only which modules are loaded when.
"""

from __future__ import annotations

import inspect
import json
import os
import subprocess
import sys
from typing import Any

import pytest

import facade
import facade.auth
from tests.support.paths import REPO

# What a bare ``import facade`` must not load: the vendor clients and everything behind them.
HEAVY = (
    "httpx",
    "attrs",
    "asyncio",
    "facade.auth._oauth",
    "facade.budget",
    "facade.bulk",
    "facade.catalog",
    "facade.core._call",
    "facade.errors",
    "facade.fourthwall",
    "facade.fourthwall._client",
    "facade.pagination",
    "facade.reconcile",
    "facade.shipbob",
    "facade.shipbob._client",
    "facade.stock",
    "fourthwall_client",
    "shipbob_client",
)


def _child(code: str) -> Any:
    """Run ``code`` in a fresh interpreter of this checkout; it prints one JSON value, returned here."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO), str(REPO / "generated")])}
    done = subprocess.run(
        [sys.executable, "-c", "import json, sys\n" + code],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


# Child code that prints the loaded modules among HEAVY and facade's own.
LOADED = f'print(json.dumps(sorted(m for m in sys.modules if m in {HEAVY!r} or m.split(".")[0] == "facade")))'


def test_bare_import_loads_only_the_root() -> None:
    loaded = _child("import facade\n" + LOADED)
    assert loaded == ["facade", "facade._lazy"]


@pytest.mark.parametrize(
    ("name", "module"),
    [
        ("Fourthwall", "facade.fourthwall._client"),
        ("AsyncFourthwall", "facade.fourthwall._client"),
        ("ShipBob", "facade.shipbob._client"),
        ("AsyncShipBob", "facade.shipbob._client"),
        ("RequestBudget", "facade.budget"),
        ("CatalogItem", "facade.catalog"),
        ("StockLevel", "facade.stock"),
        ("FacadeError", "facade.errors"),
        ("RetryPolicy", "facade.retry"),
    ],
)
def test_first_use_imports_the_module_behind_the_name(name: str, module: str) -> None:
    code = f"""
import facade
before = {module!r} in sys.modules
value = facade.{name}
print(json.dumps([before, {module!r} in sys.modules, getattr(sys.modules[{module!r}], {name!r}) is value,
                  {name!r} in vars(facade)]))
"""
    before, after, same, cached = _child(code)
    assert (before, after, same, cached) == (False, True, True, True)


def test_a_secret_alone_needs_neither_httpx_nor_the_oauth_flow() -> None:
    loaded = _child("from facade import Secret\nassert 'hunter2' not in repr(Secret('hunter2'))\n" + LOADED)
    assert loaded == ["facade", "facade._lazy", "facade.auth", "facade.auth._secret"]


def _describe(value: object) -> str:
    """Where a value comes from, comparable across processes."""
    return f"{getattr(value, '__module__', None)}:{getattr(value, '__qualname__', None) or value!r}"


def test_every_exported_name_imports_from_a_fresh_interpreter() -> None:
    # Each name alone (no other facade module loaded first) is the object this fully loaded process sees.
    expected = {f"{m.__name__}.{n}": _describe(getattr(m, n)) for m in (facade, facade.auth) for n in m.__all__}
    code = f"""
import importlib
{inspect.getsource(_describe)}
alone = {{}}
for qualified in {sorted(expected)!r}:
    for loaded in [m for m in sys.modules if m.split(".")[0] == "facade"]:
        del sys.modules[loaded]
    package, name = qualified.rsplit(".", 1)
    alone[qualified] = _describe(getattr(importlib.import_module(package), name))
print(json.dumps(alone))
"""
    assert _child(code) == expected


def test_dir_lists_every_exported_name_before_it_is_loaded() -> None:
    root, auth = _child("import facade, facade.auth\nprint(json.dumps([dir(facade), dir(facade.auth)]))")
    assert set(facade.__all__) <= set(root)
    assert set(facade.auth.__all__) <= set(auth)


def test_public_submodules_are_attributes_after_a_bare_import() -> None:
    # As when the root imported them eagerly: ``import facade`` then ``facade.errors.X`` works.
    code = "import facade\nprint(json.dumps([facade.errors.FacadeError.__name__, facade.defaults.__name__]))"
    assert _child(code) == ["FacadeError", "facade.defaults"]


def test_an_unknown_name_is_an_attribute_error_naming_it() -> None:
    with pytest.raises(AttributeError, match=r"module 'facade' has no attribute 'Fourthwal'"):
        facade.Fourthwal  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(AttributeError, match=r"module 'facade.auth' has no attribute '_nothing'"):
        facade.auth._nothing  # type: ignore[attr-defined]  # noqa: B018
    with pytest.raises(ImportError, match="cannot import name 'Nope'"):
        from facade import Nope  # type: ignore[attr-defined]  # noqa: F401
