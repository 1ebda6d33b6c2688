"""`nox -s demo` (tests/cli/demo.py): the Prism demo prints both vendors and exits 0; `--live` fails clearly.

The live mode is exercised against the fake vendor server on 127.0.0.1 (its base URLs come from the same
environment variables a user would set), so no test touches the real APIs.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.cli import demo
from tests.cli.fake_vendors import FOURTHWALL_PASSWORD, FOURTHWALL_USERNAME, SHIPBOB_TOKEN, FakeVendors
from tests.support.tools import require_executable, require_file


@pytest.fixture(scope="module")
def server() -> Iterator[FakeVendors]:
    with FakeVendors() as running:
        yield running


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return False
    return True


@pytest.mark.contract
def test_mock_demo_prints_both_vendors_then_stops_prism_and_exits_0():
    require_executable("node", hint="install Node.js 20+ to run the demo")
    require_file("prism", demo.PRISM_BIN, hint="run `npm ci` in the project root; `nox -s demo` does")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("FOURTHWALL_", "SHIPBOB_"))}
    done = subprocess.run(
        [sys.executable, "-m", "tests.cli.demo"],
        cwd=demo.REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == demo.EXIT_OK, done.stderr
    for header in ("provider", "product", "item", "name", "available", "on hand", "committed", "incoming", "locations"):
        assert header in done.stdout
    rows = [line for line in done.stdout.splitlines() if line.startswith("│ ")]
    assert any(row.startswith("│ fourthwall │ " + demo.MOCK_FOURTHWALL_PRODUCT) for row in rows)
    assert any(re.match(rf"│ shipbob +│ {demo.MOCK_SHIPBOB_PRODUCT} ", row) for row in rows)
    pids = [int(pid) for pid in re.findall(r"\(pid (\d+),", done.stderr)]
    assert len(pids) == 2, done.stderr
    assert not any(_alive(pid) for pid in pids)


def test_live_without_credentials_exits_2_naming_the_variables(capsys: pytest.CaptureFixture[str]):
    assert demo.main(["--live"], environ={}) == demo.EXIT_USAGE
    err = capsys.readouterr().err
    for name in ("FOURTHWALL_USERNAME", "FOURTHWALL_ACCESS_TOKEN", "SHIPBOB_TOKEN", "SHIPBOB_REFRESH_TOKEN"):
        assert name in err


def test_live_with_credentials_but_no_product_exits_2_naming_the_option(capsys: pytest.CaptureFixture[str]):
    assert demo.main(["--live"], environ={"SHIPBOB_TOKEN": SHIPBOB_TOKEN}) == demo.EXIT_USAGE
    err = capsys.readouterr().err
    assert "--shipbob-product" in err and "DEMO_SHIPBOB_PRODUCT_ID" in err
    assert SHIPBOB_TOKEN not in err


def test_live_runs_inventory_for_every_configured_vendor(server: FakeVendors, capsys: pytest.CaptureFixture[str]):
    environ = {
        "FOURTHWALL_USERNAME": FOURTHWALL_USERNAME,
        "FOURTHWALL_PASSWORD": FOURTHWALL_PASSWORD,
        "FOURTHWALL_BASE_URL": server.url,
        "SHIPBOB_TOKEN": SHIPBOB_TOKEN,
        "SHIPBOB_BASE_URL": server.url,
        "DEMO_SHIPBOB_PRODUCT_ID": "101",
    }
    code = demo.main(["--live", "--fourthwall-product", "prod-hoodie"], environ=environ)
    out, err = capsys.readouterr()
    assert code == demo.EXIT_OK, err
    assert "Normalized stock from the live APIs" in out
    assert out.count("│ fourthwall │ prod-hoodie") == 25  # every page, through inventory()
    assert "Enamel mug, black" in out


def test_live_failure_is_typed_and_exits_1(server: FakeVendors, capsys: pytest.CaptureFixture[str]):
    environ = {"SHIPBOB_TOKEN": SHIPBOB_TOKEN, "SHIPBOB_BASE_URL": server.url}
    assert demo.main(["--live", "--shipbob-product", "404"], environ=environ) == demo.EXIT_FAILED
    assert capsys.readouterr().err.startswith("error: NotFoundError")
