"""Issue 2: the regeneration pipeline end to end, on a throwaway copy of the project.

Each failure case checks three things: a non-zero exit, a message naming the spec and the problem,
and a byte-identical ``generated/``.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import sys
import typing
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from pipeline import swap
from tests.pipeline.conftest import RunPipeline, tree_digest, write_spec
from tests.support.openapi_cases import response_cases
from tests.support.paths import REPO

SEED = (REPO / "tests" / "specs" / "seeds" / "shipbob.yaml").read_text()


def test_generate_reproduces_the_committed_clients(project: Path, run_pipeline: RunPipeline) -> None:
    before = tree_digest(project / "generated")
    result = run_pipeline("generate")
    assert result.returncode == 0, result.stderr
    for vendor in ("fourthwall", "shipbob"):
        assert vendor in result.stdout
    assert "40 operations" in result.stdout and "72 operations" in result.stdout
    assert "typed 2xx responses" in result.stdout
    assert tree_digest(project / "generated") == before == tree_digest(REPO / "generated")


def test_every_generated_file_carries_the_do_not_edit_marker() -> None:
    files = list((REPO / "generated").rglob("*.py"))
    assert files
    for file in files:
        assert "DO NOT EDIT" in file.read_text().splitlines()[0], file


def test_hand_edit_is_caught_and_named(project: Path, run_pipeline: RunPipeline) -> None:
    edited = project / "generated" / "shipbob_client" / "models" / "inventory_problem_details.py"
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

    monkeypatch.setattr(os, "rename", flaky_rename)
    with pytest.raises(OSError, match="simulated"):
        swap.swap_in(staged, target)
    assert (target / "old.py").read_text() == "old"


@pytest.mark.parametrize("package", ["fourthwall_client", "shipbob_client"])
def test_every_committed_operation_has_typed_sync_and_async_functions_without_authorization(package: str) -> None:
    import pkgutil

    api = importlib.import_module(f"{package}.api")
    modules = [m.name for m in pkgutil.walk_packages(api.__path__, f"{api.__name__}.") if not m.ispkg]
    assert len(modules) == {"fourthwall_client": 40, "shipbob_client": 72}[package]
    for name in modules:
        module = importlib.import_module(name)
        # operations without a response body have only the *_detailed pair (the generator's convention)
        functions = [f for f in ("sync", "sync_detailed", "asyncio", "asyncio_detailed") if hasattr(module, f)]
        assert {"sync_detailed", "asyncio_detailed"} <= set(functions), name
        for function in functions:
            signature = inspect.signature(getattr(module, function))
            assert "authorization" not in signature.parameters, name


def _members(hint: Any) -> list[Any]:
    """The leaves of a type: ``Response[Any | X | None]`` -> ``[Any, X, NoneType]``."""
    args = typing.get_args(hint)
    return [leaf for arg in args for leaf in _members(arg)] if args else [hint]


def untyped_2xx(module: ModuleType, statuses: list[int]) -> list[str]:
    """Why ``module`` does not type its JSON 2xx ``statuses`` (``[]``: it does).

    The return annotation must name a type besides ``Any`` and ``None``, and each status's branch of
    ``_parse_response`` must parse the body: not ``return None``, not ``cast(Any, ...)``. (The union may
    hold ``Any`` from error statuses without a body, ``500: cast(Any, None)``: that is not a 2xx.)
    """
    problems = []
    returns = inspect.signature(module.sync_detailed).return_annotation
    if typing.get_origin(returns) is None or not typing.get_args(returns):
        problems.append(f"sync_detailed returns {returns!r}, not a Response[...]")
    elif not [m for m in _members(typing.get_args(returns)[0]) if m is not Any and m is not type(None)]:
        problems.append(f"sync_detailed returns {returns}: nothing but Any and None")
    tree = ast.parse(inspect.getsource(module))
    parse = next(n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "_parse_response")
    branches = {ast.unparse(node.test): node.body for node in ast.walk(parse) if isinstance(node, ast.If)}
    for status in statuses:
        body = branches.get(f"response.status_code == {status}")
        code = "\n".join(ast.unparse(stmt) for stmt in body or [])
        if body is None:
            problems.append(f"{status}: no branch in _parse_response")
        elif code == "return None" or "cast(Any," in code:
            problems.append(f"{status}: parsed as Any ({code.splitlines()[0]})")
    return problems


@pytest.mark.parametrize("package", ["fourthwall_client", "shipbob_client"])
def test_every_json_2xx_response_of_the_spec_is_typed(package: str) -> None:
    statuses: dict[str, list[int]] = {}
    modules: dict[str, ModuleType] = {}
    for case in response_cases():
        if case.package == package:
            operation = f"{case.method.upper()} {case.path}"
            statuses.setdefault(operation, []).append(case.status)
            modules[operation] = case.module
    assert len(modules) >= {"fourthwall_client": 30, "shipbob_client": 60}[package]
    problems = {op: found for op, module in modules.items() if (found := untyped_2xx(module, statuses[op]))}
    assert problems == {}


UNTYPED = """\
from typing import Any, cast

