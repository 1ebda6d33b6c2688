"""`commerce-stock stock ...` end to end: exit codes, messages and output, against a fake vendor server on 127.0.0.1.

The CLI reads credentials from the environment; each test sets exactly the variables it means and unsets any
FOURTHWALL_* / SHIPBOB_* the developer's shell may have, so a real credential can never leak into a run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from facade._cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE, main
from tests.cli.fake_vendors import (
    FOURTHWALL_PASSWORD,
    FOURTHWALL_PRODUCTS,
    FOURTHWALL_TOKEN,
    FOURTHWALL_USERNAME,
    SHIPBOB_TOKEN,
    FakeVendors,
)

_FOURTHWALL_BASIC = {"FOURTHWALL_USERNAME": FOURTHWALL_USERNAME, "FOURTHWALL_PASSWORD": FOURTHWALL_PASSWORD}


@attrs.frozen
class Result:
    exit_code: int
    stdout: str
    stderr: str


Run = Callable[..., Result]


@pytest.fixture(scope="module")
def server() -> Iterator[FakeVendors]:
    with FakeVendors() as running:
        yield running


def _vendor_free_environ() -> dict[str, str]:
    """The real environment without any FOURTHWALL_* / SHIPBOB_* variable the developer's shell may have."""
    return {name: value for name, value in os.environ.items() if not name.startswith(("FOURTHWALL_", "SHIPBOB_"))}


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Run:
    """Run the CLI in-process with exactly the given vendor variables set; returns its exit code and output."""

    def invoke(*args: str, **variables: str) -> Result:
        for name in os.environ:
            if name.startswith(("FOURTHWALL_", "SHIPBOB_")):
                monkeypatch.delenv(name)
        for name, value in variables.items():
            monkeypatch.setenv(name, value)
        capsys.readouterr()
        code = main(list(args), prog="commerce-stock")
        out, err = capsys.readouterr()
        return Result(code, out, err)

    return invoke


def _jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def _inventory_requests(server: FakeVendors, product: str) -> list[str]:
    return [path for path in server.paths() if f"/{product}/" in path]


def test_fourthwall_all_products_fetched_exit_0_every_page_once(run: Run, server: FakeVendors):
    result = run(
        "stock",
        "fourthwall",
        "prod-mug",
        "prod-hoodie",
        "--format",
        "jsonl",
        "--base-url",
        server.url,
        **_FOURTHWALL_BASIC,
    )
    assert result.exit_code == EXIT_OK, result.stderr
    records = _jsonl(result.stdout)
    expected = [("prod-mug", v["variantId"]) for v in FOURTHWALL_PRODUCTS["prod-mug"]]
    expected += [("prod-hoodie", v["variantId"]) for v in FOURTHWALL_PRODUCTS["prod-hoodie"]]
    assert [(r["product_id"], r["item_id"]) for r in records] == expected  # 28 levels, in order
    assert {r["provider"] for r in records} == {"fourthwall"}
    assert records[0]["on_hand"] is None  # Fourthwall does not report it: unknown, not zero
    # 25 variants at the default size of 20 are two pages: each fetched exactly once.
    assert len(_inventory_requests(server, "prod-hoodie")) == 2
    assert result.stderr == ""


def test_shipbob_pat_channel_and_breakdowns(run: Run, server: FakeVendors):
    result = run(
        "stock",
        "shipbob",
        "101",
        "102",
        "--format",
        "jsonl",
        "--base-url",
        server.url,
        SHIPBOB_TOKEN=SHIPBOB_TOKEN,
        SHIPBOB_CHANNEL_ID="77",
    )
    assert result.exit_code == EXIT_OK, result.stderr
    records = _jsonl(result.stdout)
    assert [(r["product_id"], r["item_id"]) for r in records] == [("101", "5001"), ("102", "5002"), ("102", "5003")]
    mug = records[0]
    assert (mug["available"], mug["on_hand"], mug["committed"]) == (12, 15, 3)
    assert [location["name"] for location in mug["locations"]] == ["Cicero (IL)", "Moreno Valley (CA)"]
    assert mug["lots"][0]["lot_number"] == "LOT-2026-11"
    sent = [r for r in server.requests if r.path == "/1.0/product/101/inventory"][-1]
    assert sent.headers["authorization"] == f"Bearer {SHIPBOB_TOKEN}"
    assert sent.headers["shipbob_channel_id"] == "77"


