"""The CLI run in-process with exactly the vendor variables a test sets (any FOURTHWALL_* / SHIPBOB_* of the
developer's shell is removed first, so a real credential can never reach a run)."""

from __future__ import annotations

import os

import pytest

from facade.cli import main
from tests.cli._runner import Result, Run


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """``run(*args, env={...})``: the CLI's exit code, stdout and stderr, with exactly ``env`` as vendor variables."""

    def invoke(*args: str, env: dict[str, str] | None = None) -> Result:
        for name in os.environ:
            if name.startswith(("FOURTHWALL_", "SHIPBOB_")):
                monkeypatch.delenv(name)
        for name, value in (env or {}).items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        code = main(list(args), prog="commerce-stock")
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return invoke