import httpx

from fourthwall_client.types import Response


def _parse_response(*, client: Any, response: httpx.Response) -> Any | None:
    if response.status_code == 200:
        return None
    if response.status_code == 201:
        response_201 = cast(Any, response.json())
        return response_201
    return None


def sync_detailed(*, client: Any) -> Response[RETURNS]:
    raise NotImplementedError
"""


@pytest.mark.parametrize(
    ("returns", "expected"),
    [
        pytest.param("Any", "nothing but Any and None", id="any"),
        pytest.param("Any | None", "nothing but Any and None", id="any-none"),
        pytest.param("Any | int", "200: parsed as Any (return None)", id="branch"),
    ],
)
def test_the_typed_check_fails_on_a_module_that_returns_any(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, returns: str, expected: str
) -> None:
    (tmp_path / "untyped_op.py").write_text(UNTYPED.replace("RETURNS", returns))
    monkeypatch.syspath_prepend(str(tmp_path))
    module = importlib.import_module("untyped_op")
    monkeypatch.delitem(sys.modules, "untyped_op")
    problems = untyped_2xx(module, [200, 201])
    assert any(expected in problem for problem in problems), problems
    assert "201: parsed as Any (response_201 = cast(Any, response.json()))" in problems


STABLE = """\
openapi: 3.1.0
info: {title: stable names, version: "1"}
paths:
  /orders:
    get:
      operationId: listOrders
      responses:
        "200":
          description: OK
          content:
            application/json:
              schema: {$ref: "#/components/schemas/com.acme.orders.EntireOrder"}
components:
  schemas:
    com.acme.orders.EntireOrder: {type: object, properties: {id: {type: integer}}}
