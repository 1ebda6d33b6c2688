"""Lazy re-exports (PEP 562): a package names what it exports and from where; each name is imported on first use.

``import facade`` then costs next to nothing: a vendor client (and httpx, attrs, asyncio and the call path behind
it) loads when ``facade.Fourthwall`` or ``from facade import Fourthwall`` first asks for it, and stays loaded.
Type checkers never see the hook: the package imports the same names under ``if TYPE_CHECKING:``, so a typo such
as ``facade.Fourthwal`` stays an error under ``mypy --strict`` instead of becoming ``Any``.

Example::

    if TYPE_CHECKING:
        from ._client import Fourthwall
    else:
        __getattr__, __dir__ = lazy_exports(__name__, {"._client": ("Fourthwall",)})
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, exports: Mapping[str, Iterable[str]], *, submodules: Iterable[str] = ()
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The module ``__getattr__`` and ``__dir__`` of ``package``.

    ``exports`` maps a module (relative to ``package``, e.g. ``"._client"``) to the names it provides; the first
    access imports that module and stores the value in the package, so later accesses are plain attribute reads.
    ``submodules`` (e.g. ``"errors"``) may be reached as attributes (``facade.errors``) without importing them
    first, as when the package imported them eagerly. Anything else raises ``AttributeError`` (so
    ``from package import Missing`` raises ``ImportError`` naming it).
    """
    origin = {name: module for module, names in exports.items() for name in names}
    reachable = frozenset(submodules)
    namespace = sys.modules[package].__dict__

    def __getattr__(name: str) -> Any:
        module = origin.get(name)
        if module is not None:
            value = getattr(importlib.import_module(module, package), name)
            namespace[name] = value
            return value
        if name in reachable:
            return importlib.import_module(f"{package}.{name}")
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(namespace) | set(origin))

    return __getattr__, __dir__