def test_table_is_the_default_and_csv_parses(run: Run, server: FakeVendors):
    table = run("stock", "fourthwall", "prod-mug", "--base-url", server.url, FOURTHWALL_ACCESS_TOKEN=FOURTHWALL_TOKEN)
    assert table.exit_code == EXIT_OK, table.stderr
    assert "Fourthwall stock" in table.stdout and "on hand" in table.stdout
    for variant in FOURTHWALL_PRODUCTS["prod-mug"]:
        assert variant["variantId"] in table.stdout

    as_csv = run(
        "stock",
        "fourthwall",
        "prod-mug",
        "--format",
        "csv",
        "--base-url",
        server.url,
        FOURTHWALL_ACCESS_TOKEN=FOURTHWALL_TOKEN,
    )
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [row["item_id"] for row in rows] == [v["variantId"] for v in FOURTHWALL_PRODUCTS["prod-mug"]]
    assert [row["available"] for row in rows] == [str(v["quantity"]) for v in FOURTHWALL_PRODUCTS["prod-mug"]]


def test_some_products_fail_exit_1_each_failure_named_with_its_reason(run: Run, server: FakeVendors):
    result = run(
        "stock",
        "fourthwall",
        "prod-missing",
        "prod-mug",
        "prod-broken",
        "--format",
        "jsonl",
        "--base-url",
        server.url,
        **_FOURTHWALL_BASIC,
    )
    assert result.exit_code == EXIT_SOME_FAILED
    # The product that worked is still printed.
    assert {r["product_id"] for r in _jsonl(result.stdout)} == {"prod-mug"}
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 2
    missing, broken = errors
    assert missing.startswith("error: fourthwall product prod-missing: NotFoundError")
    assert broken.startswith("error: fourthwall product prod-broken: ResponseValidationError")
    assert "2 of 3 products failed." in result.stderr
    assert FOURTHWALL_PASSWORD not in result.stdout + result.stderr


def test_shipbob_not_found_and_server_error_are_per_product_failures(run: Run, server: FakeVendors):
    result = run(
        "stock",
        "shipbob",
        "404",
        "101",
        "500",
        "--format",
        "csv",
        "--base-url",
        server.url,
        SHIPBOB_TOKEN=SHIPBOB_TOKEN,
    )
    assert result.exit_code == EXIT_SOME_FAILED
    assert "error: shipbob product 404: NotFoundError" in result.stderr
    assert "error: shipbob product 500: ServerError" in result.stderr
    assert [row["product_id"] for row in csv.DictReader(io.StringIO(result.stdout))] == ["101"]


def test_rejected_credentials_fail_every_product_without_showing_the_secret(run: Run, server: FakeVendors):
    result = run("stock", "shipbob", "101", "--base-url", server.url, SHIPBOB_TOKEN="sb-wrong-token-secret-value")
    assert result.exit_code == EXIT_SOME_FAILED
    assert "error: shipbob product 101: AuthenticationError" in result.stderr
    assert "sb-wrong-token-secret-value" not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("provider", "variables"),
    [
        (
            "fourthwall",
            ("FOURTHWALL_USERNAME", "FOURTHWALL_PASSWORD", "FOURTHWALL_ACCESS_TOKEN", "FOURTHWALL_CLIENT_ID"),
        ),
        ("shipbob", ("SHIPBOB_TOKEN", "SHIPBOB_CLIENT_ID", "SHIPBOB_REFRESH_TOKEN")),
    ],
)
def test_missing_credentials_exit_2_naming_the_variables(
    run: Run, server: FakeVendors, provider: str, variables: tuple[str, ...]
):
    before = len(server.requests)
    result = run("stock", provider, "1", "--base-url", server.url)
    assert result.exit_code == EXIT_USAGE
    assert result.stderr.startswith("error: ")
    for name in variables:
        assert name in result.stderr
    assert result.stdout == ""
    assert len(server.requests) == before  # nothing was sent


def test_half_configured_credentials_exit_2_naming_the_missing_one(run: Run, server: FakeVendors):
    result = run("stock", "fourthwall", "prod-mug", "--base-url", server.url, FOURTHWALL_USERNAME="shop")
    assert result.exit_code == EXIT_USAGE
    assert "FOURTHWALL_PASSWORD" in result.stderr


def test_plain_http_to_a_remote_host_is_a_configuration_error(run: Run, server: FakeVendors):
    result = run("stock", "shipbob", "101", "--base-url", "http://stock.invalid", SHIPBOB_TOKEN=SHIPBOB_TOKEN)
    assert result.exit_code == EXIT_USAGE
    assert "http://stock.invalid" in result.stderr
    assert SHIPBOB_TOKEN not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["stock", "amazon", "1"], "argument PROVIDER: invalid choice: 'amazon'"),
        (["stock", "fourthwall"], "the following arguments are required: PRODUCT_ID"),
        (["stock", "shipbob", "101", "abc"], "ShipBob product ids are integers, got 'abc'"),
        (["stock", "fourthwall", "p1", "--format", "xml"], "argument --format: invalid choice: 'xml'"),
        (["inventory", "fourthwall", "p1"], "invalid choice: 'inventory'"),
        ([], "the following arguments are required: COMMAND"),
        (["stock", "fourthwall", "p1", "--concurrency", "0"], "argument --concurrency: must be at least 1, got 0"),
    ],
)
def test_usage_errors_exit_2_naming_the_problem(run: Run, args: list[str], message: str):
    result = run(*args, SHIPBOB_TOKEN=SHIPBOB_TOKEN)
    assert result.exit_code == EXIT_USAGE
    assert message in result.stderr
    assert result.stderr.startswith("usage: commerce-stock")
    assert result.stdout == ""