"""


def test_a_new_colliding_schema_does_not_rename_an_unchanged_one(tmp_path: Path) -> None:
    from pipeline.build import build
    from pipeline.vendors import adhoc

    (tmp_path / "specs").mkdir()
    spec = tmp_path / "specs" / "stable.yaml"
    spec.write_text(STABLE)
    vendor = adhoc(tmp_path, "stable")
    build(tmp_path, [vendor])
    record = vendor.names.read_text()
    assert '"com.acme.orders.EntireOrder": "EntireOrder"' in record
    assert build(tmp_path, [vendor], check=True).differences == ()
    # the vendor adds a schema whose short name collides, and an operation returning it
    promotion = "    com.acme.promotions.EntireOrder: {type: object, properties: {code: {type: string}}}\n"
    grown = STABLE.replace("components:\n  schemas:\n", "components:\n  schemas:\n" + promotion).replace(
        "paths:\n",
        "paths:\n  /promotions:\n    get:\n      operationId: getPromotion\n      responses:\n"
        '        "200": {description: OK, content: {application/json: {schema: '
        '{$ref: "#/components/schemas/com.acme.promotions.EntireOrder"}}}}\n',
    )
    spec.write_text(grown)
    assert "stale model-name record" in build(tmp_path, [vendor], check=True).differences[-1]
    result = build(tmp_path, [vendor])
    assert [str(c) for c in result.api_diffs[0].changes if c.kind == "model"] == ["model PromotionsEntireOrder: added"]
    models = (tmp_path / "generated" / "stable_client" / "models").iterdir()
    assert {"entire_order.py", "promotions_entire_order.py"} <= {p.name for p in models}
    assert '"com.acme.promotions.EntireOrder": "PromotionsEntireOrder"' in vendor.names.read_text()
    # without the record both would have been renamed (OrdersEntireOrder, PromotionsEntireOrder)
    vendor.names.unlink()
    build(tmp_path, [vendor])
    assert '"com.acme.orders.EntireOrder": "OrdersEntireOrder"' in vendor.names.read_text()


def test_a_generator_warning_names_the_vendor_spec_pointer_and_reason(project: Path, run_pipeline: RunPipeline) -> None:
    # the path template says {id}, the parameter productId: no pass may guess which one was meant
    write_spec(project, "shipbob", SEED.replace("/1.0/product/{productId}/inventory:", "/1.0/product/{id}/inventory:"))
    result = run_pipeline("generate", "shipbob")
    assert result.returncode == 1
    assert "[shipbob] specs/shipbob.yaml: the generator reported" in result.stderr
    assert "at #/paths/~11.0~1product~1{id}~1inventory/get:" in result.stderr
    assert "Path parameters do not match with path" in result.stderr  # the generator's reason
    assert ".pipeline-cache/prepared/shipbob.prepared.json" in result.stderr


def verify_refusal(tmp_path: Path, files: dict[str, str]) -> str:
    """The message ``verify`` raises on a staged ``acme_client`` package made of ``files`` (relative paths)."""
    from pipeline.errors import PipelineError
    from pipeline.verify import verify

    api = tmp_path / "stage" / "acme_client" / "api" / "default"
    api.mkdir(parents=True)
    for package in (api.parents[1], api.parent, api):
        (package / "__init__.py").write_text("")
    for name, text in files.items():
        (api.parents[1] / name).write_text(text)
    with pytest.raises(PipelineError) as caught:
        sources = {"acme_client": "[acme] specs/acme.yaml"}
        verify(tmp_path / "stage", ["acme_client"], cache_dir=tmp_path / "mypy", sources=sources)
    return str(caught.value)


def test_an_import_failure_names_module_operation_cause_and_the_mypy_report(tmp_path: Path) -> None:
    # a module without the template's docstring: the operation comes from _get_kwargs (Python placeholder names)
    cancel = (
        "from typing import Any\n\n\n"
        "def _get_kwargs(order_id: int) -> dict[str, Any]:\n"
        '    return {"method": "post", "url": "/order/{order_id}:cancel".format(order_id=order_id)}\n\n\n'
        "x: Unset = 1\n"
    )
    message = verify_refusal(tmp_path, {"api/default/cancel_order.py": cancel})
    assert (
        "[acme] specs/acme.yaml: acme_client.api.default.cancel_order (POST /order/{order_id}:cancel): "
        "NameError: name 'Unset' is not defined"
    ) in message
    assert "mypy --strict fails too, in:\n  [acme] specs/acme.yaml: acme_client/api/default/cancel_order.py" in message
    assert 'mypy says:\nacme_client/api/default/cancel_order.py:8: error: Name "Unset" is not defined' in message


def test_a_mypy_only_failure_names_vendor_spec_and_the_operation_of_each_file(tmp_path: Path) -> None:
    # the docstring is what the pipeline's endpoint template writes: the spec's METHOD path
    cancel = '"POST /order/{orderId}:cancel"\n\n\ndef status() -> int:\n    return "x"\n'
    message = verify_refusal(tmp_path, {"api/default/cancel_order.py": cancel, "types.py": "UNSET: int = None\n"})
    assert message.startswith("[acme] specs/acme.yaml: mypy --strict fails on the generated code, in:\n")
    operation = "acme_client/api/default/cancel_order.py (POST /order/{orderId}:cancel)"
    assert f"\n  [acme] specs/acme.yaml: {operation}\n" in message
    assert "\n  [acme] specs/acme.yaml: acme_client/types.py\n" in message
    assert "mypy says:\nacme_client/" in message and "Incompatible return value type" in message


def test_importing_one_operation_module_imports_only_the_models_it_names() -> None:
    import subprocess
    import sys

    probe = (
        "import sys; before = set(sys.modules)\n"
        "import shipbob_client.api.inventory.get_2026_01_inventory_level\n"
        "print(sorted(m for m in set(sys.modules) - before if '.models.' in m))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, cwd=REPO)
    assert done.stdout.strip() == str(
        [
            "shipbob_client.models.inventory_problem_details",
            "shipbob_client.models.inventory_quantity_response_paged_response",
        ]
    )
