"""Issue 7: every real-world spec problem in DESIGN.md becomes a typed, importable, mypy-clean client.

One small spec per problem lives in ``tests/specs/``; a "kitchen sink" spec merges all of them under
dotted namespaces (which adds name collisions of its own). They are built in ONE pipeline run (one
mypy --strict over every package), then each test exercises the generated code of its problem.
"""

from __future__ import annotations

import importlib
import inspect
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from pipeline.build import BuildResult, build
from pipeline.loading import load_document
from pipeline.vendors import adhoc
from tests.support.paths import REPO

SPECS = REPO / "tests" / "specs"
SMALL = sorted(p.stem for p in SPECS.glob("*.yaml"))


def kitchen_sink() -> dict[str, Any]:
    """All small specs in one document: paths under ``/<spec>``, components under ``<spec>.<key>``."""
    doc: dict[str, Any] = {
        "openapi": "3.1.0",
        "info": {"title": "kitchen sink", "version": "1"},
        "paths": {},
        "components": {},
    }
    for name in SMALL:
        text = json.dumps(load_document(SPECS / f"{name}.yaml"))
        for kind in ("schemas", "parameters", "responses", "requestBodies"):
            text = text.replace(f'"#/components/{kind}/', f'"#/components/{kind}/{name}.')
        spec = json.loads(text)
        for path, item in spec["paths"].items():
            doc["paths"][f"/{name}{path}"] = item
        for kind, items in (spec.get("components") or {}).items():
            for key, value in items.items():
                doc["components"].setdefault(kind, {})[key if kind == "securitySchemes" else f"{name}.{key}"] = value
    return doc


def deep_reference_chain(length: int = 250) -> dict[str, Any]:
    """Schemas referencing the previous one (``Node7.parent -> Node6``): the generator recurses per link."""
    schemas: dict[str, Any] = {}
    for i in range(length):
        properties: dict[str, Any] = {"v": {"type": "string"}}
        if i:
            properties["parent"] = {"$ref": f"#/components/schemas/Node{i - 1}"}
            properties["items"] = {"type": "array", "items": {"$ref": f"#/components/schemas/Node{(i * 7) % i}"}}
        schemas[f"Node{i}"] = {"type": "object", "properties": properties}
    last = {"$ref": f"#/components/schemas/Node{length - 1}"}
    ok = {"description": "OK", "content": {"application/json": {"schema": last}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "deep reference chain", "version": "1"},
        "paths": {"/nodes": {"get": {"operationId": "get_node", "responses": {"200": ok}}}},
        "components": {"schemas": schemas},
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, BuildResult]]:
    root = tmp_path_factory.mktemp("real_world")
    (root / "specs").mkdir()
    for name in SMALL:
        shutil.copy(SPECS / f"{name}.yaml", root / "specs" / f"{name}.yaml")
    (root / "specs" / "kitchen_sink.yaml").write_text(json.dumps(kitchen_sink(), indent=1))
    (root / "specs" / "deep_chain.yaml").write_text(json.dumps(deep_reference_chain()))
    result = build(root, [adhoc(root, name) for name in [*SMALL, "kitchen_sink", "deep_chain"]])
    sys.path.insert(0, str(root / "generated"))
    yield root, result
    sys.path.remove(str(root / "generated"))


def client(built: tuple[Path, BuildResult], name: str, module: str) -> Any:
    return importlib.import_module(f"{name}_client.{module}")


def mock(handler: Any) -> Any:
    # any generated Client works: every package has the same template
    client_class = importlib.import_module("auth_header_client").Client
    return client_class(base_url="https://api.test").set_httpx_client(
        httpx.Client(base_url="https://api.test", transport=httpx.MockTransport(handler))
    )


def recording(sent: list[httpx.Request], status: int, **response: Any) -> Callable[[httpx.Request], httpx.Response]:
    """A ``MockTransport`` handler: appends each request to ``sent``, answers ``Response(status, **response)``."""

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(status, **response)

    return handler


