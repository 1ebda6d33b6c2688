"""What the CLI tests share: the result of one in-process run, and an environment without vendor variables."""

from __future__ import annotations

import os
from collections.abc import Callable

import attrs


@attrs.frozen
class Result:
    exit_code: int
    stdout: str
    stderr: str


Run = Callable[..., Result]


def vendor_free_environ() -> dict[str, str]:
    """The real environment without any FOURTHWALL_* / SHIPBOB_* variable the developer's shell may have."""
    return {name: value for name, value in os.environ.items() if not name.startswith(("FOURTHWALL_", "SHIPBOB_"))}
