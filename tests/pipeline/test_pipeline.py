"""Issue 2: the regeneration pipeline end to end, on a throwaway copy of the project.

Each failure case checks three things: a non-zero exit, a message naming the spec and the problem,
and a byte-identical ``generated/``.
"""

from __future__ import annotations

import inspect
import json
import os
from pathlib import Path

import httpx
import pytest

from pipeline import swap
from tests.pipeline.conftest import REPO, RunPipeline, tree_digest, write_spec

SEED = (REPO / "specs" / "shipbob.yaml").read_text()


def test_generate_reproduces_the_committed_clients(project: Path, run_pipeline: RunPipeline) -> None:
    before = tree_digest(project / "generated")
    result = run_pipeline("generate")
    assert result.returncode == 0, result.stderr
    for vendor in ("fourthwall", "shipbob"):
        assert vendor in result.stdout
    assert "1 operations" in result.stdout and "typed 2xx responses" in result.stdout
    assert tree_digest(project / "generated") == before == tree_digest(REPO / "generated")


def test_every_generated_file_carries_the_do_not_edit_marker() -> None:
    files = list((REPO / "generated").rglob("*.py"))
    assert files
    for file in files:
        assert "DO NOT EDIT" in file.read_text().splitlines()[0], file


def test_hand_edit_is_caught_and_named(project: Path, run_pipeline: RunPipeline) -> None:
    edited = project / "generated" / "shipbob_client" / "models" / "problem_details.py"
    edited.write_text(edited.read_text() + "\n# a hand edit\n")
    extra = project / "generated" / "fourthwall_client" / "models" / "hand_written.py"
    extra.write_text("X = 1\n")
    result = run_pipeline("check")
    assert result.returncode == 1
    assert f"differs: {edited}" in result.stderr
    assert f"not produced by the pipeline: {extra}" in result.stderr


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        pytest.param("openapi: 3.1.0\npaths: {\n  /x: [unclosed\n", "not valid YAML", id="invalid-yaml"),
        pytest.param("- just\n- a list\n", "not an OpenAPI document", id="not-a-mapping"),
        pytest.param(
            SEED.replace("'#/components/schemas/Inventory.ProblemDetails'", "'#/components/schemas/Nope'"),
            "'#/components/schemas/Nope' points at nothing",
            id="missing-schema",
        ),
        pytest.param(
            # The path template names {id}, the parameter says productId: the bare generator warns, drops the
            # whole operation and exits 0. No pass may guess which name was meant.
            SEED.replace("/1.0/product/{productId}/inventory:", "/1.0/product/{id}/inventory:"),
            "the generator reported",
            id="generator-warning",
        ),
    ],
)
def test_bad_spec_fails_naming_it_and_leaves_generated_untouched(
    project: Path, run_pipeline: RunPipeline, spec: str, expected: str
) -> None:
    write_spec(project, "shipbob", spec)
    before = tree_digest(project / "generated")
    result = run_pipeline("generate")
    assert result.returncode == 1
    assert "[shipbob] specs/shipbob.yaml:" in result.stderr
    assert expected in result.stderr
    assert "Traceback" not in result.stderr
    assert tree_digest(project / "generated") == before


def test_spec_changed_without_provenance_is_refused(project: Path, run_pipeline: RunPipeline) -> None:
    spec = project / "specs" / "fourthwall.yaml"
    spec.write_text(spec.read_text().replace("Returns product", "Returns the product"))
    before = tree_digest(project / "generated")
    result = run_pipeline("generate")
    assert result.returncode == 1
    assert "[fourthwall] specs/fourthwall.yaml: sha256 is" in result.stderr
    assert "update_specs" in result.stderr
    assert tree_digest(project / "generated") == before


def test_broken_overlay_target_is_named(project: Path, run_pipeline: RunPipeline) -> None:
    overlay = project / "specs" / "fourthwall.overlay.yaml"
    overlay.write_text(overlay.read_text().replace("/products/{productId}/inventory", "/products/{id}/stock", 1))
    result = run_pipeline("generate")
    assert result.returncode == 1
    assert "specs/fourthwall.overlay.yaml: action 0: target" in result.stderr
    assert "matches nothing" in result.stderr


def test_swap_replaces_whole_directory(tmp_path: Path) -> None:
    target, staged = tmp_path / "pkg", tmp_path / "stage"
    target.mkdir()
    (target / "old.py").write_text("old")
    staged.mkdir()
    (staged / "new.py").write_text("new")
    swap.swap_in(staged, target)
    assert sorted(p.name for p in target.iterdir()) == ["new.py"]
    assert not staged.exists()


def test_swap_fallback_restores_the_old_package_when_the_second_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target, staged = tmp_path / "pkg", tmp_path / "stage"
    target.mkdir()
    (target / "old.py").write_text("old")
    staged.mkdir()
    monkeypatch.setattr(swap, "_exchange", lambda a, b: False)
    real_rename = os.rename

    def flaky_rename(src: os.PathLike[str], dst: os.PathLike[str]) -> None:
        if Path(src) == staged:
            raise OSError("simulated interruption")
        real_rename(src, dst)

    monkeypatch.setattr(swap.os, "rename", flaky_rename)
    with pytest.raises(OSError, match="simulated"):
        swap.swap_in(staged, target)
    assert (target / "old.py").read_text() == "old"


def test_fourthwall_inventory_is_a_typed_page_and_takes_page_and_size() -> None:
    from fourthwall_client import AuthenticatedClient
    from fourthwall_client.api.products_offers import get_product_inventory
    from fourthwall_client.models import Stock, StockPage

    seen: list[httpx.Request] = []
    body = {
        "results": [
            {
                "variantId": "00aa4abd-5778-4199-8161-0b49b2f212e5",
                "quantity": 7,
                "createdAt": "2026-01-01T00:00:00Z",
                "updatedAt": "2026-01-02T00:00:00Z",
            }
        ],
        "total": 1,
        "page": 2,
        "size": 5,
        "totalPages": 3,
    }

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=json.dumps(body), headers={"content-type": "application/json"})

    client = AuthenticatedClient(base_url="https://api.example.test", token="t")
    client.set_httpx_client(httpx.Client(base_url="https://api.example.test", transport=httpx.MockTransport(handler)))
    page = get_product_inventory.sync(product_id="p-1", client=client, page=2, size=5)
    assert isinstance(page, StockPage)
    assert isinstance(page.results[0], Stock) and page.results[0].quantity == 7
    assert page.total_pages == 3
    assert seen[0].url.path == "/open-api/v1.0/products/p-1/inventory"
    assert dict(seen[0].url.params) == {"page": "2", "size": "5"}


def test_shipbob_inventory_functions_take_no_authorization_argument() -> None:
    from shipbob_client.api.subpackage_inventory import get_a_list_of_inventory_items_by_product_id as op

    for name in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
        parameters = inspect.signature(getattr(op, name)).parameters
        assert "authorization" not in parameters, name
        assert "shipbob_channel_id" in parameters
