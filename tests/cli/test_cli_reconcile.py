"""`commerce-stock reconcile` end to end against the sandbox: formats, filters, mapping, buffer, exit status like
diff (0 in sync, 1 differences, 2 trouble with a one-line message), progress on stderr, vendor text neutralized."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from facade.cli import EXIT_DIFFERENCES, EXIT_OK, EXIT_TROUBLE
from facade.reconcile import CSV_COLUMNS, normalize_sku
from facade.sandbox import Sandbox, Shop
from tests.cli._proxy import SpoilingProxy
from tests.cli._runner import Run


def _jsonl(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines()]


def test_jsonl_has_one_record_per_sku_with_the_seeded_status_exit_1(run: Run, sandbox: Sandbox) -> None:
    result = run("reconcile", "--format", "jsonl", env=sandbox.environ())
    assert result.exit_code == EXIT_DIFFERENCES, result.stderr
    records = _jsonl(result.stdout)
    truth = {normalize_sku(row.key): row.status.value for row in sandbox.shop.expectations(mapping=False)}
    assert {record["key"]: record["status"] for record in records} == truth
    assert len(records) == len(truth)
    # stdout holds only records; the summary goes to stderr.
    assert f"{len(truth)} SKUs:" in result.stderr


def test_only_problems_mapping_and_buffer(run: Run, sandbox: Sandbox, tmp_path: Any) -> None:
    mapping = tmp_path / "mapping.csv"
    mapping.write_text("fourthwall_sku,shipbob\n" + "".join(f"{k},{v}\n" for k, v in sandbox.shop.mapping.items()))
    truth = sandbox.shop.expectations(mapping=True)
    result = run("reconcile", "--format", "jsonl", "--only-problems", "--mapping", str(mapping), env=sandbox.environ())
    assert result.exit_code == EXIT_DIFFERENCES
    records = _jsonl(result.stdout)
    assert records and all(not record["ok"] for record in records)
    expected_problems = {normalize_sku(row.key) for row in truth if row.status.value != "in_sync"}
    bundle_ok = {r["key"] for r in records if r["status"] == "bundle" and r["difference"] == 0}
    assert {record["key"] for record in records} == expected_problems - bundle_ok
    (fourthwall_sku,) = sandbox.shop.mapping
    assert normalize_sku(fourthwall_sku) not in {record["key"] for record in records}  # mapped: in sync

    buffered = run("reconcile", "--format", "jsonl", "--buffer", "2", env=sandbox.environ())
    rows = _jsonl(buffered.stdout)
    in_sync = [r for r in rows if r["status"] == "in_sync"]
    assert all(r["target"] == r["shipbob_fulfillable"] - 2 or r["target"] == 0 for r in in_sync)


def test_csv_has_the_stable_columns_and_table_shows_the_summary(run: Run, sandbox: Sandbox) -> None:
    as_csv = run("reconcile", "--format", "csv", env=sandbox.environ())
    reader = csv.DictReader(io.StringIO(as_csv.stdout))
    assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
    statuses = {row["status"] for row in reader}
    assert statuses >= {"in_sync", "oversell", "lost_sales", "only_fourthwall", "only_shipbob", "unlimited"}

    table = run("reconcile", env=sandbox.environ())
    assert table.exit_code == EXIT_DIFFERENCES
    assert "Fourthwall vs ShipBob stock" in table.stdout
    assert "not in sync" in table.stdout and "oversell" in table.stdout


def test_exit_0_when_every_sku_is_in_sync(run: Run) -> None:
    # A shop seeded with nothing to reconcile (some SKUs match only after normalization), end to end.
    with Sandbox.start(shop=Shop.generate(seed=4, skus=120, in_sync=True)) as shop:
        as_csv = run("reconcile", "--format", "csv", env=shop.environ())
        problems = run("reconcile", "--format", "jsonl", "--only-problems", env=shop.environ())
        table = run("reconcile", env=shop.environ())
    assert as_csv.exit_code == EXIT_OK, as_csv.stderr
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert len(rows) == 120 and {row["status"] for row in rows} == {"in_sync"}
    assert {row["difference"] for row in rows} == {"0"}
    assert "120 SKUs: 120 in_sync; 0 not in sync" in as_csv.stderr
    assert (problems.exit_code, problems.stdout) == (EXIT_OK, "")
    assert table.exit_code == EXIT_OK and "Fourthwall vs ShipBob stock" in table.stdout


def test_missing_credentials_exit_2_naming_the_variables_and_nothing_is_sent(run: Run, sandbox: Sandbox) -> None:
    before = len(sandbox.requests)
    env = {k: v for k, v in sandbox.environ().items() if not k.startswith("SHIPBOB_TOKEN")}
    result = run("reconcile", env=env)
    assert result.exit_code == EXIT_TROUBLE
    assert result.stderr.startswith("error: ") and "SHIPBOB_TOKEN" in result.stderr
    assert result.stdout == "" and len(sandbox.requests) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [("a: b\n", "use a .json or .csv"), ("fourthwall_sku,shipbob\nA,B,C\n", "line 2")],
)
def test_a_bad_mapping_file_exits_2_before_any_request(
    run: Run, sandbox: Sandbox, tmp_path: Any, content: str, message: str
) -> None:
    path = tmp_path / ("m.yaml" if content.startswith("a:") else "m.csv")
    path.write_text(content)
    before = len(sandbox.requests)
    result = run("reconcile", "--mapping", str(path), env=sandbox.environ())
    assert result.exit_code == EXIT_TROUBLE and message in result.stderr
    assert len(sandbox.requests) == before


def test_rejected_credentials_exit_2_without_the_secret(run: Run, sandbox: Sandbox) -> None:
    env = {**sandbox.environ(), "SHIPBOB_TOKEN": "sb-wrong-token-secret-value"}
    result = run("reconcile", env=env)
    assert result.exit_code == EXIT_TROUBLE
    assert "AuthenticationError" in result.stderr and "shipbob" in result.stderr
    assert "sb-wrong-token-secret-value" not in result.stdout + result.stderr
    assert result.stdout == ""


def _second_page_fails(path: str, query: dict[str, list[str]], status: int, body: bytes) -> tuple[int, bytes] | None:
    if path.endswith("/products") and query.get("page") == ["1"]:
        return 503, b'{"code": "SERVICE_UNAVAILABLE"}'
    return None


def test_a_vendor_failing_mid_listing_exits_2_with_one_line_and_no_report(run: Run, sandbox: Sandbox) -> None:
    # The session shop fits one Fourthwall page at the default size; this shop needs two.
    with Sandbox.start(seed=3, skus=700) as shop, SpoilingProxy(shop.fourthwall_url, _second_page_fails) as proxy:
        env = {**shop.environ(), "FOURTHWALL_BASE_URL": proxy.url}
        result = run("reconcile", "--format", "csv", env=env)
        assert any("page=0" in path for path in proxy.requests)  # the first page was served
    assert result.exit_code == EXIT_TROUBLE
    assert result.stdout == ""  # never a report from a partial listing
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: could not reconcile (while reading the fourthwall stock listing): ServerError")
    assert "Traceback" not in result.stderr


def test_an_api_that_cannot_be_reached_exits_2(run: Run, sandbox: Sandbox) -> None:
    with SpoilingProxy(sandbox.shipbob_url, lambda *a: None) as proxy:
        dead = proxy.url  # nothing listens there once the proxy has stopped
    result = run("reconcile", env={**sandbox.environ(), "SHIPBOB_BASE_URL": dead})
    assert result.exit_code == EXIT_TROUBLE
    assert "APIConnectionError" in result.stderr and result.stdout == ""


def test_progress_counts_items_on_stderr_never_stdout(run: Run, sandbox: Sandbox) -> None:
    result = run("reconcile", "--format", "jsonl", "--progress", env=sandbox.environ())
    assert result.exit_code == EXIT_DIFFERENCES
    assert len(_jsonl(result.stdout)) == len(sandbox.shop.expectations(mapping=False))
    for listing in ("fourthwall stock", "shipbob stock", "shipbob catalog"):
        assert listing in result.stderr
    fourthwall_items = sum(len(product.variants) for product in sandbox.shop.fourthwall_products)
    assert f"{fourthwall_items} items" in result.stderr


def test_no_progress_when_not_asked_and_stderr_is_not_a_terminal(run: Run, sandbox: Sandbox) -> None:
    result = run("reconcile", "--format", "jsonl", env=sandbox.environ())
    assert "fourthwall stock" not in result.stderr


def _hostile_names(path: str, query: dict[str, list[str]], status: int, body: bytes) -> tuple[int, bytes] | None:
    if not path.endswith("/products"):
        return None
    data = json.loads(body)
    variants = data["results"][0]["variants"]
    variants[0]["name"] = '=HYPERLINK("http://evil.invalid","click")'
    variants[1]["name"] = "\x1b]0;owned\x07\x1b[2JRed\u202eevil"
    variants[1]["sku"] = "@SUM(A1)"
    return status, json.dumps(data).encode()


@pytest.mark.parametrize("output_format", ["table", "csv", "jsonl"])
def test_vendor_text_cannot_drive_the_terminal_or_a_spreadsheet(run: Run, sandbox: Sandbox, output_format: str) -> None:
    with SpoilingProxy(sandbox.fourthwall_url, _hostile_names) as proxy:
        result = run(
            "reconcile", "--format", output_format, env={**sandbox.environ(), "FOURTHWALL_BASE_URL": proxy.url}
        )
    assert result.exit_code == EXIT_DIFFERENCES, result.stderr
    out = result.stdout
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out  # no raw escape reaches the output
    if output_format == "csv":
        rows = list(csv.DictReader(io.StringIO(out)))
        names = {row["fourthwall_name"] for row in rows}
        assert '\'=HYPERLINK("http://evil.invalid","click")' in names
        assert "\\x1b]0;owned\\x07\\x1b[2JRed\\u202eevil" in names  # visible, inert
        assert "'@SUM(A1)" in {row["fourthwall_sku"] for row in rows}
        assert not any(cell.startswith(("=", "+", "@")) for row in rows for cell in row.values())
    elif output_format == "table":
        assert "\\x1b]0;owned" in out
    else:
        assert any(r["fourthwall"] and r["fourthwall"][0]["name"].startswith("\x1b]0;") for r in _jsonl(out))