def test_every_problem_spec_and_the_kitchen_sink_build_typed_and_mypy_clean(built: tuple[Path, BuildResult]) -> None:
    root, result = built
    assert len(SMALL) >= 20
    by_name = {item.generated.vendor: item.generated for item in result.vendors}
    assert set(by_name) == {*SMALL, "kitchen_sink", "deep_chain"}
    for name in SMALL:
        assert by_name[name].operations > 0, name
        assert (root / "generated" / f"{name}_client" / "py.typed").exists()
    assert by_name["kitchen_sink"].operations == sum(by_name[n].operations for n in SMALL)
    assert by_name["kitchen_sink"].typed_responses == sum(by_name[n].typed_responses for n in SMALL)


def test_generation_is_deterministic(built: tuple[Path, BuildResult]) -> None:
    root, _ = built
    again = build(root, [adhoc(root, "kitchen_sink")], check=True)
    assert again.differences == ()


def test_deep_reference_chains_do_not_exhaust_the_stack(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "deep_chain", "models")
    assert len(models.__all__) == 250
    node = models.Node249.from_dict({"v": "a", "parent": {"v": "b", "parent": {"v": "c"}}, "items": [{"v": "d"}]})
    assert node.parent.parent.v == "c" and isinstance(node.parent.parent, models.Node247)


def test_dotted_java_and_dotnet_names_become_short_unique_classes(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "dotted_names", "models")
    assert {"Money", "SupportMoney", "OfferV1", "OpenApiPageResponseOfferV1", "PricingPriceViewModel"} == set(
        models.__all__
    )
    offer = models.OfferV1.from_dict({"price": {"amount": 1.5}, "cost": {"value": 2, "currency": "EUR"}})
    assert isinstance(offer.price, models.Money) and isinstance(offer.cost, models.SupportMoney)


def test_awkward_schema_keys_and_encoded_refs(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "schema_keys", "models")
    assert set(models.__all__) == {"ResponseEntityListOrderItem", "OrderItem", "OrderItem2", "AB", "Class", "Model2FA"}
    api = client(built, "schema_keys", "api.default.get_a")
    page = api.sync(client=mock(lambda r: httpx.Response(200, json={"body": [{"sku": "s"}]})))
    assert isinstance(page, models.ResponseEntityListOrderItem) and page.body[0].sku == "s"
    get_c = client(built, "schema_keys", "api.default.get_c")
    assert get_c.sync(client=mock(lambda r: httpx.Response(200, json={"x": 1}))).x == 1


def test_loose_schemas_and_aliased_responses(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "loose_schemas", "models")
    data = {"list": [1, "x"], "empty_enum": "anything", "mixed": {"x": 1}, "map": {"k": {"x": 2}}, "any": [None]}
    a = models.A.from_dict(data)
    assert a.list_ == [1, "x"] and a.empty_enum == "anything" and a.mixed.x == 1 and a.map_["k"].x == 2
    get_b = client(built, "loose_schemas", "api.default.get_b")  # 200 is a $ref to an aliased component
    assert get_b.sync(client=mock(lambda r: httpx.Response(200, json={"list": []}))).list_ == []


def test_duplicate_titles_do_not_drop_models_or_responses(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "duplicate_titles", "models")
    assert {"StockPage", "StockItem", "StockItemDetails", "Owner"} <= set(models.__all__)
    api = client(built, "duplicate_titles", "api.default.get_stock")
    page = api.sync(client=mock(lambda r: httpx.Response(200, json={"results": [{"quantity": 3}]})))
    assert isinstance(page, models.StockPage) and page.results[0].quantity == 3