def test_duplicate_product_ids_are_fetched_once(run: Run, server: FakeVendors):
    before = len(_inventory_requests(server, "prod-mug"))
    result = run(
        "stock",
        "fourthwall",
        "prod-mug",
        "prod-mug",
        "--format",
        "jsonl",
        "--base-url",
        server.url,
        **_FOURTHWALL_BASIC,
    )
    assert result.exit_code == EXIT_OK
    assert len(_jsonl(result.stdout)) == len(FOURTHWALL_PRODUCTS["prod-mug"])
    assert len(_inventory_requests(server, "prod-mug")) == before + 1


def test_progress_bar_goes_to_stderr_never_stdout(run: Run, server: FakeVendors):
    result = run(
        "stock",
        "fourthwall",
        "prod-mug",
        "prod-hoodie",
        "--progress",
        "--format",
        "jsonl",
        "--base-url",
        server.url,
        **_FOURTHWALL_BASIC,
    )
    assert result.exit_code == EXIT_OK
    assert len(_jsonl(result.stdout)) == 28  # stdout stays machine-readable
    assert "fourthwall products" in result.stderr
    assert "2/2" in result.stderr  # the bar reached the end: one step per product


def test_no_progress_bar_when_not_asked_and_stderr_is_not_a_terminal(run: Run, server: FakeVendors):
    result = run("stock", "fourthwall", "prod-mug", "prod-hoodie", "--base-url", server.url, **_FOURTHWALL_BASIC)
    assert result.exit_code == EXIT_OK
    assert result.stderr == ""


def test_python_dash_m_facade_runs_the_same_cli(server: FakeVendors):
    env = _vendor_free_environ()
    env["SHIPBOB_TOKEN"] = SHIPBOB_TOKEN
    done = subprocess.run(
        [sys.executable, "-m", "facade", "stock", "shipbob", "101", "999", "--format", "csv", "--base-url", server.url],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == EXIT_SOME_FAILED, done.stderr
    assert "error: shipbob product 999: NotFoundError" in done.stderr
    assert done.stdout.splitlines()[0].startswith("provider,product_id,item_id")
    help_text = subprocess.run(
        [sys.executable, "-m", "facade", "stock", "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert help_text.returncode == EXIT_OK
    assert help_text.stdout.startswith("usage: python -m facade stock")
    assert "SHIPBOB_TOKEN" in help_text.stdout  # the help names the credential variables


def test_console_script_is_installed_and_runs_the_cli(server: FakeVendors):
    # The test command installs the project (`pip install -e .`), so a missing script means [project.scripts]
    # broke: that is a failure, never a skip CI would pass silently.
    script = Path(sys.executable).with_name("commerce-stock")
    assert script.exists(), f"console script not installed next to {sys.executable}: check [project.scripts]"
    env = _vendor_free_environ()
    done = subprocess.run(
        [str(script), "stock", "fourthwall", "prod-mug", "--format", "jsonl", "--base-url", server.url],
        env={**env, "FOURTHWALL_ACCESS_TOKEN": FOURTHWALL_TOKEN},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == EXIT_OK, done.stderr
    assert len(_jsonl(done.stdout)) == len(FOURTHWALL_PRODUCTS["prod-mug"])
    missing = subprocess.run(
        [str(script), "stock", "fourthwall", "prod-mug"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert missing.returncode == EXIT_USAGE  # the script passes main()'s return value to the process exit status
    assert "FOURTHWALL_USERNAME" in missing.stderr


def test_importing_facade_loads_no_cli_module_and_no_rich_beyond_what_httpx_loads():
    # httpx imports its own CLI (click, rich, pygments) whenever click is installed, as it is in the test
    # environment (via the generator's typer); what facade must not do is add any on top of that.
    code = (
        "import sys; import httpx; before = set(sys.modules); import facade\n"
        "added = [m for m in set(sys.modules) - before if m.split('.')[0] in {'click', 'rich', 'pygments'}]\n"
        "added += [m for m in sys.modules if m.startswith('facade._cli')]\n"
        "print(','.join(sorted(added)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == ""
