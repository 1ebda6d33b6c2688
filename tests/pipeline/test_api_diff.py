"""Issue 7: the API diff names what a spec change did to the generated clients and which facade code breaks."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from pipeline.api_diff import diff
from pipeline.surface import Surface, surface
from tests.pipeline.conftest import RunPipeline, write_spec
from tests.support.paths import REPO

SHIPBOB = "shipbob_client"


def test_surface_reads_operations_fields_and_enum_members() -> None:
    found = surface(REPO / "generated" / SHIPBOB)
    operation = found["operations"]["inventory.get_2026_01_inventory_level"]
    assert operation["endpoint"] == "GET /2026-01/inventory-level"
    assert operation["params"]["inventory_ids"] == {"type": "list[int] | Unset", "required": False}
    assert operation["params"]["page_size"] == {"type": "int | Unset", "required": False}
    returns = "Any | InventoryProblemDetails | InventoryQuantityResponsePagedResponse | None"
    assert operation["returns"] == returns
    by_id = found["operations"]["inventory.get_2026_01_inventory_level_by_inventory_id"]
    assert by_id["endpoint"] == "GET /2026-01/inventory-level/{inventoryId}"  # the spec's path, not the Python names
    assert by_id["params"]["inventory_id"] == {"type": "int", "required": True}
    fields = found["models"]["InventoryProblemDetails"]["fields"]
    assert fields["status"] == {"type": "int | None | Unset", "required": False}
    members = found["models"]["ReceivingStatus"]["members"]
    assert members["AWAITING"] == "'Awaiting'" and members["PARTIALLYARRIVEDATHUB"] == "'PartiallyArrivedAtHub'"


def item(type_: str, required: bool) -> dict[str, object]:
    return {"type": type_, "required": required}


def test_diff_rules() -> None:
    old: Surface = {
        "operations": {
            "t.get": {"params": {"a": {"type": "int", "required": True}, "b": {"type": "str", "required": False}},
                      "returns": "X | None"},
            "t.gone": {"params": {}, "returns": "None"},
        },
        "models": {
            "M": {"kind": "model", "fields": {"f": item("int", True), "g": item("str", True)}},
            "E": {"kind": "enum", "members": {"A": "'a'", "B": "'b'"}},
        },
    }  # fmt: skip
    new: Surface = {
        "operations": {
            "t.get": {"params": {"a": {"type": "int", "required": False}, "c": {"type": "int", "required": True},
                                 "d": {"type": "int | Unset", "required": False}},
                      "returns": "X | None"},
            "t.new": {"params": {}, "returns": "None"},
        },
        "models": {
            "M": {"kind": "model", "fields": {"f": item("str", True), "h": item("int | Unset", False)}},
            "E": {"kind": "enum", "members": {"A": "'a'", "C": "'c'"}},
            "N": {"kind": "model", "fields": {}},
        },
    }  # fmt: skip
    lines = [str(change) for change in diff("p", old, new).changes]
    assert lines == [
        "BREAKING operation t.gone: removed",
        "operation t.new: added",
        "parameter t.get(a): now optional",
        "BREAKING parameter t.get(b): removed",
        "BREAKING parameter t.get(c): added (required)",
        "parameter t.get(d): added",
        "model N: added",
        "BREAKING field M.f: retyped int -> str",
        "BREAKING field M.g: removed",
        "field M.h: added",
        "BREAKING enum member E.B: removed",
        "enum member E.C: added",
    ]
    assert diff("p", old, old).summary() == "p: no API changes"
    assert diff("p", old, new).summary() == "p: 12 API change(s), 6 breaking"


def test_operations_are_named_by_endpoint_and_renames_are_reported_as_renames() -> None:
    fields = {"sku": item("str", True), "quantity": item("int | Unset", False)}
    old: Surface = {
        "operations": {
            "inventory.get_inventory": {"endpoint": "GET /inventory/{id}", "params": {}, "returns": "Stock | None"},
            "inventory.list_gone": {"endpoint": "GET /gone", "params": {}, "returns": "None"},
        },
        "models": {
            "Stock": {"kind": "model", "fields": fields},
            "Kind": {"kind": "enum", "members": {"A": "'a'"}},
            "Lost": {"kind": "model", "fields": {"x": item("int", True)}},
        },
    }
    new: Surface = {
        "operations": {
            "inventory.get_inventory_by_id": {"endpoint": "GET /inventory/{id}", "params": {},
                                              "returns": "InventoryStock | None"},
            "orders.list_orders": {"endpoint": "GET /order", "params": {}, "returns": "None"},
        },
        "models": {
            "InventoryStock": {"kind": "model", "fields": fields},
            "StockKind": {"kind": "enum", "members": {"A": "'a'"}},
            "Found": {"kind": "model", "fields": {"y": item("int", True)}},
        },
    }  # fmt: skip
    lines = [str(change) for change in diff("p", old, new).changes]
    assert lines == [
        "BREAKING operation GET /gone (inventory.list_gone): removed",
        "BREAKING operation GET /inventory/{id} (inventory.get_inventory_by_id): "
        "renamed from inventory.get_inventory to inventory.get_inventory_by_id",
        "operation GET /order (orders.list_orders): added",
        "model Found: added",
        "BREAKING model InventoryStock: renamed from Stock",
        "BREAKING model Lost: removed",
        "BREAKING model StockKind: renamed from Kind",
    ]


def model(**fields: dict[str, object]) -> dict[str, object]:
    return {"kind": "model", "fields": fields}


def test_renames_cascade_through_the_types_that_name_the_renamed_model() -> None:
    stock = {"sku": item("str", True), "quantity": item("int | Unset", False)}
    old: Surface = {
        "operations": {
            "inventory.list_stock": {"endpoint": "GET /stock", "params": {"after": item("Stock | Unset", False)},
                                     "returns": "StockPage | None"},
        },
        "models": {
            "Stock": model(**stock),
            "StockPage": model(results=item("list[Stock]", True), next=item("str", False)),
            "StockBook": model(pages=item("list[StockPage] | Unset", False)),
            "Shelf": model(top=item("Stock | None", True)),
        },
    }  # fmt: skip
    # the vendor prefixes every Stock schema with Inventory: InventoryStock, InventoryStockPage, InventoryStockBook
    new: Surface = json.loads(json.dumps(old).replace("Stock", "InventoryStock"))
    assert new["models"]["InventoryStockPage"]["fields"]["results"]["type"] == "list[InventoryStock]"
    lines = [str(change) for change in diff("p", old, new).changes]
    # one rename each (the page's results and the book's pages name renamed models); nothing retyped
    assert lines == [
        "BREAKING model InventoryStock: renamed from Stock",
        "BREAKING model InventoryStockBook: renamed from StockBook",
        "BREAKING model InventoryStockPage: renamed from StockPage",
    ]
    # a real retype next to a rename is still one
    new["models"]["Shelf"] = model(top=item("InventoryStockPage | None", True))
    assert "BREAKING field Shelf.top: retyped Stock | None -> InventoryStockPage | None" in [
        str(change) for change in diff("p", old, new).changes
    ]


def test_an_endpoint_keeps_matching_when_only_its_placeholder_names_differ() -> None:
    # a client generated before the spec's paths were recorded names its placeholders in Python
    old: Surface = {"operations": {"o.cancel": {"endpoint": "POST /order/{order_id}:cancel", "params": {},
                                                "returns": "None"}}, "models": {}}  # fmt: skip
    new: Surface = {"operations": {"o.cancel_order": {"endpoint": "POST /order/{orderId}:cancel", "params": {},
                                                      "returns": "None"}}, "models": {}}  # fmt: skip
    assert [str(change) for change in diff("p", old, new).changes] == [
        "BREAKING operation POST /order/{orderId}:cancel (o.cancel_order): renamed from o.cancel to o.cancel_order"
    ]


FACADE = """\
from shipbob_client.models import PackagingAttribute, ProblemDetails