def test_inline_classes_named_like_components_get_a_distinct_name(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "inline_name_clash", "models")
    item = models.StockItem.from_dict({"details": {"note": "n"}, "other": {"x": 1}, "size": "S", "sz": {"y": 2}})
    assert isinstance(item.details, models.StockItemDetailsInline) and item.details.note == "n"
    assert isinstance(item.other, models.StockItemDetails) and item.other.x == 1
    # an operation's inline response named like a component; keys equal but for case
    assert {"GetStockResponse200", "GetStockResponse200Inline", "Order", "Order2"} <= set(models.__all__)
    api = client(built, "inline_name_clash", "api.default.get_stock")
    body = {"other": {"z": 1}, "orders": [{"lower": "l"}]}
    page = api.sync(client=mock(lambda r: httpx.Response(200, json=body)))
    assert isinstance(page, models.GetStockResponse200Inline) and page.other.z == 1 and page.orders[0].lower == "l"


def test_missing_kebab_colliding_and_keyword_operation_ids(built: tuple[Path, BuildResult]) -> None:
    root, _ = built
    functions = {p.stem for p in (root / "generated" / "operation_ids_client" / "api" / "default").glob("[!_]*.py")}
    assert functions == {
        "get_2025_07_product_by_product_id",
        "delete_2025_07_product_by_product_id",
        "get_product_inventory",
        "get_products_inventory",
        "import_",
    }


def test_awkward_tags_become_ascii_subpackages(built: tuple[Path, BuildResult]) -> None:
    root, _ = built
    api = root / "generated" / "tags_client" / "api"
    packages = {p.name: sorted(f.stem for f in p.glob("[!_]*.py")) for p in api.iterdir() if p.is_dir()}
    assert packages == {
        "orders": ["get_a", "get_b"],
        "orders_returns": ["get_c"],
        "bestellungen_u": ["get_d"],
        "tag2025_07_api": ["get_e"],
        "class_": ["import_"],
    }


def test_colon_custom_verbs_keep_their_path(built: tuple[Path, BuildResult]) -> None:
    cancel = client(built, "colon_paths", "api.default.post_order_by_order_id_cancel")
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.path)
        return httpx.Response(200, json={"status": "cancelled"})

    assert cancel.sync(5, client=mock(handler)).status == "cancelled"
    move = client(built, "colon_paths", "api.default.post_product_move_variants")
    move.sync_detailed(client=mock(handler), body=client(built, "colon_paths", "models").PostProductMoveVariantsBody())
    assert seen == ["/order/5:cancel", "/product:moveVariants"]


def test_authorization_header_parameters_are_left_to_the_client(built: tuple[Path, BuildResult]) -> None:
    for module in ("get_inventory", "list_channels"):
        api = client(built, "auth_header", f"api.default.{module}")
        assert "authorization" not in inspect.signature(api.sync_detailed).parameters


def test_non_identifier_parameter_names_go_out_under_their_wire_names(built: tuple[Path, BuildResult]) -> None:
    import datetime as dt

    api = client(built, "parameter_names", "api.default.list_orders")
    kwargs = api._get_kwargs(
        shipbob_channel_id=7, created_atgt=dt.datetime(2024, 1, 1, tzinfo=dt.UTC), page_size=5, top=2, from_="x"
    )
    assert kwargs["headers"]["shipbob_channel_id"] == "7"
    assert kwargs["params"]["createdAt[gt]"] == "2024-01-01T00:00:00+00:00"
    assert {"page.size": 5, "$top": 2, "from": "x"}.items() <= kwargs["params"].items()


def test_type_typos_and_numeric_string_parameters_are_typed(built: tuple[Path, BuildResult]) -> None:
    api = client(built, "type_typos", "api.default.get_item")
    params = inspect.signature(api.sync).parameters
    assert "int" in str(params["item_id"].annotation) and "int" in str(params["limit"].annotation)
    item = client(built, "type_typos", "models").Item.from_dict({"id": 1, "weight": 2.5, "tags": ["a"]})
    assert (item.id, item.weight, item.tags) == (1, 2.5, ["a"])


