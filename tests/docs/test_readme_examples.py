"""Every Python example in README.md runs, as written, against a fake vendor server on 127.0.0.1.

The examples are written for the real APIs (production URLs, credentials from the environment). The test makes
that safe without editing them:

- every request to a vendor host (`VENDOR_HOSTS`) is redirected, at the httpx transport, to the fake server of
  `tests/cli/fake_vendors.py`; a request to any other host fails the test, so no example reaches the internet;
- each `os.environ["NAME"]` an example reads is set to a value the fake server accepts; an example that reads none
  (`from_env()`) runs with the Open API user and the ShipBob PAT set; no real credential of the developer's shell
  is visible to the examples;
- each example runs in a fresh namespace, in a temporary working directory, and must send at least one request.

`$ commerce-stock ...` / `$ python -m facade ...` lines of `console` blocks run through the CLI's `main()` the
same way and must exit 0.
"""

from __future__ import annotations

import os
import re
import shlex
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest

from facade._cli import EXIT_OK
from facade._cli import main as cli_main
from tests.cli.fake_vendors import (
    FOURTHWALL_PASSWORD,
    FOURTHWALL_REFRESH_TOKEN,
    FOURTHWALL_TOKEN,
    FOURTHWALL_USERNAME,
    SHIPBOB_REFRESH_TOKEN,
    SHIPBOB_TOKEN,
    FakeVendors,
)

README = Path(__file__).resolve().parents[2] / "README.md"

VENDOR_HOSTS = frozenset(
    {"api.fourthwall.com", "api.shipbob.com", "sandbox-api.shipbob.com", "auth.shipbob.com", "authstage.shipbob.com"}
)
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

TEST_VALUES = {
    "FOURTHWALL_USERNAME": FOURTHWALL_USERNAME,
    "FOURTHWALL_PASSWORD": FOURTHWALL_PASSWORD,
    "FOURTHWALL_ACCESS_TOKEN": FOURTHWALL_TOKEN,
    "FOURTHWALL_CLIENT_ID": "readme-app",
    "FOURTHWALL_CLIENT_SECRET": "readme-app-secret",
    "FOURTHWALL_REFRESH_TOKEN": FOURTHWALL_REFRESH_TOKEN,
    "SHIPBOB_TOKEN": SHIPBOB_TOKEN,
    "SHIPBOB_CLIENT_ID": "readme-app",
    "SHIPBOB_CLIENT_SECRET": "readme-app-secret",
    "SHIPBOB_REFRESH_TOKEN": SHIPBOB_REFRESH_TOKEN,
}
DEFAULT_VARIABLES = ("FOURTHWALL_USERNAME", "FOURTHWALL_PASSWORD", "SHIPBOB_TOKEN")
_ENV_READ = re.compile(
    r"""os\.environ\[\s*["']([A-Z0-9_]+)["']\s*\]|(?:os\.environ\.get|os\.getenv)\(\s*["']([A-Z0-9_]+)"""
)
_FENCE = re.compile(r"^```(\w*)\s*$")
_CLI_LINE = re.compile(r"^\$ (commerce-stock|python -m facade) (.+)$")


@attrs.frozen(kw_only=True)
class Block:
    """One fenced code block of the README: its language, first code line (1-based) and text."""

    language: str
    line: int
    code: str


def readme_blocks(text: str) -> list[Block]:
    """The fenced code blocks of a Markdown text, in order."""
    blocks: list[Block] = []
    language: str | None = None
    start = 0
    lines: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        fence = _FENCE.match(line)
        if language is None and fence:
            language, start, lines = fence.group(1), number + 1, []
        elif language is not None and line.startswith("```"):
            blocks.append(Block(language=language, line=start, code="\n".join(lines) + "\n"))
            language = None
        elif language is not None:
            lines.append(line)
    return blocks