def detail(problem: ProblemDetails) -> str | None:
    return problem.detail if isinstance(problem.detail, str) else None


FRAGILE = PackagingAttribute.POSTER
"""


@pytest.mark.slow  # three mypy runs on cold caches
def test_generate_summarizes_and_api_diff_names_broken_facade_lines(project: Path, run_pipeline: RunPipeline) -> None:
    def git(*args: str) -> None:
        subprocess.run(["git", "-C", str(project), *args], check=True, capture_output=True)

    # the ShipBob seed (API 1.0, one operation) keeps the three mypy runs small
    seed = (REPO / "tests" / "specs" / "seeds" / "shipbob.yaml").read_text()
    write_spec(project, "shipbob", seed)
    (project / "specs" / "shipbob.names.json").unlink()  # the full spec's names are not the seed's
    assert run_pipeline("generate", "shipbob").returncode == 0
    (project / "facade").mkdir()
    (project / "facade" / "__init__.py").write_text(FACADE)
    (project / "pyproject.toml").write_text('[tool.mypy]\nstrict = true\nmypy_path = ["generated"]\n')
    git("init", "-q")
    git("add", ".")
    git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "base")
    assert run_pipeline("api-diff", "shipbob").returncode == 0

    changed = seed.replace("        detail:\n          type: string\n", "")
    changed = changed.replace("        - Poster\n", "")
    optional = "Channel Id for Operation\n          required: false"
    changed = changed.replace(optional, optional.replace("false", "true"))
    assert changed.count("\n") == seed.count("\n") - 3
    write_spec(project, "shipbob", changed)

    generated = run_pipeline("generate", "shipbob")
    assert generated.returncode == 0, generated.stderr
    assert "shipbob_client: 3 API change(s), 3 breaking" in generated.stdout
    assert "BREAKING field ProblemDetails.detail: removed" in generated.stdout

    report = run_pipeline("api-diff", "shipbob")
    assert report.returncode == 1
    assert "BREAKING enum member PackagingAttribute.POSTER: removed" in report.stdout
    operation = (
        "GET /1.0/product/{productId}/inventory (subpackage_inventory.get_a_list_of_inventory_items_by_product_id)"
    )
    assert f"BREAKING parameter {operation}(shipbob_channel_id): retyped int | Unset -> int" in report.stdout
    assert "facade/__init__.py:5:" in report.stderr and '"ProblemDetails" has no attribute "detail"' in report.stderr
    assert "facade/__init__.py:8:" in report.stderr and "POSTER" in report.stderr