def test_several_json_content_types_become_one_typed_json_body(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "content_types", "models")
    api = client(built, "content_types", "api.default.create_order")
    sent: list[httpx.Request] = []
    handler = recording(sent, 201, json={"id": 1, "reference": "r"}, headers={"content-type": "text/json"})

    order = api.sync(client=mock(handler), body=models.Order(reference="r"))
    assert isinstance(order, models.Order) and order.id == 1
    assert sent[0].headers["content-type"] == "application/json" and json.loads(sent[0].content) == {"reference": "r"}


def test_required_names_without_properties_do_not_break_parsing(built: tuple[Path, BuildResult]) -> None:
    product = client(built, "required_missing", "models").Product.from_dict({"name": "n"})
    assert product.name == "n"


def test_dollar_type_next_to_type_is_kept_in_additional_properties(built: tuple[Path, BuildResult]) -> None:
    event = client(built, "dollar_type", "models").Event.from_dict({"$type": "Order", "type": "created"})
    assert event.type_ == "created" and event.additional_properties["$type"] == "Order"
    assert event.to_dict()["$type"] == "Order"


def test_refs_with_sibling_keys_keep_the_referenced_type(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "ref_siblings", "models")
    shipment = models.Shipment.from_dict({"id": 3, "status": "Shipped", "address": {"city": "Oslo"}})
    assert shipment.status is models.Status.SHIPPED and shipment.address.city == "Oslo"
    assert models.Shipment.from_dict({"address": None}).address is None  # `$ref` + `nullable: true`


def test_self_referencing_schemas_parse_recursively(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "self_reference", "models")
    tree = models.Category.from_dict({"name": "a", "children": [{"name": "b", "owner": {"favourite": {"name": "c"}}}]})
    assert tree.children[0].owner.favourite.name == "c"


def test_awkward_enum_values_get_names_and_unknown_values_are_kept(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "enum_values", "models")
    carrier = models.Carrier
    assert carrier("UPS Ground") is carrier.UPS_GROUND and carrier("2Day") is carrier.VALUE_2DAY
    assert carrier("") is carrier.EMPTY and carrier("Next Day") is carrier.NEXT_DAY_2
    new = carrier("Drone Delivery")
    assert new == "Drone Delivery" and not new.is_known and carrier.UPS_GROUND.is_known
    assert models.Priority(99) == 99 and not models.Priority(99).is_known and models.Priority(-1).is_known
    parcel = models.Parcel.from_dict({"carrier": "Drone Delivery", "priority": 42, "size": "XL"})
    assert parcel.to_dict() == {"carrier": "Drone Delivery", "priority": 42, "size": "XL"}
    with pytest.raises(ValueError, match="Carrier"):
        carrier(5)


def test_allof_subtypes_with_const_are_generated(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "allof_const", "models")
    card = models.CardPayment.from_dict({"kind": "card", "last4": "4242", "amount": 3})
    assert (card.kind, card.last4) == ("card", "4242")


def test_oneof_with_an_empty_discriminator_mapping_parses(built: tuple[Path, BuildResult]) -> None:
    api = client(built, "oneof_discriminator", "api.default.list_webhooks")
    hooks = api.sync(client=mock(lambda r: httpx.Response(200, json=[{"type": "order", "orderId": "1"}])))
    assert len(hooks) == 1 and hooks[0].type_ == "order"


def test_error_responses_with_examples_only_are_returned_not_raised(built: tuple[Path, BuildResult]) -> None:
    api = client(built, "error_examples", "api.default.get_offer")
    response = api.sync_detailed("x", client=mock(lambda r: httpx.Response(404, json={"code": "OFFER_NOT_FOUND"})))
    assert response.status_code == 404 and json.loads(response.content)["code"] == "OFFER_NOT_FOUND"


def test_successes_without_content(built: tuple[Path, BuildResult]) -> None:
    for module in ("acknowledge_order", "hold_order"):
        api = client(built, "empty_success", f"api.default.{module}")
        assert api.sync_detailed(1, client=mock(lambda r: httpx.Response(200))).status_code == 200


