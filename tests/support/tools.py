"""Find the external tools a test needs: skip on a developer machine, fail in CI.

On a developer machine without Node a contract test is skipped with a one-line reason. In CI
(``CI=true``) the machine is supposed to have every tool, so the same situation is a broken setup
and the test fails instead, naming the tool. ``tests/conftest.py`` applies the same rule to any skip
whose reason starts with ``MISSING_TOOL``, so a plain ``pytest.skip(f"{MISSING_TOOL}: ...")`` or a
``skipif`` marker written that way behaves the same.

    node = require_executable("node", hint="install Node.js 20.16+ to run the contract tests")
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import NoReturn

import pytest

__all__ = ["MISSING_TOOL", "in_ci", "missing_tool", "require_executable", "require_file"]

MISSING_TOOL = "missing tool"
_TRUTHY = frozenset({"1", "true", "yes", "on"})


def in_ci() -> bool:
    """Whether the ``CI`` environment variable says we run in CI (``true``, ``1``, ``yes``, ``on``)."""
    return os.environ.get("CI", "").strip().lower() in _TRUTHY


def missing_tool(tool: str, *, hint: str) -> NoReturn:
    """Skip the current test because ``tool`` is missing, or fail it when running in CI."""
    reason = f"{MISSING_TOOL}: {tool} ({hint})"
    if in_ci():
        pytest.fail(f"{reason}; CI=true, so a missing tool is a failure, not a skip", pytrace=False)
    pytest.skip(reason)


def require_executable(name: str, *, hint: str) -> Path:
    """The path of executable ``name`` on ``PATH``; skips (or fails in CI) when there is none."""
    found = shutil.which(name)
    if found is None:
        missing_tool(name, hint=hint)
    return Path(found)


def require_file(tool: str, path: Path, *, hint: str) -> Path:
    """``path`` if it is an existing file (say, a binary installed by ``npm ci``); skips or fails otherwise."""
    if not path.is_file():
        missing_tool(f"{tool} ({path})", hint=hint)
    return path
