"""`commerce-stock stock ...` when a vendor answers with a body nested 1,000 deep: a per-product failure named on
stderr, the good product still printed, never a traceback (issue 18 break 2), through a spoiling proxy in front of
the sandbox."""

from __future__ import annotations

import json

from facade.cli import EXIT_SOME_FAILED
from facade.sandbox import Sandbox
from tests.cli._proxy import Spoil, SpoilingProxy
from tests.cli._runner import Run

DEEP = b'{"code": ' + b"[" * 1000 + b"]" * 1000 + b"}"


def _deep_404_for(product_id: str) -> Spoil:
    def spoil(path: str, query: dict[str, list[str]], status: int, body: bytes) -> tuple[int, bytes] | None:
        return (404, DEEP) if path.endswith(f"/products/{product_id}/inventory") else None

    return spoil


def test_a_deep_404_fails_that_product_only_without_a_traceback(run: Run, sandbox: Sandbox) -> None:
    """Old behaviour: the CLI printed a RecursionError traceback and nothing else."""
    good = sandbox.shop.fourthwall_products[0]
    with SpoilingProxy(sandbox.fourthwall_url, _deep_404_for("bad")) as proxy:
        env = {k: v for k, v in sandbox.environ().items() if k.startswith("FOURTHWALL_")}
        result = run(
            "stock", "fourthwall", good.id, "bad", "--format", "jsonl", env={**env, "FOURTHWALL_BASE_URL": proxy.url}
        )
    assert result.exit_code == EXIT_SOME_FAILED, result.stderr
    assert {json.loads(line)["product_id"] for line in result.stdout.splitlines()} == {good.id}
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: fourthwall product bad: NotFoundError"), result.stderr
    assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