def test_pdf_and_binary_responses_return_the_bytes(built: tuple[Path, BuildResult]) -> None:
    for module in ("get_label", "get_invoice", "get_photo"):
        api = client(built, "pdf_response", f"api.default.{module}")
        file = api.sync(1, client=mock(lambda r: httpx.Response(200, content=b"%PDF-1.7 body")))
        assert file.payload.read() == b"%PDF-1.7 body", module


def test_openapi_30_nullable(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "nullable", "models")
    nulls = {"note": None, "shipped_at": None, "status": None, "address": None, "billing": None}
    order = models.Order.from_dict({"id": 1, **nulls, "history": ["Open"]})
    assert (order.note, order.shipped_at, order.status, order.address, order.billing) == (None,) * 5
    assert order.history == [models.Status.OPEN]
    full = {"id": 1, "note": "n", "status": "Closed", "address": {"city": "c"}, "billing": {"iban": "i"}}
    assert models.Order.from_dict(full).to_dict() == full
    # an inline enum with nullable: true (ShipBob tracking status) accepts null
    assert models.Order.from_dict({"id": 1, "note": None, "tracking": None}).tracking is None
    assert models.Order.from_dict({"id": 1, "note": None, "tracking": "Delivered"}).to_dict()["tracking"] == "Delivered"


def test_openapi_31_type_arrays(built: tuple[Path, BuildResult]) -> None:
    order_cls = client(built, "type_arrays", "models").Order
    assert order_cls.from_dict({"id": 1, "note": None, "reference": 5}).reference == 5
    order = order_cls.from_dict({"id": 1, "note": "n", "reference": "r5", "status": None})
    assert order.note == "n" and order.reference == "r5" and order.status is None


def test_unquoted_timestamps_and_yaml11_booleans_stay_strings(built: tuple[Path, BuildResult]) -> None:
    import datetime as dt

    api = client(built, "timestamps", "api.default.list_orders")
    assert inspect.signature(api.sync).parameters["since"].default == dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    flag = client(built, "timestamps", "models").ListOrdersFlag
    assert {member.value for member in flag} == {"yes", "no", "on", "off"}


def test_oauth_implicit_flow_with_a_staging_url_builds_a_plain_client(built: tuple[Path, BuildResult]) -> None:
    api = client(built, "oauth_implicit", "api.default.list_orders")
    assert list(inspect.signature(api.sync).parameters) == ["client"]
    orders = api.sync(client=mock(lambda r: httpx.Response(200, json=[{"id": "o1"}])))
    assert orders[0].id == "o1"


def test_parameters_without_schema_and_referenced_responses_and_bodies(built: tuple[Path, BuildResult]) -> None:
    api = client(built, "parameter_and_response_refs", "api.default.get_order")
    assert {"id_path", "id_query", "filter_", "limit", "content_type", "accept"} <= set(
        inspect.signature(api.sync).parameters
    )
    assert api._get_kwargs(1, filter_='{"a": "x"}')["params"]["filter"] == '{"a": "x"}'
    models = client(built, "parameter_and_response_refs", "models")
    put = client(built, "parameter_and_response_refs", "api.default.put_order")
    uid = "6b3c0c8e-6f0b-4c1b-8a4a-2f1e0b3c9d7e"
    order = put.sync(1, client=mock(lambda r: httpx.Response(200, json={"id": uid})), body=models.Order(id=uid))
    assert isinstance(order, models.Order) and str(order.id) == uid


