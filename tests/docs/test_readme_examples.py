"""Every Python example in README.md runs, as written, against the sandbox (both vendors on 127.0.0.1).

The examples are written for the real APIs (production URLs, credentials from the environment). The test makes
that safe without editing them:

- every request to a vendor host (`VENDOR_HOSTS`) is redirected, at the httpx transport, to the sandbox
  (`facade.sandbox`): Fourthwall's host to its Fourthwall server, ShipBob's API and OAuth hosts to its ShipBob
  server; a request to any other host fails the test, so no example reaches the internet;
- each `os.environ["NAME"]` an example reads is set to the sandbox's test value; an example that reads none
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

from facade.cli import main as cli_main
from facade.sandbox import Sandbox
from tests.support.paths import REPO

README = REPO / "README.md"

VENDOR_HOSTS = frozenset(
    {"api.fourthwall.com", "api.shipbob.com", "sandbox-api.shipbob.com", "auth.shipbob.com", "authstage.shipbob.com"}
)
_LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

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


EXIT_OK = 0


@pytest.fixture
def vendors() -> Iterator[Sandbox]:
    # One sandbox per example: OAuth examples rotate its refresh tokens.
    with Sandbox.start(seed=7, skus=60) as sandbox:
        yield sandbox


def _values_for(sandbox: Sandbox) -> dict[str, str]:
    """What each environment variable an example may read is set to: the sandbox's own credentials."""
    values = {**sandbox.environ(), **sandbox.environ(oauth=True)}
    values["FOURTHWALL_ACCESS_TOKEN"] = "readme-unused-token"
    return {name: value for name, value in values.items() if not name.endswith("_BASE_URL")}


@pytest.fixture
def offline(vendors: Sandbox, monkeypatch: pytest.MonkeyPatch) -> Sandbox:
    """Redirect vendor hosts to the sandbox at the httpx transport; any other host fails the test."""
    targets = {
        "api.fourthwall.com": httpx.URL(vendors.fourthwall_url),
        **{host: httpx.URL(vendors.shipbob_url) for host in VENDOR_HOSTS if host != "api.fourthwall.com"},
    }

    def redirect(request: httpx.Request) -> None:
        host = request.url.host
        if host in _LOOPBACK:
            return
        if host not in VENDOR_HOSTS:
            pytest.fail(f"a README example tried to reach {request.url} (not a vendor host; no internet in tests)")
        target = targets[host]
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


def _set_environment(monkeypatch: pytest.MonkeyPatch, names: list[str], values: dict[str, str]) -> None:
    for name in os.environ:
        if name.startswith(("FOURTHWALL_", "SHIPBOB_", "DEMO_")):
            monkeypatch.delenv(name)
    for name in names or DEFAULT_VARIABLES:
        if name not in values:
            pytest.fail(f"README example reads {name}, which this test has no test value for; add one")
        monkeypatch.setenv(name, values[name])


def test_the_readme_has_the_examples_this_file_runs() -> None:
    # Guards the parser: a broken fence pattern would otherwise turn every test below into zero tests.
    assert len(PYTHON) >= 6
    assert len(CLI_LINES) >= 2
    assert all(block.code.strip() for block in PYTHON)


@pytest.mark.parametrize("block", PYTHON, ids=[f"README.md:{block.line}" for block in PYTHON])
def test_python_example_runs(block: Block, offline: Sandbox, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    _set_environment(monkeypatch, variables_read(block.code), _values_for(offline))
    monkeypatch.chdir(tmp_path)
    code = compile(block.code, f"{README.name}:{block.line}", "exec")
    exec(code, {"__name__": "__readme__"})  # running the README's own examples is the point
    assert offline.requests.count(), "the example sent no request; an example should show a real call"


@pytest.mark.parametrize(("line", "program", "arguments"), CLI_LINES, ids=[f"README.md:{c[0]}" for c in CLI_LINES])
def test_cli_example_exits_0(
    line: int, program: str, arguments: str, offline: Sandbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    _set_environment(monkeypatch, [], _values_for(offline))
    code = cli_main(shlex.split(arguments), prog=program)
    # reconcile exits 1 on the seeded shop: it is seeded with differences
    assert code in (EXIT_OK, 1), f"README.md:{line}: `{program} {arguments}` exited {code}"
    assert offline.requests.count()


def test_the_redirect_refuses_other_hosts(offline: Sandbox) -> None:
    # The safety net itself: a host that is not a vendor's must fail, never reach the network.
    with pytest.raises(pytest.fail.Exception, match="not a vendor host"), httpx.Client() as client:
        client.get("https://example.invalid/")