BLOCKS = readme_blocks(README.read_text(encoding="utf-8"))
PYTHON = [block for block in BLOCKS if block.language == "python"]
CLI_LINES = [
    (block.line + offset, match.group(1), match.group(2))
    for block in BLOCKS
    if block.language == "console"
    for offset, line in enumerate(block.code.splitlines())
    if (match := _CLI_LINE.match(line))
]


def variables_read(code: str) -> list[str]:
    """The environment variables an example reads, in order of first use."""
    names = [first or second for first, second in _ENV_READ.findall(code)]
    return list(dict.fromkeys(names))


@pytest.fixture
def vendors() -> Iterator[FakeVendors]:
    # One server per example: OAuth examples rotate the server's refresh tokens.
    with FakeVendors() as server:
        yield server


@pytest.fixture
def offline(vendors: FakeVendors, monkeypatch: pytest.MonkeyPatch) -> FakeVendors:
    """Redirect vendor hosts to the fake server at the httpx transport; any other host fails the test."""
    target = httpx.URL(vendors.url)

    def redirect(request: httpx.Request) -> None:
        host = request.url.host
        if host in _LOOPBACK:
            return
        if host not in VENDOR_HOSTS:
            pytest.fail(f"a README example tried to reach {request.url} (not a vendor host; no internet in tests)")
        request.url = request.url.copy_with(scheme="http", host=target.host, port=target.port)

    sync_handle: Callable[..., Any] = httpx.HTTPTransport.handle_request
    async_handle: Callable[..., Any] = httpx.AsyncHTTPTransport.handle_async_request

    def handle_request(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        redirect(request)
        response: httpx.Response = sync_handle(self, request)
        return response

    async def handle_async_request(self: httpx.AsyncHTTPTransport, request: httpx.Request) -> httpx.Response:
        redirect(request)
        response: httpx.Response = await async_handle(self, request)
        return response

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle_request)
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", handle_async_request)
    return vendors


def _set_environment(monkeypatch: pytest.MonkeyPatch, names: list[str]) -> None:
    for name in os.environ:
        if name.startswith(("FOURTHWALL_", "SHIPBOB_", "DEMO_")):
            monkeypatch.delenv(name)
    for name in names or DEFAULT_VARIABLES:
        if name not in TEST_VALUES:
            pytest.fail(f"README example reads {name}, which this test has no test value for; add one")
        monkeypatch.setenv(name, TEST_VALUES[name])


def test_the_readme_has_the_examples_this_file_runs():
    # Guards the parser: a broken fence pattern would otherwise turn every test below into zero tests.
    assert len(PYTHON) >= 8
    assert len(CLI_LINES) >= 3
    assert all(block.code.strip() for block in PYTHON)


@pytest.mark.parametrize("block", PYTHON, ids=[f"README.md:{block.line}" for block in PYTHON])
def test_python_example_runs(
    block: Block, offline: FakeVendors, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _set_environment(monkeypatch, variables_read(block.code))
    monkeypatch.chdir(tmp_path)
    code = compile(block.code, f"{README.name}:{block.line}", "exec")
    exec(code, {"__name__": "__readme__"})  # running the README's own examples is the point
    assert offline.requests, "the example sent no request; an example should show a real call"


@pytest.mark.parametrize(("line", "program", "arguments"), CLI_LINES, ids=[f"README.md:{c[0]}" for c in CLI_LINES])
def test_cli_example_exits_0(
    line: int, program: str, arguments: str, offline: FakeVendors, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set_environment(monkeypatch, [])
    code = cli_main(shlex.split(arguments), prog=program)
    assert code == EXIT_OK, f"README.md:{line}: `{program} {arguments}` exited {code}"
    assert offline.requests


def test_the_redirect_refuses_other_hosts(offline: FakeVendors):
    # The safety net itself: a host that is not a vendor's must fail, never reach the network.
    with pytest.raises(pytest.fail.Exception, match="not a vendor host"), httpx.Client() as client:
        client.get("https://example.invalid/")