def test_a_parameter_the_generator_drops_fails_the_build(tmp_path: Path) -> None:
    from pipeline.errors import PipelineError
    from pipeline.generate import generate
    from pipeline.prepare import Prepared

    vendor = adhoc(tmp_path, "dropped")
    doc = {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/x": {"get": {"operationId": "get_x", "responses": {"204": {"description": "ok"}},
                                 "parameters": [{"name": "f", "in": "query", "content": {"application/json": {}}}]}}},
    }  # fmt: skip
    prepared = Prepared(vendor=vendor, document=doc, generator_config=vendor.default_generator_options(), notes=())
    with pytest.raises(PipelineError, match="GET /x: query parameter 'f' was dropped"):
        generate(prepared, tmp_path / "out" / vendor.package)


def test_kitchen_sink_collisions_are_qualified_by_namespace(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "kitchen_sink", "models")
    names = set(models.__all__)
    assert {"DottedNamesMoney", "SupportMoney", "Carrier", "Category"} <= names
    assert {"ContentTypesOrder", "NullableOrder", "TypeArraysOrder"} <= names
    assert models.Carrier("brand new").value == "brand new"


def test_models_package_imports_no_model_until_asked(built: tuple[Path, BuildResult]) -> None:
    root, _ = built
    code = (
        "import json, sys, kitchen_sink_client.models as m\n"
        "loaded = lambda: sorted(n for n in sys.modules if n.startswith('kitchen_sink_client.models.'))\n"
        "before = loaded()\n"
        "m.DottedNamesMoney\n"
        "print(json.dumps([before, loaded(), len(m.__all__)]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=root / "generated", capture_output=True, text=True, check=True
    ).stdout
    before, after, total = json.loads(out)
    assert before == [] and after == ["kitchen_sink_client.models.dotted_names_money"] and total > 40


# --- constructs of the full vendor specs (issue 12) ----------------------------------------------


def test_allof_subtypes_of_untyped_bases_are_generated(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "allof_untyped_base", "models")
    api = client(built, "allof_untyped_base", "api.default.create_promotion")
    body = {"appliesTo": {"type": "SELECTED", "productIds": ["p1"]}, "badge": {"kind": "circle", "radius": 2}}
    promotion = api.sync(
        client=mock(lambda r: httpx.Response(200, json=json.loads(r.content))), body=models.Promotion.from_dict(body)
    )
    assert isinstance(promotion, models.Promotion) and isinstance(promotion.badge, models.Circle)
    assert promotion.badge.radius == 2 and promotion.to_dict() == body


def test_properties_beside_allof_and_subtypes_first_in_unions(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "allof_untyped_base", "models")
    api = client(built, "allof_untyped_base", "api.default.get_product")
    item = {"id": 1, "sku": "S", "compliance": "ok", "bundle_definition": [{"variant_id": 2, "quantity": 3}]}
    product = api.sync(1, client=mock(lambda r: httpx.Response(200, json={"variants": [item]})))
    variant = product.variants[0]
    assert isinstance(variant, models.VariantInternal) and variant.compliance == "ok" and variant.sku == "S"
    assert isinstance(variant.bundle_definition[0], models.BundleItem) and variant.bundle_definition[0].quantity == 3
    assert variant.additional_properties == {}


def test_a_body_offered_as_form_and_json_is_sent_as_json(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "form_and_json_body", "models")
    api = client(built, "form_and_json_body", "api.default.exchange_token")
    sent: list[httpx.Request] = []
    handler = recording(sent, 200, json={"access_token": "a", "refresh_token": "r"})

    token = api.sync(client=mock(handler), body=models.TokenRequest(grant_type="refresh_token", refresh_token="x"))
    assert isinstance(token, models.TokenResponse) and token.access_token == "a"
    assert sent[0].headers["content-type"] == "application/json"
    assert json.loads(sent[0].content) == {"grant_type": "refresh_token", "refresh_token": "x"}


