"""`commerce-stock stock ...` end to end against the sandbox: exit codes, messages and output.

Products are fetched by id through the clients' `inventory_many` (or the same bulk runner with a progress bar).
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from facade.cli import EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE
from facade.sandbox import Sandbox
from tests.cli._runner import Run, vendor_free_environ


def _jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def _limited(product: Any) -> list[Any]:
    """The variants `GET /products/{id}/inventory` lists: those with a LIMITED stock (a quantity)."""
    return [variant for variant in product.variants if variant.in_stock is not None]


def _fourthwall_env(sandbox: Sandbox) -> dict[str, str]:
    return {k: v for k, v in sandbox.environ().items() if k.startswith("FOURTHWALL_")}


def _shipbob_env(sandbox: Sandbox) -> dict[str, str]:
    return {k: v for k, v in sandbox.environ().items() if k.startswith("SHIPBOB_")}


def test_fourthwall_all_products_fetched_exit_0_every_page_once(run: Run, sandbox: Sandbox) -> None:
    first, second = sandbox.shop.fourthwall_products[:2]
    before = len(sandbox.requests)
    result = run("stock", "fourthwall", first.id, second.id, "--format", "jsonl", env=_fourthwall_env(sandbox))
    assert result.exit_code == EXIT_OK, result.stderr
    records = _jsonl(result.stdout)
    expected = [(p.id, v.id) for p in (first, second) for v in _limited(p)]
    assert [(r["product_id"], r["item_id"]) for r in records] == expected
    assert {r["provider"] for r in records} == {"fourthwall"}
    assert records[0]["on_hand"] is None  # Fourthwall does not report it: unknown, not zero
    assert len(sandbox.requests) - before == 2  # one page per product at the largest page size
    assert result.stderr == ""


def test_shipbob_products_with_breakdowns_and_channel(run: Run, sandbox: Sandbox) -> None:
    product = next(p for p in sandbox.shop.shipbob_products if p.kind == "coffee")  # lot-tracked
    result = run("stock", "shipbob", str(product.id), "--format", "jsonl", env=_shipbob_env(sandbox))
    assert result.exit_code == EXIT_OK, result.stderr
    records = _jsonl(result.stdout)
    assert [r["item_id"] for r in records] == [str(v.inventory_id) for v in product.variants]
    item = sandbox.shop.shipbob_item(product.variants[0].inventory_id)
    assert item is not None
    first = records[0]
    assert first["sku"] == item.sku
    assert (first["on_hand"], first["committed"]) == (item.total("on_hand"), item.total("committed"))
    assert first["available"] == item.total("fulfillable")
    assert len(first["locations"]) == len(item.locations) and first["lots"]
    sent = [r for r in sandbox.requests.records(vendor="shipbob") if r.path == f"/2026-01/product/{product.id}"]
    assert sent and sent[-1].status == 200


def test_table_is_the_default_and_csv_parses(run: Run, sandbox: Sandbox) -> None:
    product = sandbox.shop.fourthwall_products[2]
    table = run("stock", "fourthwall", product.id, env=_fourthwall_env(sandbox))
    assert table.exit_code == EXIT_OK, table.stderr
    assert "Fourthwall stock" in table.stdout and "on hand" in table.stdout
    assert _limited(product)
    for variant in _limited(product):
        assert variant.id in table.stdout

    as_csv = run("stock", "fourthwall", product.id, "--format", "csv", env=_fourthwall_env(sandbox))
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [row["item_id"] for row in rows] == [v.id for v in _limited(product)]
    assert [row["available"] for row in rows] == [str(v.in_stock) for v in _limited(product)]


def test_some_products_fail_exit_1_each_failure_named_with_its_reason(run: Run, sandbox: Sandbox) -> None:
    good = sandbox.shop.fourthwall_products[0]
    result = run("stock", "fourthwall", "of_missing", good.id, "--format", "jsonl", env=_fourthwall_env(sandbox))
    assert result.exit_code == EXIT_SOME_FAILED
    assert {r["product_id"] for r in _jsonl(result.stdout)} == {good.id}  # the product that worked is printed
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: fourthwall product of_missing: NotFoundError")
    assert "1 of 2 products failed." in result.stderr
    assert sandbox.fourthwall_credentials[1] not in result.stdout + result.stderr


def test_shipbob_not_found_is_a_per_product_failure(run: Run, sandbox: Sandbox) -> None:
    good = sandbox.shop.shipbob_products[0]
    result = run("stock", "shipbob", "404", str(good.id), "--format", "csv", env=_shipbob_env(sandbox))
    assert result.exit_code == EXIT_SOME_FAILED
    assert "error: shipbob product 404: NotFoundError" in result.stderr
    assert {row["product_id"] for row in csv.DictReader(io.StringIO(result.stdout))} == {str(good.id)}


def test_rejected_credentials_fail_every_product_without_showing_the_secret(run: Run, sandbox: Sandbox) -> None:
    env = {**_shipbob_env(sandbox), "SHIPBOB_TOKEN": "sb-wrong-token-secret-value"}
    result = run("stock", "shipbob", str(sandbox.shop.shipbob_products[0].id), env=env)
    assert result.exit_code == EXIT_SOME_FAILED
    assert "AuthenticationError" in result.stderr
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
    run: Run, sandbox: Sandbox, provider: str, variables: tuple[str, ...]
) -> None:
    before = len(sandbox.requests)
    url = sandbox.fourthwall_url if provider == "fourthwall" else sandbox.shipbob_url
    result = run("stock", provider, "1", "--base-url", url)
    assert result.exit_code == EXIT_USAGE
    assert result.stderr.startswith("error: ")
    for name in variables:
        assert name in result.stderr
    assert result.stdout == ""
    assert len(sandbox.requests) == before  # nothing was sent


def test_half_configured_credentials_exit_2_naming_the_missing_one(run: Run, sandbox: Sandbox) -> None:
    result = run("stock", "fourthwall", "p", "--base-url", sandbox.fourthwall_url, env={"FOURTHWALL_USERNAME": "shop"})
    assert result.exit_code == EXIT_USAGE
    assert "FOURTHWALL_PASSWORD" in result.stderr


def test_plain_http_to_a_remote_host_is_a_configuration_error(run: Run, sandbox: Sandbox) -> None:
    token = sandbox.shipbob_token
    result = run("stock", "shipbob", "101", "--base-url", "http://stock.invalid", env={"SHIPBOB_TOKEN": token})
    assert result.exit_code == EXIT_USAGE
    assert "http://stock.invalid" in result.stderr
    assert token not in result.stderr


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
        (["reconcile", "--buffer", "-1"], "argument --buffer: must be 0 or more, got -1"),
        (["reconcile", "--buffer", "x"], "argument --buffer: invalid"),
        (["reconcile", "--format", "xml"], "argument --format: invalid choice: 'xml'"),
    ],
)
def test_usage_errors_exit_2_naming_the_problem(run: Run, args: list[str], message: str) -> None:
    result = run(*args, env={"SHIPBOB_TOKEN": "x"})
    assert result.exit_code == EXIT_USAGE
    assert message in result.stderr
    assert result.stderr.startswith("usage: commerce-stock")
    assert result.stdout == ""


def test_duplicate_product_ids_are_fetched_once(run: Run, sandbox: Sandbox) -> None:
    product = sandbox.shop.fourthwall_products[3]
    path = f"/open-api/v1.0/products/{product.id}/inventory"
    before = sandbox.requests.count(path=path)
    result = run("stock", "fourthwall", product.id, product.id, "--format", "jsonl", env=_fourthwall_env(sandbox))
    assert result.exit_code == EXIT_OK
    assert len(_jsonl(result.stdout)) == len(_limited(product))
    assert sandbox.requests.count(path=path) == before + 1


def test_progress_bar_goes_to_stderr_never_stdout(run: Run, sandbox: Sandbox) -> None:
    first, second = sandbox.shop.fourthwall_products[:2]
    result = run(
        "stock", "fourthwall", first.id, second.id, "--progress", "--format", "jsonl", env=_fourthwall_env(sandbox)
    )
    assert result.exit_code == EXIT_OK
    assert len(_jsonl(result.stdout)) == len(_limited(first)) + len(_limited(second))  # stdout stays machine-readable
    assert "fourthwall products" in result.stderr
    assert "2/2" in result.stderr  # the bar reached the end: one step per product


def test_no_progress_bar_when_not_asked_and_stderr_is_not_a_terminal(run: Run, sandbox: Sandbox) -> None:
    first, second = sandbox.shop.fourthwall_products[:2]
    result = run("stock", "fourthwall", first.id, second.id, env=_fourthwall_env(sandbox))
    assert result.exit_code == EXIT_OK
    assert result.stderr == ""


def test_python_dash_m_facade_runs_the_same_cli(sandbox: Sandbox) -> None:
    env = {**vendor_free_environ(), **_shipbob_env(sandbox)}
    product = sandbox.shop.shipbob_products[0]
    done = subprocess.run(
        [sys.executable, "-m", "facade", "stock", "shipbob", str(product.id), "999", "--format", "csv"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == EXIT_SOME_FAILED, done.stderr
    assert "error: shipbob product 999: NotFoundError" in done.stderr
    assert done.stdout.splitlines()[0].startswith("provider,product_id,item_id,sku")
    help_text = subprocess.run(
        [sys.executable, "-m", "facade", "reconcile", "--help"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert help_text.returncode == EXIT_OK
    assert help_text.stdout.startswith("usage: python -m facade reconcile")
    assert "SHIPBOB_TOKEN" in help_text.stdout and "fourthwall_sku,shipbob" in help_text.stdout


def test_console_script_is_installed_and_runs_the_cli(sandbox: Sandbox) -> None:
    # The test command installs the project (`pip install -e .`), so a missing script means [project.scripts]
    # broke: that is a failure, never a skip CI would pass silently.
    script = Path(sys.executable).with_name("commerce-stock")
    assert script.exists(), f"console script not installed next to {sys.executable}: check [project.scripts]"
    env = vendor_free_environ()
    done = subprocess.run(
        [str(script), "reconcile", "--format", "jsonl"],
        env={**env, **sandbox.environ()},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr  # the seeded shop has differences
    assert len(_jsonl(done.stdout)) == len(sandbox.shop.expectations(mapping=False))
    missing = subprocess.run(
        [str(script), "reconcile"], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert missing.returncode == 2  # the script passes main()'s return value to the process exit status
    assert "FOURTHWALL_USERNAME" in missing.stderr


def test_importing_facade_loads_no_cli_module_and_no_rich_beyond_what_httpx_loads() -> None:
    # httpx imports its own CLI (click, rich, pygments) whenever click is installed; what facade must not do is
    # add any on top of that, and `facade.reconcile` (which the CLI uses) must not pull rich in either.
    code = (
        "import sys; import httpx; before = set(sys.modules); import facade, facade.reconcile\n"
        "added = [m for m in set(sys.modules) - before if m.split('.')[0] in {'click', 'rich', 'pygments'}]\n"
        "added += [m for m in sys.modules if m.startswith('facade.cli')]\n"
        "print(','.join(sorted(added)))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == ""