def test_problem_details_behind_one_member_unions_are_typed(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "problem_details_wrappers", "models")
    api = client(built, "problem_details_wrappers", "api.default.get_receiving")
    problem = {"title": "Not Found", "status": 404, "errors": {"id": ["unknown"]}, "traceId": "t"}
    error = api.sync(1, client=mock(lambda r: httpx.Response(404, json=problem)))
    assert isinstance(error, models.ValidationProblemDetails) and error.status == 404
    assert error.errors.additional_properties == {"id": ["unknown"]}
    ok = api.sync(1, client=mock(lambda r: httpx.Response(200, json={"id": 1, "status": None})))
    assert isinstance(ok, models.Receiving) and ok.id == 1


def test_numeric_and_comma_separated_string_parameters(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "comma_separated_params", "models")
    api = client(built, "comma_separated_params", "api.default.list_inventory_levels")
    hints = inspect.signature(api.sync).parameters
    assert "list[int]" in str(hints["inventory_ids"].annotation) and "int" in str(hints["page_size"].annotation)
    assert str(hints["tags"].annotation).startswith("str")
    sent: list[httpx.Request] = []
    handler = recording(sent, 200, json=[{"inventory_id": 1}])

    api.sync(client=mock(handler), inventory_ids=[1, 2], statuses=[models.Status.COMPLETED], page_size=250)
    assert sent[0].url.params.multi_items() == [("InventoryIds", "1,2"), ("Statuses", "Completed"), ("PageSize", "250")]


def test_schemas_named_like_generated_bindings_get_a_suffix(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "reserved_names", "models")
    assert {"TModel", "FileModel", "ResponseModel"} == set(models.__all__)
    api = client(built, "reserved_names", "api.default.get_t")
    parsed = api.sync(client=mock(lambda r: httpx.Response(200, json={"file": {"name": "n"}})))
    assert isinstance(parsed, models.TModel) and isinstance(parsed.file, models.FileModel)
    detailed = client(built, "reserved_names", "api.default.get_response").sync_detailed(
        client=mock(lambda r: httpx.Response(200, json={"ok": True}))
    )
    assert isinstance(detailed.parsed, models.ResponseModel) and detailed.parsed.ok is True


def test_bare_scalar_json_bodies_are_checked_not_cast(built: tuple[Path, BuildResult]) -> None:
    def call(module: str, body: Any) -> Any:
        return client(built, "scalar_responses", f"api.default.{module}").sync(
            client=mock(lambda r: httpx.Response(200, content=json.dumps(body)))
        )

    assert call("get_text", "{}") == "{}" and call("get_count", 3) == 3 and call("get_ratio", 2) == 2
    for module, body, message in [
        ("get_text", {"a": 1}, "value should be str, got dict"),
        ("get_count", True, "value should be int, got bool"),
        ("get_count", "3", "value should be int, got str"),
        ("get_ratio", None, "value should be float, got null"),
    ]:
        with pytest.raises(TypeError, match=message):
            call(module, body)


def test_scalars_of_the_wrong_json_type_raise_field_type_error(built: tuple[Path, BuildResult]) -> None:
    models = client(built, "nullable", "models")
    field_type_error = importlib.import_module("nullable_client.types").FieldTypeError
    ok = {"id": 1, "note": None, "weight": 2}  # an int is a JSON number
    assert models.Order.from_dict(ok).weight == 2
    for body, message in [
        ({"id": "1", "note": None}, "field id should be int, got str"),
        ({"id": True, "note": None}, "field id should be int, got bool"),  # true is no int
        ({"id": None, "note": None}, "field id should be int, got null"),  # id is not nullable
        ({"id": 1, "note": 5}, "field note should be str or null, got int"),
        ({"id": 1, "note": None, "weight": "2.5"}, "field weight should be float or null, got str"),
    ]:
        with pytest.raises(field_type_error, match=message) as caught:
            models.Order.from_dict(body)
        error: Any = caught.value
        assert error.location in message and isinstance(error, TypeError)
    error = field_type_error("Order", "id", "int", "1").within(3)
    assert (error.model, error.path, error.expected, error.found) == ("Order", [3, "id"], "int", "str")
    assert str(error) == "field [3].id should be int, got str"
